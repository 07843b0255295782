"""Distributed ingest on this machine: full rebuilds of the bundled corpus encoded here and on
Dask clusters of 1 and 2 local workers, and the scheduler's cost per batch. The floor is the
local ingest, run before and after the clusters (their mean), in the same run.

    .venv/bin/python -m bench.cluster
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from api.settings import BUNDLED_CORPUS, Settings, encoder_for, encoder_recipe
from bench.document_encoder import ingest_batches
from deploy import local
from snapshot.build import build_snapshot

CLUSTERS = [(1, 1), (1, 2), (2, 1)]  # (workers, threads each)
NOOP_BATCHES = 200
ROUND_TRIPS = 50


def noop_batch(texts: list[str]) -> np.ndarray:
    """What a worker answers for a batch, without encoding it: the scheduler's cost alone."""
    return np.zeros((len(texts), 384), dtype=np.float32)


def rebuild(settings: Settings, encoder, batches=None) -> tuple[float, int]:
    started = time.perf_counter()
    report = build_snapshot(BUNDLED_CORPUS, settings, encoder, rebuild=True, batches=batches)
    return time.perf_counter() - started, report.encoded


def overhead(address: str, payload: list[list[str]]) -> tuple[float, float]:
    """Seconds per batch through the scheduler with a no-op worker function: mapped all at once
    (throughput), and one at a time (round trip)."""
    from distributed import Client

    with Client(address, set_as_default=False) as client:
        client.gather(client.map(noop_batch, payload[:4], pure=False))  # warm up
        many = [payload[i % len(payload)] for i in range(NOOP_BATCHES)]
        started = time.perf_counter()
        client.gather(client.map(noop_batch, many, pure=False))
        mapped = (time.perf_counter() - started) / NOOP_BATCHES
        started = time.perf_counter()
        for i in range(ROUND_TRIPS):
            client.submit(noop_batch, payload[i % len(payload)], pure=False).result()
        return mapped, (time.perf_counter() - started) / ROUND_TRIPS


def on_cluster(settings: Settings, encoder, workers: int, threads: int,
               folder: Path) -> dict:
    from snapshot.cluster import connect

    port = local.free_port()
    address = f"tcp://127.0.0.1:{port}"
    processes = [local.scheduler(port, folder)]
    try:
        processes += [local.worker(address, f"w{n}", folder, threads) for n in range(workers)]
        local.wait_for_workers(address, workers)
        started = time.perf_counter()
        with connect(address, encoder_recipe(settings)) as batches:  # each worker loads the model
            ready = time.perf_counter() - started
            seconds, texts = rebuild(settings, encoder, batches)
        result = {"ready_s": ready, "ingest_s": seconds, "texts": texts}
        if workers == 2:
            result["mapped_s"], result["round_trip_s"] = overhead(
                address, ingest_batches(settings, settings.batch_size))
        return result
    finally:
        for process in reversed(processes):
            local.stop(process)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data=Path(tmp) / "data")
        encoder = encoder_for(settings)
        build_snapshot(BUNDLED_CORPUS, settings, encoder)  # exports the model once
        before, texts = rebuild(settings, encoder)
        clusters = {}
        for workers, threads in CLUSTERS:
            folder = Path(tmp) / f"cluster-{workers}x{threads}"
            folder.mkdir()
            clusters[workers, threads] = on_cluster(settings, encoder, workers, threads, folder)
        after, _ = rebuild(settings, encoder)
    floor = statistics.mean([before, after])
    print(f"{texts} texts; local ingest {before:.1f} s before the clusters, {after:.1f} s after\n")
    print("| encoded by | workers ready | ingest | texts/s | ingest vs local |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| this process (2 threads) | — | {floor:.1f} s | {texts / floor:.1f} | 1.00× |")
    for (workers, threads), result in clusters.items():
        print(f"| {workers} worker(s) × {threads} thread(s) | {result['ready_s']:.1f} s | "
              f"{result['ingest_s']:.1f} s | {texts / result['ingest_s']:.1f} | "
              f"{result['ingest_s'] / floor:.2f}× |")
    two = clusters[2, 1]
    batch = floor / len(ingest_batches(settings, settings.batch_size))
    print(f"\nscheduler cost per batch (no-op worker function, real batch payload, 2 workers): "
          f"{two['mapped_s'] * 1000:.1f} ms mapped, {two['round_trip_s'] * 1000:.1f} ms one "
          f"at a time; a batch takes {batch:.2f} s to encode here")


if __name__ == "__main__":
    main()
