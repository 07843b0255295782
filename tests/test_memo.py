"""The per-snapshot memo of answers: kept per snapshot, bounded, emptied by a new snapshot."""

from api.memo import SnapshotMemo


def test_an_answer_is_computed_once_per_snapshot_and_key():
    memo, calls = SnapshotMemo(size=8), []
    first, second = object(), object()

    def compute(value):
        calls.append(value)
        return value

    assert memo.get(first, "a", lambda: compute(1)) == 1
    assert memo.get(first, "a", lambda: compute(2)) == 1
    assert memo.get(second, "a", lambda: compute(3)) == 3  # a new snapshot: computed again
    assert memo.get(first, "a", lambda: compute(4)) == 4  # and the old one's answers are gone
    assert calls == [1, 3, 4]


def test_the_least_recently_used_answer_goes_first():
    memo, snapshot = SnapshotMemo(size=2), object()
    memo.get(snapshot, "a", lambda: "a")
    memo.get(snapshot, "b", lambda: "b")
    memo.get(snapshot, "a", lambda: "a again")  # a is used again, so b is the oldest
    memo.get(snapshot, "c", lambda: "c")
    assert memo.get(snapshot, "a", lambda: "a recomputed") == "a"
    assert memo.get(snapshot, "b", lambda: "b recomputed") == "b recomputed"
