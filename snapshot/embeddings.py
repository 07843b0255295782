"""Embedding a snapshot's texts, reusing the published snapshot's vectors by content hash."""

from __future__ import annotations

from pathlib import Path

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


def embed_texts(texts: list[str], encoder: Encoder, previous: Vectors,
                progress: Progress) -> tuple[np.ndarray, list[str], int]:
    """Vectors for `texts`, reusing `previous` ones by content hash; returns (vectors, keys, reused)."""
    keys = [content_hash(encoder.model_name, text) for text in texts]
    # Longest first, as sentence-transformers orders one call: batches of like lengths pad least.
    missing = sorted((i for i, key in enumerate(keys) if key not in previous),
                     key=lambda i: -len(texts[i]))
    progress.phase("embed", len(missing))
    fresh: dict[int, np.ndarray] = {}
    batch = max(encoder.batch_size * 4, 64)
    for start in range(0, len(missing), batch):
        rows = missing[start : start + batch]
        for row, vector in zip(rows, encoder.encode([texts[i] for i in rows]), strict=True):
            fresh[row] = vector
        progress.advance(len(rows))
    vectors = np.zeros((len(texts), encoder.dimension), dtype=np.float32)
    for i, key in enumerate(keys):
        vectors[i] = fresh[i] if i in fresh else previous[key]
    return vectors, keys, len(texts) - len(missing)
