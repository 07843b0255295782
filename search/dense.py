"""Dense retrieval: normalised embeddings in an exact inner-product FAISS index."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


def build_index(vectors: np.ndarray) -> faiss.Index:
    """An exact inner-product index; on normalised vectors that is cosine similarity."""
    index = faiss.IndexFlatIP(vectors.shape[1])
    if len(vectors):
        index.add(vectors)
    return index


def save_index(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load_index(path: Path) -> faiss.Index:
    return faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)


def search_index(index: faiss.Index, query: np.ndarray, k: int,
                 allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
    """Top `k` rows for one query vector as (row, similarity); `allowed` limits the rows."""
    if index.ntotal == 0 or k <= 0:
        return []
    params = None
    if allowed is not None:
        if len(allowed) == 0:
            return []
        params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed.astype(np.int64)))
    scores, rows = index.search(query.reshape(1, -1), min(k, index.ntotal), params=params)
    return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]
