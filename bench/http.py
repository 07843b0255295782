"""HTTP latency of casegraph beside a FastAPI hello-world, each served by uvicorn on loopback."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel

from api.app import create_app
from api.settings import Settings

REPEATS = 5


class HelloBody(BaseModel):
    """A reading history's shape: the POST floor parses and validates a body like it."""

    read: list[str]
    k: int = 5


def hello_app() -> FastAPI:
    app = FastAPI()

    @app.get("/hello")
    def hello() -> dict:
        return {"hello": "world"}

    @app.get("/hello-async")  # the same without the thread-pool hop of a `def` route
    async def hello_async() -> dict:
        return {"hello": "world"}

    @app.post("/hello")
    def hello_post(body: HelloBody) -> dict:
        return {"hello": "world"}

    return app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """An ASGI app served by uvicorn in a thread for the duration of a `with` block."""

    def __init__(self, app) -> None:
        self.port = _free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning"))

    def __enter__(self) -> str:
        threading.Thread(target=self.server.run, daemon=True).start()
        while not self.server.started:
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True


def _p50(client: httpx.Client, urls: list[str]) -> float:
    for url in urls:
        client.get(url)  # warm up
    times = []
    for _ in range(REPEATS):
        for url in urls:
            started = time.perf_counter()
            client.get(url).raise_for_status()
            times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2] * 1000


def http_latencies(settings: Settings, queries: list[str], concepts: list[str]) -> dict:
    with Served(hello_app()) as hello, httpx.Client(base_url=hello) as client:
        hello_ms = _p50(client, ["/hello"] * 10)
    uncached = settings.model_copy(update={"query_cache": 0})  # measure the encoder, not the cache
    with Served(create_app(uncached)) as base, httpx.Client(base_url=base, timeout=60) as client:
        client.get("/healthz")
        search_ms = _p50(client, [f"/search?q={q}" for q in queries])
        related_ms = _p50(client, [f"/concepts/{c}/related" for c in concepts])
    return {"hello_p50_ms": hello_ms, "search_p50_ms": search_ms, "related_p50_ms": related_ms}
