"""Dense retrieval: normalised embeddings in a FAISS inner-product index (exact, or IVF when large)."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

# Chosen by bench/scale.py (docs/SCALING.md): exact search up to this many chunks, IVF above.
EXACT_LIMIT = 50_000
IVF_PROBES = 32  # lists searched per query; recall@10 1.0 at 1M synthetic sections, p50 0.9 ms
TRAINING_SAMPLE = 100_000


def ivf_lists(n: int) -> int:
    """About 4·√n inverted lists, the usual rule of thumb (4,000 at a million chunks)."""
    return max(1, int(4 * np.sqrt(n)))


def build_index(vectors: np.ndarray, exact_limit: int = EXACT_LIMIT) -> faiss.Index:
    """Inner product on normalised vectors (cosine): exact for a corpus up to `exact_limit`
    chunks, an inverted-file index (k-means lists, exact vectors) above it."""
    dim = vectors.shape[1]
    if len(vectors) <= exact_limit:
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, ivf_lists(len(vectors)),
                                   faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(0)
        sample = rng.choice(len(vectors), min(len(vectors), TRAINING_SAMPLE), replace=False)
        index.train(vectors[np.sort(sample)])
    if len(vectors):
        index.add(vectors)
    return index


def save_index(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load_index(path: Path) -> faiss.Index:
    """Memory-mapped, so server workers share one copy in the page cache.

    IO_FLAG_MMAP_IFC maps both a flat index's vectors and an IVF index's lists (IO_FLAG_MMAP
    alone still reads a flat index into memory).
    """
    try:
        return faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)
    except RuntimeError:  # index types FAISS cannot map are read into memory
        return faiss.read_index(str(path))


def search_index(index: faiss.Index, query: np.ndarray, k: int,
                 allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
    """Top `k` rows for one query vector as (row, similarity); `allowed` limits the rows."""
    if index.ntotal == 0 or k <= 0:
        return []
    if allowed is not None and len(allowed) == 0:
        return []
    selector = faiss.IDSelectorBatch(allowed.astype(np.int64)) if allowed is not None else None
    if isinstance(index, faiss.IndexIVF):
        params = faiss.SearchParametersIVF(nprobe=IVF_PROBES)
        if selector is not None:
            params.sel = selector
    else:
        params = faiss.SearchParameters(sel=selector) if selector is not None else None
    scores, rows = index.search(query.reshape(1, -1), min(k, index.ntotal), params=params)
    return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]
