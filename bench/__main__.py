"""`make bench`: ingest and search costs as ratios against their floors, measured in the same run.

Floors: for ingest, one raw batch encode of every chunk text with the same encoder; for a search,
one raw query encode plus an exact FAISS search. Results go to bench/results/latest.json and the
table printed here is the one kept in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from api.pipeline import build_snapshot, indexed_text
from api.service import open_service
from api.settings import BUNDLED_CORPUS, Settings
from ingest.chunking import chunk_section
from ingest.corpus import read_corpus
from search.dense import search_index
from search.encoder import Encoder

QUERIES = [
    "why did Uber leave Postgres", "consistent hashing", "garbage collection latency spikes",
    "token bucket vs sliding window", "two guests booked the same room", "fan-out on write",
    "how does a virtual waiting room work", "MVCC write amplification", "WebSocket gateway presence",
    "per-shot encoding adaptive bitrate", "geohash nearest drivers", "two-tower model ANN",
]
REPEATS = 5


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def bench_ingest(settings: Settings, encoder: Encoder) -> dict:
    corpus = read_corpus(BUNDLED_CORPUS, settings.taxonomy)
    sections = {s.id: s for s in corpus.sections}
    texts = [indexed_text(corpus.documents[sections[c.section_id].document_id], sections[c.section_id], c)
             for s in corpus.sections for c in chunk_section(s, settings.chunk_words,
                                                               settings.chunk_overlap)]
    floor, _ = timed(encoder.encode, texts)
    full, report = timed(build_snapshot, BUNDLED_CORPUS, settings, encoder, rebuild=True)
    study = BUNDLED_CORPUS / "studies" / "rate-limiter.md"
    with tempfile.TemporaryDirectory() as tmp:
        import shutil

        copy = Path(tmp) / "corpus"
        shutil.copytree(BUNDLED_CORPUS, copy)
        build_snapshot(copy, settings, encoder)
        edited = copy / "studies" / study.name
        edited.write_text(edited.read_text().replace("## Bottlenecks", "Edited for the benchmark.\n\n"
                                                                          "## Bottlenecks", 1))
        incremental, inc_report = timed(build_snapshot, copy, settings, encoder)
    return {"chunks": len(texts), "encode_floor_s": floor, "full_ingest_s": full,
            "full_over_floor": full / floor, "incremental_ingest_s": incremental,
            "incremental_over_full": incremental / full, "incremental_encoded": inc_report.encoded,
            "chunks_per_s": len(texts) / full}


def bench_search(settings: Settings, encoder: Encoder) -> dict:
    service = open_service(settings, encoder)
    index = service.snapshot.searcher.dense_index
    for query in QUERIES:  # warm up
        service.search(query)
    floor, full = [], []
    for _ in range(REPEATS):
        for query in QUERIES:
            t, vector = timed(encoder.encode, [query])
            t2, _ = timed(search_index, index, vector[0], settings.candidates)
            floor.append(t + t2)
            full.append(timed(service.search, query)[0])
    return {"queries": len(floor), "floor_p50_ms": percentile(floor, 50) * 1000,
            "search_p50_ms": percentile(full, 50) * 1000, "search_p99_ms": percentile(full, 99) * 1000,
            "p50_over_floor": statistics.median(full) / statistics.median(floor)}


def main() -> None:
    encoder = Encoder()
    encoder.encode(["warm up"])
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data=Path(tmp))
        ingest = bench_ingest(settings, encoder)
        search = bench_search(settings, encoder)
    results = {"machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
               "ingest": ingest, "search": search}
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    print("| measure | value | floor | ratio |")
    print("| --- | --- | --- | --- |")
    print(f"| full ingest of corpus/ ({ingest['chunks']} chunks) | {ingest['full_ingest_s']:.1f} s | "
          f"raw batch encode {ingest['encode_floor_s']:.1f} s | {ingest['full_over_floor']:.2f}× |")
    print(f"| re-ingest after editing one study ({ingest['incremental_encoded']} chunks re-embedded) | "
          f"{ingest['incremental_ingest_s']:.1f} s | full ingest {ingest['full_ingest_s']:.1f} s | "
          f"{ingest['incremental_over_full']:.2f}× |")
    print(f"| search p50, in-process ({search['queries']} queries) | {search['search_p50_ms']:.1f} ms | "
          f"encode + exact FAISS {search['floor_p50_ms']:.1f} ms | {search['p50_over_floor']:.2f}× |")
    print(f"| search p99, in-process | {search['search_p99_ms']:.1f} ms | | |")


if __name__ == "__main__":
    main()
