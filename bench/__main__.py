"""`make bench`: costs as ratios against their floors, all measured in the same run.

Floors: ingest — one raw encode of every text in ingest's batches by the encoder ingest uses (the
fp32 ONNX session); search — one raw
`SentenceTransformer.encode` of the query plus an exact FAISS search; HTTP — a FastAPI hello-world
endpoint served the same way. Writes bench/results/latest.json and prints the tables kept in
docs/BENCHMARKS.md.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from api.service import open_service
from api.settings import BUNDLED_CORPUS, Settings, encoder_for
from bench.document_encoder import ingest_batches
from bench.http import http_latencies
from search.dense import search_index
from search.onnx_encoder import document_encoder
from search.snippets import query_terms, snippet
from snapshot.build import build_snapshot
from snapshot.format import QUERY_ENCODER, read_manifest
from snapshot.store import current_version, snapshot_path

QUERIES = [
    "why did Uber leave Postgres", "consistent hashing", "garbage collection latency spikes",
    "token bucket vs sliding window", "two guests booked the same room", "fan-out on write",
    "how does a virtual waiting room work", "MVCC write amplification", "WebSocket gateway presence",
    "per-shot encoding adaptive bitrate", "geohash nearest drivers", "two-tower model ANN",
]
CONCEPTS = ["sharding", "mvcc", "websockets", "circuit-breaker", "cdn", "geohashing"]
STUDIES = ["discord-read-states", "uber-postgres-to-mysql", "rate-limiter", "url-shortener"]
K = 10  # results per search and related request, as the API's default
REPEATS = 5
INGEST_REPEATS = 5


def ms(values: list[float], q: float = 50) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))] * 1000


def timed(fn, *args, **kwargs) -> float:
    started = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - started


def raw_encode(settings: Settings, encoder):
    """The floor of an ingest: the document encoder ingest uses (the fp32 ONNX export of the
    published snapshot, or the model), over the bundled corpus's texts in ingest's batches."""
    folder = snapshot_path(settings.data, current_version(settings.data))
    info = read_manifest(folder).query_encoder
    encode = document_encoder(encoder, folder / QUERY_ENCODER, info.agreement, info.max_tokens,
                              threads=0)
    batches = ingest_batches(settings, encoder.batch_size)
    return lambda: [encode(batch) for batch in batches]


def bench_ingest(settings: Settings, encoder) -> dict:
    """First ingest into an empty data folder (it exports the model to ONNX once) against a raw
    encode run just after it, then full rebuilds (every text re-embedded, the export reused),
    each against a raw encode run just before it: the rebuild's ratio is the median of those
    pairs' ratios, as each pair sees the same load on this shared machine; then re-ingests after
    one edit each (median)."""
    first = timed(build_snapshot, BUNDLED_CORPUS, settings, encoder)
    floor_run = raw_encode(settings, encoder)
    first_floor = timed(floor_run)
    texts = sum(len(batch) for batch in ingest_batches(settings, encoder.batch_size))
    rebuilds = [(timed(floor_run),
                 timed(build_snapshot, BUNDLED_CORPUS, settings, encoder, rebuild=True))
                for _ in range(INGEST_REPEATS)]
    floor = statistics.median(f for f, _ in rebuilds)
    full = statistics.median(r for _, r in rebuilds)
    ratios = [r / f for f, r in rebuilds]
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "corpus"
        shutil.copytree(BUNDLED_CORPUS, copy)
        build_snapshot(copy, settings, encoder)
        edited = copy / "studies" / "rate-limiter.md"
        edits = []
        for n in range(INGEST_REPEATS):  # each edit changes one more paragraph's text
            edited.write_text(edited.read_text().replace("## Bottlenecks", f"Edit {n}.\n\n## Bottlenecks", 1))
            started = time.perf_counter()
            report = build_snapshot(copy, settings, encoder)
            edits.append(time.perf_counter() - started)
        incremental = statistics.median(edits)
    return {"texts": texts, "first_floor_s": first_floor, "first_s": first,
            "first_ratio": first / first_floor, "floor_s": floor, "full_s": full,
            "full_ratio": statistics.median(ratios), "full_ratios": ratios,
            "full_over_floor_medians": full / floor,
            "incremental_s": incremental, "incremental_ratio": incremental / full,
            "incremental_runs_s": edits,
            "incremental_encoded": report.encoded}


def bench_search(settings: Settings, encoder) -> dict:
    service = open_service(settings, encoder)  # the default: ONNX int8 query encoder
    fp32_service = open_service(settings.model_copy(update={"query_encoder": "onnx"}), encoder)
    torch_service = open_service(settings.model_copy(update={"query_encoder": "torch"}), encoder)
    searcher = service.snapshot.searcher
    fp32 = fp32_service.snapshot.searcher.encode_query.__wrapped__

    def floor(query: str) -> None:
        search_index(searcher.dense_index, encoder.encode([query])[0], settings.candidates)

    def uncached(run):
        def call(query: str) -> None:
            for each in (service, fp32_service, torch_service):
                each.snapshot.searcher.encode_query.cache_clear()
            run(query)
        return call

    def snippets(query: str) -> None:  # ranking, then its snippets, as the service builds them
        terms = query_terms(query)
        for hit in searcher.search(query).documents:
            for section in hit.sections:
                snippet(service.snapshot.chunks[section.chunk_row].text, terms)

    vector = encoder.encode(["warm up"])[0]
    stages = {  # each measured in its own loop, so one runtime's idle threads never slow another
        "floor": floor, "torch_encode": lambda q: encoder.encode([q]),
        "search_torch": uncached(lambda q: torch_service.search(q, k=K)),
        "fp32_encode": fp32, "search_fp32": uncached(lambda q: fp32_service.search(q, k=K)),
        "onnx_encode": searcher.encode_query.__wrapped__,
        "search_onnx": uncached(lambda q: service.search(q, k=K)),
        "faiss": lambda q: search_index(searcher.dense_index, vector, settings.candidates),
        "bm25": lambda q: searcher.lexical.search(q, settings.candidates),
        "ranked": searcher.search,  # query vector cached: retrieval, fusion, grouping
        "link_query": lambda q: service.snapshot.linker.find(q, "query"),
        "snippets": snippets,
        "cache_hit": lambda q: service.search(q, k=K),
    }
    parts: dict[str, list[float]] = {}
    for name, run in stages.items():
        for query in QUERIES:  # warm up
            run(query)
        parts[name] = [timed(run, query) for _ in range(REPEATS) for query in QUERIES]
    related = [timed(service.related, c, K) for _ in range(REPEATS) for c in CONCEPTS]
    recs = [timed(service.recommendations, s, 5) for _ in range(REPEATS) for s in STUDIES]
    out = {f"{k}_p50_ms": ms(v) for k, v in parts.items()}
    out.update({"search_onnx_p99_ms": ms(parts["search_onnx"], 99),
                "search_over_floor": statistics.median(parts["search_onnx"])
                / statistics.median(parts["floor"]),
                "torch_search_over_floor": statistics.median(parts["search_torch"])
                / statistics.median(parts["floor"]),
                "fp32_search_over_floor": statistics.median(parts["search_fp32"])
                / statistics.median(parts["floor"]),
                "related_p50_ms": ms(related), "recommendations_p50_ms": ms(recs)})
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data=Path(tmp), reload_interval=0)
        encoder = encoder_for(settings)
        encoder.encode(["warm up"])
        ingest = bench_ingest(settings, encoder)
        search = bench_search(settings, encoder)
        http = http_latencies(settings, QUERIES, CONCEPTS)
    results = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
               "ingest": ingest, "search": search, "http": http}
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    latest = out / "latest.json"  # other benchmarks (bench.graph) keep their sections
    previous = json.loads(latest.read_text()) if latest.exists() else {}
    latest.write_text(json.dumps({**previous, **results}, indent=2))
    s, i, h = search, ingest, http
    print("| measure | value | floor | ratio |\n| --- | --- | --- | --- |")
    print(f"| first ingest into an empty data folder ({i['texts']} texts: chunks, concept "
          f"descriptions and names; includes the one-time ONNX export of the model) | {i['first_s']:.1f} s | "
          f"raw encode {i['first_floor_s']:.1f} s | {i['first_ratio']:.2f}× |")
    print(f"| full rebuild of corpus/ (every text re-embedded; median of {INGEST_REPEATS} pairs' "
          f"ratios {', '.join(f'{r:.2f}' for r in i['full_ratios'])}; ratio of the medians "
          f"{i['full_over_floor_medians']:.2f}) | {i['full_s']:.1f} s | raw encode "
          f"{i['floor_s']:.1f} s | {i['full_ratio']:.2f}× |")
    print(f"| re-ingest after editing one study ({i['incremental_encoded']} texts re-embedded; "
          f"median of {INGEST_REPEATS}, " + ", ".join(f"{t:.1f}" for t in i["incremental_runs_s"])
          + f" s) | {i['incremental_s']:.1f} s | full rebuild {i['full_s']:.1f} s | "
          f"{i['incremental_ratio']:.2f}× |")
    print(f"| search p50 in-process, ONNX int8 query encoder (default) | {s['search_onnx_p50_ms']:.1f} ms "
          f"| torch encode + exact FAISS {s['floor_p50_ms']:.1f} ms | {s['search_over_floor']:.2f}× |")
    print(f"| search p50 in-process, ONNX fp32 query encoder | {s['search_fp32_p50_ms']:.1f} ms | same | "
          f"{s['fp32_search_over_floor']:.2f}× |")
    print(f"| search p50 in-process, torch query encoder | {s['search_torch_p50_ms']:.1f} ms | same | "
          f"{s['torch_search_over_floor']:.2f}× |")
    print(f"| search p99 in-process, ONNX int8 | {s['search_onnx_p99_ms']:.1f} ms | | |")
    print(f"| search p50, query embedding cached | {s['cache_hit_p50_ms']:.1f} ms | | |")
    print(f"| related concepts p50 in-process | {s['related_p50_ms']:.1f} ms | | |")
    print(f"| recommendations p50 in-process | {s['recommendations_p50_ms']:.1f} ms | | |")
    print(f"| GET /search p50 over HTTP | {h['search_p50_ms']:.1f} ms | hello-world "
          f"{h['hello_p50_ms']:.1f} ms | HTTP share {h['search_p50_ms'] - s['search_onnx_p50_ms']:.1f} ms |")
    print(f"| GET /concepts/{{id}}/related p50 over HTTP | {h['related_p50_ms']:.1f} ms | hello-world "
          f"{h['hello_p50_ms']:.1f} ms | |")
    print("\n| search stage (p50) | ms |\n| --- | --- |")
    for stage in ("torch_encode", "fp32_encode", "onnx_encode", "faiss", "bm25"):
        print(f"| {stage.replace('_', ' ')} | {s[stage + '_p50_ms']:.2f} |")
    rest = {"RRF fusion and grouping into studies": s["ranked_p50_ms"] - s["faiss_p50_ms"]
            - s["bm25_p50_ms"], "linking the query to concepts": s["link_query_p50_ms"],
            "snippets (up to 30, with highlights)": s["snippets_p50_ms"] - s["ranked_p50_ms"],
            "response (studies, sections, concepts)": s["cache_hit_p50_ms"] - s["snippets_p50_ms"]
            - s["link_query_p50_ms"]}
    for stage, value in rest.items():
        print(f"| {stage} | {value:.2f} |")


if __name__ == "__main__":
    main()
