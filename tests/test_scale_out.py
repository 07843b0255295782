"""Past one machine, with real processes on loopback and no mocks (deploy/local.py starts them):
a Dask scheduler with two workers that load the real model, ingests on it compared with local
ones, a worker killed in the middle of one, and two `casegraph serve` replicas behind nginx
(deploy/casegraph.conf) under load while one is killed and a new snapshot is published."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from typer.testing import CliRunner

from api.cli import app
from api.service import CaseGraphService, open_service
from api.settings import BUNDLED_CORPUS, encoder_for, encoder_recipe
from deploy import local
from eval.search_quality import load_queries
from search.hashing_encoder import HashingEncoder
from snapshot import format as fmt
from snapshot.build import build_snapshot
from snapshot.store import LOCK, current_version

from .conftest import TINY, dask_connect_timeout, make_settings

pytestmark = pytest.mark.slow
needs_dask = pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                                reason="Dask distributed is not installed here: pip install "
                                       "'.[cluster]' (the dev extras include it)")
needs_nginx = pytest.mark.skipif(local.NGINX is None, reason="nginx is not installed here and "
                                 "could not be (Debian: apt-get install nginx; `make test` does)")
QUERIES = [q["query"] for q in load_queries()]
MODES = ("hybrid", "dense", "bm25")


class Recorded:
    """Progress as a test sees it: phase → [total, advanced], summed over the times it ran."""

    def __init__(self) -> None:
        self.phases: dict[str, list[int]] = {}
        self._current = ""

    def phase(self, name: str, total: int) -> None:
        self._current = name
        self.phases.setdefault(name, [0, 0])[0] += total

    def advance(self, n: int = 1) -> None:
        self.phases[self._current][1] += n


def assert_same_answers(expected: CaseGraphService, got: CaseGraphService) -> None:
    """The same vectors, and the same answer (ids, scores, snippets) to every gold query in
    every mode and to every concept's related concepts."""
    vectors = [np.load(s.snapshot.path / fmt.EMBEDDINGS) for s in (expected, got)]
    assert np.array_equal(*vectors)
    for query in QUERIES:
        for mode in MODES:
            assert got.search(query, k=10, mode=mode) == expected.search(query, k=10, mode=mode), \
                (query, mode)
    for concept in expected.snapshot.concepts:
        assert got.related(concept, 10) == expected.related(concept, 10), concept


def workers_of(observer) -> dict[str, str]:
    """Name → address of the workers the scheduler knows."""
    return {w["name"]: address for address, w in observer.scheduler_info()["workers"].items()}


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, dict[str, subprocess.Popen]]]:
    """A `dask scheduler` and two `dask worker` processes, w1 and w2, of 2 threads each (so
    either one alone encodes with both of this machine's cores)."""
    port = local.free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "cluster"
    logs.mkdir()
    processes = [local.scheduler(port, logs)]
    try:
        workers = {name: local.worker(address, name, logs, threads=2) for name in ("w1", "w2")}
        processes += workers.values()
        local.wait_for_workers(address, 2)
        yield address, workers
    finally:
        for process in reversed(processes):
            local.stop(process)


@needs_dask
def test_a_distributed_ingest_publishes_the_snapshot_a_local_one_does(cluster, tmp_path,
                                                                      corpus_factory):
    from snapshot.cluster import connect

    address, _ = cluster
    settings = make_settings(tmp_path / "remote", batch_size=2)  # batches of 2 × 4 = 8 texts
    encoder = encoder_for(settings)
    local = build_snapshot(TINY, make_settings(tmp_path / "local", batch_size=2), encoder)
    edited = corpus_factory({"studies/gc-rewrite.md": (TINY / "studies" / "gc-rewrite.md")
                             .read_text().replace("pauses", "stalls")})
    progress, again = Recorded(), Recorded()
    with connect(address, encoder_recipe(settings)) as batches:
        report = build_snapshot(TINY, settings, encoder, batches=batches, progress=progress)
        remote = open_service(settings, encoder)
        edit = build_snapshot(edited, settings, encoder, batches=batches, progress=again)
    # every text of the tiny corpus in batches of 8: its chunks', then its concepts' texts
    chunks = len(fmt.read_json(local.path / fmt.CHUNKS))
    expected = -(-chunks // 8) + -(-(local.encoded - chunks) // 8)
    assert report.encoded == local.encoded > 8 and progress.phases["batches"] == [expected] * 2
    assert 0 < edit.encoded < 8 and again.phases["batches"] == [1, 1]  # only the changed texts
    assert_same_answers(open_service(make_settings(tmp_path / "local"), encoder), remote)


@needs_dask
def test_a_worker_killed_mid_ingest_has_its_batches_done_by_the_other(cluster, tmp_path,
                                                                      bundled_service,
                                                                      model_encoder):
    from distributed import Client

    address, workers = cluster
    data = tmp_path / "data"  # the local ingest's snapshots (hard links), for --rebuild to replace
    shutil.copytree(bundled_service.snapshot.path.parents[1], data, copy_function=os.link,
                    ignore=shutil.ignore_patterns(LOCK))
    log = tmp_path / "ingest.log"
    ingest = local.start([*local.CASEGRAPH, "ingest", str(BUNDLED_CORPUS), "--data", str(data),
                          "--rebuild", "--scheduler", address], log)
    try:
        with Client(address, set_as_default=False) as observer:
            victim = workers_of(observer)["w1"]
            local.wait_until(lambda: observer.processing([victim])[victim] or ingest.poll() is not None,
                             300, "w1 was never given a batch")
            assert ingest.poll() is None, log.read_text()
            local.stop(workers["w1"], signal.SIGKILL)  # the worker and its nanny, as a host dies
            local.wait_until(lambda: list(workers_of(observer)) == ["w2"], 30,
                             "the scheduler did not notice that w1 died")
        assert ingest.wait(timeout=600) == 0, log.read_text()
    finally:
        local.stop(ingest)
    remote = open_service(make_settings(data), model_encoder)
    assert remote.snapshot.version != bundled_service.snapshot.version
    texts = len(fmt.read_json(remote.snapshot.path / fmt.EMBEDDING_KEYS))
    assert f"embedded {texts} chunk(s), reused 0" in " ".join(log.read_text().split())
    assert_same_answers(bundled_service, remote)


@needs_dask
def test_a_scheduler_without_workers_is_a_clear_error_before_any_work(tmp_path):
    port = local.free_port()
    scheduler = local.scheduler(port, tmp_path)
    data = tmp_path / "data"
    try:
        with dask_connect_timeout("5s"):
            result = CliRunner().invoke(app, ["ingest", str(TINY), "--data", str(data),
                                              "--scheduler", f"tcp://127.0.0.1:{port}"],
                                        env={"CASEGRAPH_MODEL": "hashing-256"})
    finally:
        local.stop(scheduler)
    output = " ".join(result.output.split())  # rich wraps lines
    assert result.exit_code == 1 and "Traceback" not in output
    assert f"the Dask scheduler at tcp://127.0.0.1:{port} has no worker after 5 s" in output
    assert not data.exists()  # no lock taken, nothing read or written


# ---- replicas behind nginx ------------------------------------------------------------------------
PATHS = ["/search?q=sharding+keys", "/concepts/sharding/related", "/healthz",
         "/studies/shop-shards", "/search?q=garbage+collector+pauses", "/healthz"]
CLIENTS = 8
LOAD_SECONDS = 8.0
MAX_REQUESTS = 5000  # per client


def version_of(port: int) -> str | None:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).json()["snapshot"]["version"]
    except (httpx.HTTPError, ValueError):
        return None


def searches_served(port: int) -> int:
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
    return sum(int(float(n)) for n in re.findall(
        r'^casegraph_http_requests_total\{[^}]*route="/search"[^}]*\} (\S+)$', text, re.M))


async def hammer(base: str, stop: float, failures: list[str], versions: list[str]) -> int:
    sent = 0
    async with httpx.AsyncClient(base_url=base, timeout=15) as client:
        while time.monotonic() < stop and sent < MAX_REQUESTS:
            path = PATHS[sent % len(PATHS)]
            sent += 1
            try:
                response = await client.get(path)
            except httpx.HTTPError as exc:
                failures.append(f"{path}: {exc!r}")
                continue
            if response.status_code != 200:
                failures.append(f"{path}: {response.status_code} {response.text[:200]}")
            elif path == "/healthz":
                versions.append(response.json()["snapshot"]["version"])
    return sent


async def under_load(base: str, events: list[tuple[float, object]]) -> tuple[int, list, list]:
    """CLIENTS concurrent GET loops for LOAD_SECONDS, running each (delay, action) on the way."""
    failures: list[str] = []
    versions: list[str] = []
    started = time.monotonic()

    async def run_events() -> None:
        for delay, action in events:
            await asyncio.sleep(max(0.0, started + delay - time.monotonic()))
            await asyncio.to_thread(action)

    *sent, _ = await asyncio.gather(*[hammer(base, started + LOAD_SECONDS, failures, versions)
                                      for _ in range(CLIENTS)], run_events())
    return sum(sent), failures, versions


@needs_nginx
def test_replicas_behind_nginx_lose_no_request_to_a_kill_or_a_new_snapshot(tmp_path,
                                                                           corpus_factory):
    data, logs = tmp_path / "data", tmp_path / "logs"
    logs.mkdir()
    first = build_snapshot(TINY, make_settings(data), HashingEncoder()).version
    env = {"CASEGRAPH_MODEL": "hashing-256", "CASEGRAPH_RELOAD_INTERVAL": "0.5"}
    ports, front = [local.free_port(), local.free_port()], local.free_port()
    killed = ports[0]
    replicas = {port: local.replica(data, port, logs, **env) for port in ports}
    proxy = local.nginx(ports, front, tmp_path / "nginx")
    changed = corpus_factory({"studies/extra.md": "# Bloom filters at work\n\nA Bloom filter "
                                                  "answers maybe or no in constant space.\n"})
    done: dict[str, float] = {}

    def kill() -> None:
        local.stop(replicas[killed], signal.SIGKILL)

    def publish() -> None:
        ingest = local.start([*local.CASEGRAPH, "ingest", str(changed), "--data", str(data)],
                             logs / "ingest.log", **env)
        assert ingest.wait(timeout=60) == 0, (logs / "ingest.log").read_text()
        done["published"] = time.monotonic()

    def restart() -> None:
        replicas[killed] = local.replica(data, killed, logs, **env)

    try:
        for port in (*ports, front):
            local.wait_until(lambda port=port: version_of(port) == first, 60, f"{port} not serving")
        started = time.monotonic()
        sent, failures, versions = asyncio.run(under_load(
            f"http://127.0.0.1:{front}", [(1.5, kill), (2.0, publish), (2.5, restart)]))
        new = current_version(data)
        local.wait_until(lambda: all(version_of(port) == new for port in ports), 20,
                         "both replicas on the new snapshot")
        local.wait_until(lambda: httpx.get(f"http://127.0.0.1:{front}/search?q=bloom").is_success
                         and searches_served(killed) > 0, 20,
                         "nginx sending requests to the restarted replica")
    finally:
        for process in (proxy, *replicas.values()):
            local.stop(process)
    assert not failures, failures[:10]
    assert done["published"] < started + LOAD_SECONDS, "the snapshot was published after the load"
    assert sent > 100 and new != first and versions[0] == first and set(versions) <= {first, new}
