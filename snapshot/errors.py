"""What can go wrong with snapshots, for the layers above to report."""

from __future__ import annotations


class SnapshotError(RuntimeError):
    """No usable snapshot, or one that this version of casegraph cannot read."""


class IngestRunning(SnapshotError):
    """Another ingest holds the data folder's lock."""


class ClusterUnavailable(RuntimeError):
    """The Dask cluster an ingest was sent to cannot be reached, has no worker, or lost them."""
