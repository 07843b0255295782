"""Hot reload under load: concurrent /search and /related for DURATION seconds on loopback while
the published snapshot flips between two versions; reports failures and p50/p99, per worker count.

    .venv/bin/python -m bench.reload_load [--seconds 30] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from api.settings import BUNDLED_CORPUS, Settings, encoder_for
from deploy import local
from snapshot.build import build_snapshot
from snapshot.store import current_version, publish

QUERIES = ["why did Uber leave Postgres", "consistent hashing", "GC pauses", "seat locking",
           "fan-out on write", "adaptive bitrate"]
CONCEPTS = ["sharding", "mvcc", "websockets", "circuit-breaker", "cdn", "geohashing"]
CONCURRENCY = 8
FLIP_EVERY = 4.0  # seconds between snapshot flips


def two_snapshots(data: Path, encoder) -> tuple[str, str]:
    """The bundled corpus, and the same less one study: two complete, different snapshots."""
    settings = Settings(data=data)
    first = build_snapshot(BUNDLED_CORPUS, settings, encoder).version
    with tempfile.TemporaryDirectory() as tmp:
        smaller = Path(tmp) / "corpus"
        shutil.copytree(BUNDLED_CORPUS, smaller)
        (smaller / "studies" / "parking-lot.md").unlink()
        second = build_snapshot(smaller, settings, encoder).version
    return first, second


async def hammer(base: str, stop: float, latencies: list[float], failures: list[str],
                 versions: set[str], worker: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        n = worker
        while time.monotonic() < stop:
            n += 1
            url = (f"/search?q={QUERIES[n % len(QUERIES)]}" if n % 2 else
                   f"/concepts/{CONCEPTS[n % len(CONCEPTS)]}/related")
            started = time.perf_counter()
            try:
                response = await client.get(url)
                ok = response.status_code == 200 and response.json()
            except httpx.HTTPError as exc:
                failures.append(f"{url}: {exc!r}")
                continue
            latencies.append(time.perf_counter() - started)
            if not ok:
                failures.append(f"{url}: {response.status_code}")
            if n % 25 == 0:
                versions.add((await client.get("/healthz")).json()["snapshot"]["version"])


async def flip(data: Path, pair: tuple[str, str], stop: float) -> int:
    flips = 0
    while time.monotonic() + FLIP_EVERY < stop:
        await asyncio.sleep(FLIP_EVERY)
        publish(data, pair[0] if current_version(data) == pair[1] else pair[1])
        flips += 1
    return flips


async def run(base: str, data: Path, pair: tuple[str, str], seconds: float) -> dict:
    latencies: list[float] = []
    failures: list[str] = []
    versions: set[str] = set()
    stop = time.monotonic() + seconds
    results = await asyncio.gather(flip(data, pair, stop), *[
        hammer(base, stop, latencies, failures, versions, w) for w in range(CONCURRENCY)])
    return {"requests": len(latencies) + len(failures), "failures": len(failures),
            "failure_samples": failures[:5], "flips": results[0],
            "versions_seen": len(versions & set(pair)), "foreign_versions": len(versions - set(pair)),
            "p50_ms": float(np.percentile(latencies, 50) * 1000),
            "p99_ms": float(np.percentile(latencies, 99) * 1000)}


def serve(data: Path, workers: int, port: int) -> subprocess.Popen:
    """`casegraph serve` with `workers` processes, checking for a new snapshot twice a second."""
    env = {**os.environ, "CASEGRAPH_RELOAD_INTERVAL": "0.5"}
    return subprocess.Popen([*local.CASEGRAPH, "serve", "--data", str(data), "--host", "127.0.0.1",
                             "--port", str(port), "--workers", str(workers),
                             "--log-level", "warning"], env=env)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        pair = two_snapshots(data, encoder_for(Settings()))
        print("| workers | requests | failures | snapshot flips | p50 | p99 |")
        print("| --- | --- | --- | --- | --- | --- |")
        for workers in args.workers:
            port = local.free_port()
            server = serve(data, workers, port)
            try:
                base = f"http://127.0.0.1:{port}"
                local.wait_until(lambda port=port: local.answering(port), 120, "the server answering")
                report = asyncio.run(run(base, data, pair, args.seconds))
            finally:
                server.terminate()
                server.wait()
            print(f"| {workers} | {report['requests']} | {report['failures']} | {report['flips']} | "
                  f"{report['p50_ms']:.0f} ms | {report['p99_ms']:.0f} ms |")
            if report["failures"] or report["foreign_versions"]:
                print("failures:", report["failure_samples"], file=sys.stderr)
                sys.exit(1)


if __name__ == "__main__":
    main()
