"""Requests per second through nginx (deploy/casegraph.conf) with 1 and 2 `casegraph serve`
replicas, against one replica asked directly (the floor), all in the same run and on the same
cores as the load generator: GET /search over the 115 gold queries with the query cache off,
CONCURRENCY clients for --seconds per measurement, every configuration measured --rounds times
in turn. CPU seconds are summed per process tree, to show where the two cores went.

    .venv/bin/python -m bench.replicas [--seconds 15] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import psutil

from api.settings import BUNDLED_CORPUS, Settings, encoder_for
from deploy import local
from eval.search_quality import load_queries
from snapshot.build import build_snapshot

CONCURRENCY = 16
SERVE_ENV = {"CASEGRAPH_QUERY_CACHE": "0", "CASEGRAPH_RELOAD_INTERVAL": "0"}


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes and their children."""
    total = 0.0
    for pid in pids:
        root = psutil.Process(pid)
        for process in (root, *root.children(recursive=True)):
            times = process.cpu_times()
            total += times.user + times.system
    return total


async def load(base: str, seconds: float, queries: list[str]) -> tuple[list[float], int]:
    latencies: list[float] = []
    failures = 0
    stop = time.monotonic() + seconds

    async def client(n: int) -> None:
        nonlocal failures
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            while time.monotonic() < stop:
                n += CONCURRENCY
                started = time.perf_counter()
                try:
                    response = await http.get("/search", params={"q": queries[n % len(queries)]})
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - started)
                else:
                    failures += 1

    await asyncio.gather(*[client(n) for n in range(CONCURRENCY)])
    return latencies, failures


def measure(base: str, seconds: float, queries: list[str], servers: list[int]) -> dict:
    """One load run; CPU seconds of the servers (replicas, nginx) and of this load generator."""
    servers_before, client_before = cpu_seconds(servers), time.process_time()
    latencies, failures = asyncio.run(load(base, seconds, queries))
    return {"rps": len(latencies) / seconds, "p50_ms": np.percentile(latencies, 50) * 1000,
            "p99_ms": np.percentile(latencies, 99) * 1000, "failures": failures,
            "server_cpu": (cpu_seconds(servers) - servers_before) / seconds,
            "client_cpu": (time.process_time() - client_before) / seconds}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    queries = [q["query"] for q in load_queries()]
    with tempfile.TemporaryDirectory() as tmp:
        data, logs = Path(tmp) / "data", Path(tmp) / "logs"
        logs.mkdir()
        settings = Settings(data=data)
        build_snapshot(BUNDLED_CORPUS, settings, encoder_for(settings))
        ports = [local.free_port(), local.free_port()]
        replicas = [local.replica(data, port, logs, **SERVE_ENV) for port in ports]
        fronts = {n: local.free_port() for n in (1, 2)}
        proxies = {n: local.nginx(ports[:n], fronts[n], Path(tmp) / f"nginx-{n}") for n in fronts}
        runs: dict[str, list[dict]] = {"one replica, direct": [], "nginx, 1 replica": [],
                                       "nginx, 2 replicas": []}
        try:
            for port in (*ports, *fronts.values()):
                local.wait_until(lambda port=port: local.answering(port), 120, f"{port} answering")
            targets = {"one replica, direct": (ports[0], [replicas[0].pid]),
                       "nginx, 1 replica": (fronts[1], [replicas[0].pid, proxies[1].pid]),
                       "nginx, 2 replicas": (fronts[2], [r.pid for r in replicas]
                                             + [proxies[2].pid])}
            for _ in range(args.rounds):
                for name, (port, servers) in targets.items():
                    runs[name].append(measure(f"http://127.0.0.1:{port}", args.seconds, queries,
                                              servers))
        finally:
            for process in (*proxies.values(), *replicas):
                local.stop(process)
    floor = statistics.mean(r["rps"] for r in runs["one replica, direct"])
    print(f"{CONCURRENCY} concurrent clients, {args.seconds:g} s a run, {args.rounds} runs each, "
          f"in turn; GET /search, query cache off\n")
    print("| path | requests/s (each run) | vs direct | p50 | p99 | failed | server CPU | "
          "load generator CPU |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, results in runs.items():
        rps = statistics.mean(r["rps"] for r in results)
        mean = {key: statistics.mean(r[key] for r in results)
                for key in ("p50_ms", "p99_ms", "server_cpu", "client_cpu")}
        each = ", ".join(f"{r['rps']:.0f}" for r in results)
        print(f"| {name} | {rps:.0f} ({each}) | "
              f"{rps / floor:.2f}× | {mean['p50_ms']:.1f} ms | {mean['p99_ms']:.1f} ms | "
              f"{sum(r['failures'] for r in results)} | {mean['server_cpu']:.2f} cores | "
              f"{mean['client_cpu']:.2f} cores |")


if __name__ == "__main__":
    main()
