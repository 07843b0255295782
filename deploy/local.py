"""casegraph's scale-out pieces as real processes on loopback, for tests/test_scale_out.py and
the benchmarks in bench/: a Dask scheduler and workers, `casegraph serve` replicas, and nginx
running deploy/casegraph.conf with loopback replicas in place of its example ones.

Every process starts in its own session with its output in a log file, so `stop` ends it with
whatever it spawned (a Dask nanny's worker, nginx's workers).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(__file__).with_name("casegraph.conf")
DASK = Path(sys.executable).with_name("dask")
NGINX = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")  # None: not installed
CASEGRAPH = [sys.executable, "-c", "from api.cli import app; app()"]  # `casegraph` from ROOT
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(args: list[str], log: Path, **env: str) -> subprocess.Popen:
    """Run `args` from ROOT, with ROOT's code first on the path and `env` added."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    with log.open("ab") as out:
        return subprocess.Popen(args, cwd=ROOT, env=environment, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, grace: float = 10) -> None:
    """Signal the process's whole session; SIGKILL whatever is left after `grace` seconds.
    A process already reaped is left alone (its group id may belong to another by now)."""
    if process.poll() is not None:
        return
    for each in (sig, signal.SIGKILL):
        try:
            os.killpg(process.pid, each)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def answering(port: int) -> bool:
    """Whether a casegraph server on 127.0.0.1:`port` answers /healthz."""
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).is_success
    except httpx.HTTPError:
        return False


def wait_until(ready: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `ready` every 0.1 s; TimeoutError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} within {timeout:g} s")
        time.sleep(0.1)


def scheduler(port: int, folder: Path) -> subprocess.Popen:
    return start([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                  "--no-dashboard"], folder / "scheduler.log")


def worker(address: str, name: str, folder: Path, threads: int = 1,
           **env: str) -> subprocess.Popen:
    """A `dask worker` process (with its nanny) of `threads` threads, named `name`."""
    return start([str(DASK), "worker", address, "--host", "127.0.0.1", "--name", name,
                  "--nthreads", str(threads), "--no-dashboard", "--local-directory",
                  str(folder / name)], folder / f"{name}.log", **env)


def wait_for_workers(address: str, workers: int, timeout: float = 60) -> None:
    """Until the scheduler at `address` (still starting, maybe) has `workers` workers."""
    from distributed import Client

    with Client(address, timeout=timeout, set_as_default=False) as observer:
        observer.wait_for_workers(workers, timeout=timeout)


def replica(data: Path, port: int, folder: Path, **env: str) -> subprocess.Popen:
    """`casegraph serve` on 127.0.0.1:`port` over the snapshots in `data`."""
    return start([*CASEGRAPH, "serve", "--data", str(data), "--host", "127.0.0.1", "--port",
                  str(port)], folder / f"replica-{port}.log", **env)


def nginx_site(replicas: list[int], port: int) -> str:
    """deploy/casegraph.conf listening on 127.0.0.1:`port`, with one loopback server per
    replica port in place of its example servers (keeping their health-check parameters)."""
    text = SITE.read_text()
    examples = list(re.finditer(r"^( *)server replica-\d+:\d+ (.*);\n", text, re.M))
    indent, parameters = examples[0].groups()
    servers = "".join(f"{indent}server 127.0.0.1:{p} {parameters};\n" for p in replicas)
    text = text[: examples[0].start()] + servers + text[examples[-1].end():]
    return re.sub(r"^( *)listen 80;", rf"\1listen 127.0.0.1:{port};", text, flags=re.M)


def nginx(replicas: list[int], port: int, folder: Path) -> subprocess.Popen:
    """nginx in the foreground, all its files in `folder`, serving nginx_site."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "casegraph.conf").write_text(nginx_site(replicas, port))
    for name in TEMP_PATHS:
        (folder / name).mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""  # worker processes may write in `folder`
    (folder / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\n"
        "events { worker_connections 1024; }\nhttp {\n    access_log off;\n"
        + "".join(f"    {name}_temp_path {folder / name};\n" for name in TEMP_PATHS)
        + f"    include {folder}/casegraph.conf;\n}}\n")
    return start([str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e",
                  str(folder / "error.log"), "-g", "daemon off;"], folder / "nginx.out")
