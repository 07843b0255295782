"""`make bench-graph`: the graph endpoints and /search, in-process and over HTTP, against a
FastAPI hello-world floor measured in the same run (requests interleaved, one keep-alive
connection per server, the client in the same process).

    .venv/bin/python -m bench.graph [--data DATA] [--rounds 40]

Without --data it ingests the bundled corpus with the configured model into a temporary folder.
Merges its figures into bench/results/latest.json under "graph" (read by `make bench-check`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from api.answer_json import answer_json
from api.app import create_app
from api.service import open_service
from api.settings import BUNDLED_CORPUS, Settings, encoder_for
from bench.http import Served, hello_app

CONCEPTS = ["sharding", "mvcc", "websockets", "circuit-breaker", "cdn", "geohashing"]
STUDIES = ["discord-read-states", "uber-postgres-to-mysql", "rate-limiter", "url-shortener"]
QUERIES = ["why did Uber leave Postgres", "consistent hashing", "fan-out on write",
           "geohash nearest drivers", "MVCC write amplification", "token bucket vs sliding window"]
RESULTS = Path(__file__).parent / "results" / "latest.json"


def read_ten(service) -> list[str]:
    studies = [d.id for d in service.snapshot.documents.values() if d.kind != "course"]
    return sorted(studies)[:10]


def calls(service, read: list[str]) -> dict[str, list]:
    """Each measured operation: in-process callables and the matching HTTP requests."""
    return {
        "related": [(lambda c=c: service.related(c, 10), ("GET", f"/concepts/{c}/related", None))
                    for c in CONCEPTS],
        "recommendations": [(lambda s=s: service.recommendations(s, 5),
                             ("GET", f"/studies/{s}/recommendations", None)) for s in STUDIES],
        "neighbourhood": [(lambda c=c: service.neighbourhood(c, 24),
                           ("GET", f"/concepts/{c}/neighbourhood", None)) for c in CONCEPTS],
        "learning_path": [(lambda c=c: service.learning_path(c, []),
                           ("GET", f"/concepts/{c}/learning-path", None)) for c in CONCEPTS],
        "themes": [(service.themes, ("GET", "/themes", None))],
        "history_10": [(lambda: service.recommend_after(read, 5),
                        ("POST", "/recommendations", {"read": read, "k": 5}))],
        # the same route with one study read: its answer is stored, so this is the POST path alone
        "history_1": [(lambda: service.recommend_after(read[:1], 5),
                       ("POST", "/recommendations", {"read": read[:1], "k": 5}))],
        "search": [(lambda q=q: service.search(q, 10), ("GET", "/search", {"q": q}))
                   for q in QUERIES],
    }


def _request(client: httpx.Client, method: str, path: str, payload) -> None:
    if method == "POST":
        client.post(path, json=payload).raise_for_status()
    else:
        client.get(path, params=payload).raise_for_status()


def measured(settings: Settings, ops: dict[str, list], rounds: int) -> tuple[dict, dict]:
    """p50 per operation in-process and over HTTP, and of the hello-world floor: each request
    is timed beside a hello-world request and the same call in-process, so all three see the
    same load on this shared machine."""
    times: dict[str, list[float]] = {name: [] for name in ["hello", "hello_async", "hello_post",
                                                           *ops]}
    local: dict[str, list[float]] = {name: [] for name in ops}
    with Served(hello_app()) as hello_url, Served(create_app(settings)) as url, \
            httpx.Client(base_url=hello_url) as hello, httpx.Client(base_url=url, timeout=60) as app:
        for _ in range(3):  # warm up
            hello.get("/hello")
            for items in ops.values():
                for _, request in items:
                    _request(app, *request)
        for _ in range(rounds):
            for name, items in ops.items():
                for fn, request in items:
                    started = time.perf_counter()
                    hello.get("/hello").raise_for_status()
                    times["hello"].append(time.perf_counter() - started)
                    started = time.perf_counter()
                    hello.get("/hello-async").raise_for_status()
                    times["hello_async"].append(time.perf_counter() - started)
                    if name == "history_10":  # the floor of a request with its body
                        started = time.perf_counter()
                        _request(hello, "POST", "/hello", request[2])
                        times["hello_post"].append(time.perf_counter() - started)
                    started = time.perf_counter()
                    _request(app, *request)
                    times[name].append(time.perf_counter() - started)
                    started = time.perf_counter()
                    fn()
                    local[name].append(time.perf_counter() - started)
    p50 = {name: statistics.median(values) * 1000 for name, values in times.items()}
    return {name: statistics.median(values) * 1000 for name, values in local.items()}, p50


def search_parts(service, rounds: int) -> dict[str, float]:
    """Where a /search answer's time goes besides the service: FastAPI's response handling
    (dump to a dict, validate it against the response model, serialise, json.dumps), against
    pydantic's `model_dump_json` and the routes' `answer_json` (orjson)."""
    answers = [service.search(q, 10) for q in QUERIES]
    model = type(answers[0])

    def fastapi_way(answer) -> None:
        json.dumps(model.model_validate(answer.model_dump()).model_dump(mode="json"))

    parts = {"fastapi_response": fastapi_way, "model_dump_json": lambda a: a.model_dump_json(),
             "answer_json": answer_json}
    out = {}
    for name, fn in parts.items():
        times = []
        for _ in range(rounds):
            for answer in answers:
                started = time.perf_counter()
                fn(answer)
                times.append(time.perf_counter() - started)
        out[name] = statistics.median(times) * 1000
    return out


def computed_related(service, rounds: int) -> float:
    """p50 of a related answer computed, not read from the service's memo: the cost of the
    first request for a concept after a reload (every later one is a memo hit)."""
    times = []
    for _ in range(rounds):
        for concept in CONCEPTS:
            service.memo.clear()
            started = time.perf_counter()
            service.related(concept, 10)
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(data: Path, rounds: int) -> dict:
    settings = Settings(data=data, reload_interval=0, query_cache=0)  # the encoder, not its cache
    service = open_service(settings, encoder_for(settings))
    service.snapshot.searcher.encode_query("warm up")
    local, http = measured(settings, ops := calls(service, read_ten(service)), rounds)
    floor = http["hello"]
    ratios = {f"{name}_http_over_floor": http[name] / floor for name in ops}
    ratios["history_10_http_over_post_floor"] = http["history_10"] / http["hello_post"]
    ratios["search_http_minus_in_process_over_floor"] = (http["search"] - local["search"]) / floor
    return {"in_process_ms": local, "http_ms": http, "ratios": ratios,
            "computed_ms": {"related": computed_related(service, rounds)},
            "search_parts_ms": search_parts(service, rounds)}


def print_table(result: dict) -> None:
    local, http, ratios = result["in_process_ms"], result["http_ms"], result["ratios"]
    print(f"| endpoint | in-process p50 | HTTP p50 | HTTP / hello-world ({http['hello']:.2f} ms) |")
    print("| --- | --- | --- | --- |")
    for name in local:
        print(f"| {name} | {local[name]:.3f} ms | {http[name]:.2f} ms | "
              f"{ratios[name + '_http_over_floor']:.2f}× |")
    print(f"\n/search over HTTP minus in-process: {http['search'] - local['search']:.2f} ms = "
          f"{ratios['search_http_minus_in_process_over_floor']:.2f}× the floor")
    print(f"POST /recommendations over a hello-world POST of the same body "
          f"({http['hello_post']:.2f} ms): {ratios['history_10_http_over_post_floor']:.2f}×")
    print(f"hello-world as an async route (no thread-pool hop): {http['hello_async']:.2f} ms")
    print(f"related computed (memo cleared) in-process: {result['computed_ms']['related']:.3f} ms")
    for name, value in result["search_parts_ms"].items():
        print(f"search response, {name}: {value:.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a data folder with a published snapshot")
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data
        if data is None:
            from snapshot.build import build_snapshot

            data = Path(tmp)
            settings = Settings(data=data)
            build_snapshot(BUNDLED_CORPUS, settings, encoder_for(settings))
        result = measure(data, args.rounds)
    RESULTS.parent.mkdir(exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    RESULTS.write_text(json.dumps({**previous, "graph": result}, indent=2))
    print_table(result)


if __name__ == "__main__":
    main()
