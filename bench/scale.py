"""How dense search grows with the corpus: synthetic section vectors at 10k, 100k and 1M.

Vectors-only mode: every synthetic section is a real chunk embedding of the bundled corpus (its
"topic") plus Gaussian noise, renormalised, so neighbourhoods look like real text rather than
uniform noise. Queries are drawn the same way. For each size: exact search (IndexFlatIP) and the
approximate indexes casegraph may choose, with build time, index memory, p50/p99 single-query
latency, and recall@10 against exact search.

    .venv/bin/python -m bench.scale [--sizes 10000 100000 1000000] [--noise 0.06]
        [--indexes flat hnsw ivf]

A larger --noise spreads the sections away from their topics (less clustered, harder for IVF).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import faiss
import numpy as np

from api.settings import Settings
from snapshot.store import current_version, snapshot_path

QUERIES = 200
NOISE = 0.06  # per-dimension noise; gives a cosine of about 0.7 to the topic vector
SEED = 11


def topics(data: Path) -> np.ndarray:
    folder = snapshot_path(data, current_version(data))
    return np.load(folder / "embeddings.npy")


def synthetic(base: np.ndarray, n: int, rng: np.random.Generator, noise: float = NOISE) -> np.ndarray:
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    for start in range(0, n, 100_000):
        rows = min(100_000, n - start)
        block = base[rng.integers(0, len(base), rows)] + rng.normal(0, noise, (rows, base.shape[1]))
        out[start : start + rows] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def candidates(n: int, dim: int, kinds: list[str]) -> dict[str, faiss.Index]:
    indexes = {}
    if "flat" in kinds:
        indexes["flat (exact)"] = faiss.IndexFlatIP(dim)
    if "hnsw" in kinds:
        hnsw = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 80
        indexes["hnsw M=32"] = hnsw
    if "ivf" in kinds:
        lists = int(4 * np.sqrt(n))
        indexes[f"ivf{lists},flat"] = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, lists,
                                                         faiss.METRIC_INNER_PRODUCT)
    return indexes


def build(index: faiss.Index, vectors: np.ndarray) -> tuple[float, float]:
    """Train (when needed) and fill the index; return build seconds and serialized size in MB."""
    started = time.perf_counter()
    if not index.is_trained:
        sample = np.random.default_rng(SEED).choice(len(vectors), min(len(vectors), 100_000), False)
        index.train(vectors[sample])
    index.add(vectors)
    return round(time.perf_counter() - started, 2), round(len(faiss.serialize_index(index)) / 2**20, 1)


def search(index: faiss.Index, queries: np.ndarray, truth: np.ndarray, tune: dict) -> dict:
    """Single-query latency and recall@10 against exact search, after setting the search knob."""
    for name, value in tune.items():
        if name == "efSearch":
            index.hnsw.efSearch = value
        else:
            index.nprobe = value
    times, found = [], []
    for q in queries:
        t = time.perf_counter()
        _, rows = index.search(q.reshape(1, -1), 10)
        times.append(time.perf_counter() - t)
        found.append(rows[0])
    recall = float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)]))
    return {"p50_ms": round(float(np.percentile(times, 50)) * 1000, 3),
            "p99_ms": round(float(np.percentile(times, 99)) * 1000, 3),
            "recall@10": round(recall, 4), **tune}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--noise", type=float, default=NOISE)
    parser.add_argument("--indexes", nargs="+", choices=["flat", "hnsw", "ivf"],
                        default=["flat", "hnsw", "ivf"])
    parser.add_argument("--data", type=Path, default=Settings().data)
    args = parser.parse_args()
    faiss.omp_set_num_threads(2)
    rng = np.random.default_rng(SEED)
    base = topics(args.data)
    rows = []
    for n in args.sizes:
        vectors = synthetic(base, n, rng, args.noise)
        queries = synthetic(base, QUERIES, rng, args.noise)
        exact = faiss.IndexFlatIP(vectors.shape[1])
        exact.add(vectors)
        similarity, truth = exact.search(queries, 10)
        neighbour_cosine = round(float(similarity.mean()), 3)  # how clustered the sections are
        for name, index in candidates(n, vectors.shape[1], args.indexes).items():
            settings = ([{}] if name.startswith("flat") else
                        [{"efSearch": e} for e in (32, 64, 128)] if name.startswith("hnsw") else
                        [{"nprobe": p} for p in (8, 16, 32, 64)])
            seconds, megabytes = build(index, vectors)
            for tune in settings:  # one build, each search knob
                rows.append({"sections": n, "noise": args.noise, "top10_cosine": neighbour_cosine,
                             "index": name, "build_s": seconds,
                             "memory_mb": megabytes, **search(index, queries, truth, tune)})
                print(json.dumps(rows[-1]), flush=True)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / f"scale-noise{args.noise}.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
