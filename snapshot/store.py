"""Snapshots on disk: versioned folders, written aside and switched in atomically.

Layout of the data folder:
    CURRENT                      the name of the snapshot in service (replaced atomically)
    ingest.lock                  held by the ingest that is running, whichever process runs it
    snapshots/<version>/         one complete snapshot (manifest.json last; see snapshot.format)
    snapshots/.tmp-<random>/     a snapshot being written; removed by the next build if left behind
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from snapshot.errors import IngestRunning
from snapshot.format import MANIFEST

POINTER = "CURRENT"
LOCK = "ingest.lock"
TMP_PREFIX = ".tmp-"


def snapshots_dir(data: Path) -> Path:
    return data / "snapshots"


def snapshot_path(data: Path, version: str) -> Path:
    """The folder of one snapshot version."""
    return snapshots_dir(data) / version


def new_version(corpus_hash: str) -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + corpus_hash[:8]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def ingest_lock(data: Path) -> Iterator[None]:
    """Hold the data folder's ingest lock (an OS file lock, so it holds across processes and is
    released when its holder dies); IngestRunning when another ingest holds it."""
    data.mkdir(parents=True, exist_ok=True)
    with (data / LOCK).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IngestRunning(f"an ingest into {data} is already running; try again when it "
                                "finishes") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def clean_leftovers(data: Path) -> list[str]:
    """Remove half-written snapshot folders left by an interrupted build."""
    removed = []
    root = snapshots_dir(data)
    if root.is_dir():
        for leftover in root.glob(TMP_PREFIX + "*"):
            shutil.rmtree(leftover, ignore_errors=True)
            removed.append(leftover.name)
    return removed


@contextmanager
def staged_snapshot(data: Path, version: str) -> Iterator[Path]:
    """Yield a temporary folder to write into; on success, fsync it and move it into place."""
    root = snapshots_dir(data)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=root))
    try:
        yield staging
        for path in staging.rglob("*"):
            if path.is_file():
                with path.open("rb+") as f:
                    os.fsync(f.fileno())
        _fsync_dir(staging)
        os.rename(staging, snapshot_path(data, version))
        _fsync_dir(root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def publish(data: Path, version: str) -> None:
    """Point CURRENT at `version` atomically (write aside, fsync, rename)."""
    pointer = data / POINTER
    staging = data / f"{POINTER}.{os.getpid()}.tmp"
    staging.write_text(version + "\n", encoding="utf-8")
    with staging.open("rb+") as f:
        os.fsync(f.fileno())
    os.replace(staging, pointer)
    _fsync_dir(data)


def complete_versions(data: Path) -> list[str]:
    """Versions with a manifest, oldest first."""
    root = snapshots_dir(data)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir()
                  if not p.name.startswith(TMP_PREFIX) and (p / MANIFEST).is_file())


def current_version(data: Path) -> str | None:
    """The published version, or the newest complete one when CURRENT is missing or stale."""
    pointer = data / POINTER
    if pointer.is_file():
        version = pointer.read_text(encoding="utf-8").strip()
        if (snapshot_path(data, version) / MANIFEST).is_file():
            return version
    versions = complete_versions(data)
    return versions[-1] if versions else None


def prune(data: Path, keep: int) -> list[str]:
    """Delete all but the newest `keep` snapshots, never the published one."""
    current = current_version(data)
    versions = complete_versions(data)
    doomed = [v for v in versions[:-keep] if v != current] if keep > 0 else []
    for version in doomed:
        shutil.rmtree(snapshot_path(data, version), ignore_errors=True)
    return doomed
