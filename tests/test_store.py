import json

import pytest

from snapshot.errors import IngestRunning, SnapshotError
from snapshot.format import SCHEMA_VERSION, read_manifest
from snapshot.store import (
    clean_leftovers,
    complete_versions,
    current_version,
    ingest_lock,
    prune,
    publish,
    snapshot_path,
    snapshots_dir,
    staged_snapshot,
)


def write_snapshot(data, version, schema=SCHEMA_VERSION):
    with staged_snapshot(data, version) as folder:
        (folder / "manifest.json").write_text(json.dumps({"schema_version": schema}))
    return snapshot_path(data, version)


def test_staged_snapshot_moves_into_place_only_on_success(tmp_path):
    write_snapshot(tmp_path, "v1")
    with pytest.raises(RuntimeError), staged_snapshot(tmp_path, "v2") as folder:
        (folder / "manifest.json").write_text("{}")
        raise RuntimeError("disk full")
    assert complete_versions(tmp_path) == ["v1"]
    assert not list(snapshots_dir(tmp_path).glob(".tmp-*"))


def test_publish_and_current(tmp_path):
    assert current_version(tmp_path) is None
    write_snapshot(tmp_path, "v1")
    write_snapshot(tmp_path, "v2")
    assert current_version(tmp_path) == "v2"  # no pointer yet: the newest complete one
    publish(tmp_path, "v1")
    assert current_version(tmp_path) == "v1"
    assert not list(tmp_path.glob("CURRENT.*"))


def test_leftovers_are_cleaned(tmp_path):
    write_snapshot(tmp_path, "v1")
    (snapshots_dir(tmp_path) / ".tmp-abc").mkdir()
    assert clean_leftovers(tmp_path) == [".tmp-abc"]
    assert complete_versions(tmp_path) == ["v1"]


def test_prune_keeps_newest_and_published(tmp_path):
    for version in ("v1", "v2", "v3", "v4"):
        write_snapshot(tmp_path, version)
    publish(tmp_path, "v1")
    assert prune(tmp_path, keep=2) == ["v2"]
    assert complete_versions(tmp_path) == ["v1", "v3", "v4"]


def test_manifest_of_another_schema_is_refused(tmp_path):
    folder = write_snapshot(tmp_path, "v1", schema=99)
    with pytest.raises(SnapshotError, match="schema version 99"):
        read_manifest(folder)


def test_manifest_missing_fields_is_refused_naming_the_field(tmp_path):
    folder = write_snapshot(tmp_path, "v1")  # the schema version alone
    with pytest.raises(SnapshotError, match="manifest.json field 'version'"):
        read_manifest(folder)


def test_unreadable_manifest_is_refused(tmp_path):
    folder = write_snapshot(tmp_path, "v1")
    (folder / "manifest.json").write_text("{not json")
    with pytest.raises(SnapshotError, match="no readable manifest.json"):
        read_manifest(folder)


def test_ingest_lock_holds_across_processes(tmp_path):
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, pathlib; from snapshot.store import ingest_lock\n"
         "with ingest_lock(pathlib.Path(sys.argv[1])):\n    print('held', flush=True); sys.stdin.read()",
         str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(IngestRunning, match="already running"), ingest_lock(tmp_path):
            pass
    finally:
        holder.communicate("")
    with ingest_lock(tmp_path):  # released when its holder ends
        pass
