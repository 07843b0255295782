"""Embedding a snapshot's texts, reusing the published snapshot's vectors by content hash.

The texts still to encode go, in batches, to a BatchEncoder: LocalBatches encodes them in this
process; snapshot.cluster.ClusterBatches on the workers of a Dask cluster. Either answers every
batch's vectors in batch order, so the build does not know where the encoding ran.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from ingest.documents import content_hash
from ingest.progress import Progress
from search.encoder import Encoder
from snapshot.errors import SnapshotError
from snapshot.format import EMBEDDING_KEYS, EMBEDDINGS, read_json, read_manifest
from snapshot.store import current_version, snapshot_path

Vectors = dict[str, np.ndarray]  # content hash → vector


def published_embeddings(data: Path, model: str) -> Vectors:
    """Vectors of the published snapshot keyed by text hash, when it was made with `model`."""
    version = current_version(data)
    if version is None:
        return {}
    folder = snapshot_path(data, version)
    try:
        if read_manifest(folder).model.name != model:
            return {}
        keys = read_json(folder / EMBEDDING_KEYS)
        vectors = np.load(folder / EMBEDDINGS, mmap_mode="r")
    except (SnapshotError, OSError, ValueError):
        return {}
    return {key: vectors[i] for i, key in enumerate(keys)}


class BatchEncoder(Protocol):
    def encode_batches(self, batches: list[list[str]], progress: Progress) -> list[np.ndarray]:
        """One float32 array of vectors per batch, in batch order."""
        ...


class LocalBatches:
    """Encodes batches in this process, one after another; progress counts texts."""

    def __init__(self, encode: Callable[[list[str]], np.ndarray]) -> None:
        self._encode = encode

    def encode_batches(self, batches: list[list[str]], progress: Progress) -> list[np.ndarray]:
        progress.phase("embed", sum(len(batch) for batch in batches))
        vectors = []
        for batch in batches:
            vectors.append(self._encode(batch))
            progress.advance(len(batch))
        return vectors


def batched(texts: list[str], rows: list[int], batch_size: int) -> list[list[int]]:
    """`rows` of `texts` in the batches a BatchEncoder is handed, `batch_size * 4` rows each:
    longest first, as sentence-transformers orders one call, so batches of like lengths pad least."""
    ordered = sorted(rows, key=lambda i: -len(texts[i]))
    size = batch_size * 4
    return [ordered[start : start + size] for start in range(0, len(ordered), size)]


def embed_texts(texts: list[str], encoder: Encoder, previous: Vectors, batches: BatchEncoder,
                progress: Progress) -> tuple[np.ndarray, list[str], int]:
    """Vectors for `texts`, reusing `previous` ones by content hash and sending the others to
    `batches` (`batched`); returns (vectors, keys, reused)."""
    keys = [content_hash(encoder.model_name, text) for text in texts]
    missing = [i for i, key in enumerate(keys) if key not in previous]
    groups = batched(texts, missing, encoder.batch_size)
    encoded = batches.encode_batches([[texts[i] for i in rows] for rows in groups], progress)
    fresh = {row: vector for rows, batch in zip(groups, encoded, strict=True)
             for row, vector in zip(rows, batch, strict=True)}
    vectors = np.zeros((len(texts), encoder.dimension), dtype=np.float32)
    for i, key in enumerate(keys):
        vectors[i] = fresh[i] if i in fresh else previous[key]
    return vectors, keys, len(texts) - len(missing)
