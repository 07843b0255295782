"""Snapshots on disk: versioned folders, written aside and switched in atomically.

Layout of the data folder:
    CURRENT                      the name of the snapshot in service (replaced atomically)
    snapshots/<version>/         one complete snapshot (manifest.json last)
    snapshots/.tmp-<random>/     a snapshot being written; removed by the next build if left behind
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 4  # 2: embedding profiles; 3: section markdown; 4: int8 query encoder
MANIFEST = "manifest.json"
POINTER = "CURRENT"
TMP_PREFIX = ".tmp-"
ENCODER_DIR = "encoder"  # the ONNX query encoders inside a snapshot


class SnapshotError(RuntimeError):
    """No usable snapshot, or one that this version of casegraph cannot read."""


def snapshots_dir(data: Path) -> Path:
    return data / "snapshots"


def new_version(corpus_hash: str) -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + corpus_hash[:8]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json(path: Path, data: Any) -> None:
    with path.open("w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"), default=str)


def read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


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
        os.rename(staging, root / version)
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
        if (snapshots_dir(data) / version / MANIFEST).is_file():
            return version
    versions = complete_versions(data)
    return versions[-1] if versions else None


def prune(data: Path, keep: int) -> list[str]:
    """Delete all but the newest `keep` snapshots, never the published one."""
    current = current_version(data)
    versions = complete_versions(data)
    doomed = [v for v in versions[:-keep] if v != current] if keep > 0 else []
    for version in doomed:
        shutil.rmtree(snapshots_dir(data) / version, ignore_errors=True)
    return doomed


def read_manifest(folder: Path) -> dict[str, Any]:
    manifest = read_json(folder / MANIFEST)
    found = manifest.get("schema_version")
    if found != SCHEMA_VERSION:
        raise SnapshotError(f"snapshot {folder.name} has schema version {found}, this casegraph reads "
                            f"{SCHEMA_VERSION}; rebuild it with `casegraph ingest --rebuild`")
    return manifest
