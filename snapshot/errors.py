"""What can go wrong with snapshots, for the layers above to report."""

from __future__ import annotations


class SnapshotError(RuntimeError):
    """No usable snapshot, or one that this version of casegraph cannot read."""


class IngestRunning(SnapshotError):
    """Another ingest holds the data folder's lock."""
