"""Prometheus metrics: requests and latency per route, and the loaded snapshot's figures."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily
from starlette.requests import Request
from starlette.responses import Response

from api.service import CaseGraphService


class SnapshotCollector:
    """Reports the snapshot in service at scrape time."""

    def __init__(self, service: Callable[[], CaseGraphService | None]) -> None:
        self._service = service

    def collect(self) -> Iterator:
        service = self._service()
        if service is None:
            return
        snap = service.snapshot
        info = InfoMetricFamily("casegraph_snapshot", "The snapshot in service.")
        info.add_metric([], {"version": snap.version, "model": snap.manifest["model"]["name"]})
        yield info
        counts = GaugeMetricFamily("casegraph_snapshot_items", "Items in the snapshot in service.",
                                   labels=["kind"])
        for kind, value in snap.counts.items():
            counts.add_metric([kind], value)
        yield counts


class Metrics:
    def __init__(self, service: Callable[[], CaseGraphService | None]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("casegraph_http_requests", "HTTP requests served.",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("casegraph_http_request_seconds", "HTTP request latency.",
                                 ["method", "route"], registry=self.registry,
                                 buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5))
        self.registry.register(SnapshotCollector(service))

    async def middleware(self, request: Request, call_next: Callable) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        template = getattr(route, "path", "unmatched")
        self.latency.labels(request.method, template).observe(time.perf_counter() - started)
        self.requests.labels(request.method, template, str(response.status_code)).inc()
        return response
