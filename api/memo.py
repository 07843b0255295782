"""Answers that depend only on the snapshot, computed at their first request and kept while that
snapshot serves: a bounded map, emptied when the service swaps snapshots."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class SnapshotMemo:
    """The `size` most recently used answers of one snapshot."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._snapshot: object | None = None
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, snapshot: object, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer for `key` on `snapshot`, computed (outside the lock) when not kept."""
        with self._lock:
            if self._snapshot is snapshot and key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        answer = compute()
        with self._lock:
            if self._snapshot is not snapshot:
                self._snapshot, self._answers = snapshot, OrderedDict()
            self._answers[key] = answer
            if len(self._answers) > self.size:
                self._answers.popitem(last=False)
        return answer

    def clear(self) -> None:
        with self._lock:
            self._snapshot, self._answers = None, OrderedDict()
