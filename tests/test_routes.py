"""Every route and every error code, in the fast suite. The lists are checked against the code:
the routes against `app.routes`, the error codes against `api.errors.ERROR_CODES`."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from api.app import create_app
from api.errors import ERROR_CODES
from search.encoder import ModelNotFoundError
from search.hashing_encoder import HashingEncoder
from snapshot.build import build_snapshot
from snapshot.store import current_version, ingest_lock, snapshots_dir

from .conftest import TINY, dask_connect_timeout, make_settings

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# One request per route that must answer 2xx: (method, path) → (url, request keywords).
EXAMPLES: dict[tuple[str, str], tuple[str, dict]] = {
    ("GET", "/"): ("/", {}),
    ("GET", "/healthz"): ("/healthz", {}),
    ("GET", "/search"): ("/search", {"params": {"q": "sharding keys"}}),
    ("GET", "/studies"): ("/studies", {}),
    ("GET", "/studies/{study_id}"): ("/studies/shop-shards", {}),
    ("GET", "/studies/{study_id}/recommendations"): ("/studies/shop-shards/recommendations", {}),
    ("POST", "/recommendations"): ("/recommendations", {"json": {"read": ["shop-shards"]}}),
    ("GET", "/concepts"): ("/concepts", {}),
    ("GET", "/concepts/resolve"): ("/concepts/resolve", {"params": {"name": "horizontal partitioning"}}),
    ("GET", "/concepts/{concept_id}"): ("/concepts/sharding", {}),
    ("GET", "/concepts/{concept_id}/related"): ("/concepts/sharding/related", {}),
    ("GET", "/concepts/{concept_id}/learning-path"): ("/concepts/cap-theorem/learning-path", {}),
    ("GET", "/concepts/{concept_id}/neighbourhood"): ("/concepts/sharding/neighbourhood", {}),
    ("GET", "/facets"): ("/facets", {}),
    ("GET", "/themes"): ("/themes", {}),
    ("GET", "/graph/path"): ("/graph/path", {"params": {"source": "shop-shards",
                                                         "target": "cap-theorem"}}),
    ("GET", "/metrics"): ("/metrics", {}),
    ("POST", "/mcp"): ("/mcp", {"headers": {"Host": "127.0.0.1:8000",
                                            "Accept": "application/json, text/event-stream"},
                                "json": {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                         "params": {"protocolVersion": "2025-06-18",
                                                    "capabilities": {},
                                                    "clientInfo": {"name": "test", "version": "0"}}}}),
    ("POST", "/admin/reload"): ("/admin/reload", {"headers": AUTH}),
    ("POST", "/admin/ingest"): ("/admin/ingest", {"headers": AUTH}),
    ("GET", "/static"): ("/static/app.js", {}),
    ("GET", "/openapi.json"): ("/openapi.json", {}),
    ("GET", "/docs"): ("/docs", {}),
    ("GET", "/docs/oauth2-redirect"): ("/docs/oauth2-redirect", {}),
    ("GET", "/redoc"): ("/redoc", {}),
}


def routes_of(app) -> set[tuple[str, str]]:
    """(method, path) of every operation in the OpenAPI schema and every route the app holds
    itself (the explorer, /metrics, the docs, the static files)."""
    found = {(method.upper(), path) for path, operations in app.openapi()["paths"].items()
             for method in operations}
    for route in app.routes:
        if isinstance(route, Mount):
            found.add(("GET", route.path))
        elif isinstance(route, APIRoute | Route):
            found.update((method, route.path) for method in route.methods - {"HEAD"})
    return found


@pytest.fixture
def admin_app(tmp_path: Path, tiny_data: Path, hashing_encoder) -> Callable[..., TestClient]:
    """An app over a private copy of the tiny snapshot, with admin enabled."""
    data = tmp_path / "data"
    shutil.copytree(tiny_data, data)

    def make(encoder=hashing_encoder, **overrides) -> TestClient:
        settings = make_settings(data, **{"admin_token": TOKEN, "corpus": TINY,
                                          "reload_interval": 0, **overrides})
        return TestClient(create_app(settings, encoder=encoder), raise_server_exceptions=False)

    return make


@pytest.fixture
def admin_client(admin_app) -> Iterator[TestClient]:
    with admin_app() as client:
        yield client


def test_every_route_has_an_example(tiny_client):
    assert routes_of(tiny_client.app) == set(EXAMPLES)


@pytest.mark.parametrize("route", sorted(EXAMPLES), ids=" ".join)
def test_every_route_answers(admin_client, route):
    url, request = EXAMPLES[route]
    response = admin_client.request(route[0], url, **request)
    assert response.status_code == 200, response.text
    assert response.content


class UnloadableModel(HashingEncoder):
    """The snapshot's model by name, whose weights cannot be loaded for ingest, while queries are
    still encoded (as the snapshot's ONNX export does with no torch model at hand)."""

    def __init__(self) -> None:
        super().__init__()
        self.encode_query = HashingEncoder().encode_query

    def encode(self, texts):
        raise ModelNotFoundError("cannot load embedding model 'hashing-256': weights are gone")


def _expect(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


def _busy(admin_app, data: Path) -> dict:
    with admin_app() as client, ingest_lock(data):
        return _expect(client.post("/admin/ingest", headers=AUTH), 409, "busy")


def _snapshot_of_another_model(admin_app, data: Path) -> dict:
    with admin_app() as client:
        build_snapshot(TINY, make_settings(data), HashingEncoder(dimension=64))
        error = _expect(client.post("/admin/reload", headers=AUTH), 503, "snapshot_unavailable")
        assert "'hashing-64'" in error["message"] and "'hashing-256'" in error["message"]
        assert client.get("/healthz").status_code == 200  # still serving the snapshot it had
    return error


def _model_unavailable(admin_app, tmp_path: Path) -> dict:
    corpus = tmp_path / "changed"
    shutil.copytree(TINY, corpus)
    (corpus / "studies" / "new.md").write_text("# New\n\nA study with words never embedded.\n")
    with admin_app(encoder=UnloadableModel(), corpus=corpus) as client:
        return _expect(client.post("/admin/ingest", headers=AUTH), 503, "model_unavailable")


def _corpus_error(admin_app, tmp_path: Path) -> dict:
    empty = tmp_path / "empty"
    empty.mkdir()
    with admin_app(corpus=empty) as client:
        error = _expect(client.post("/admin/ingest", headers=AUTH), 422, "corpus_error")
        assert "nothing could be ingested" in error["message"]
    return error


def _cluster_unavailable(admin_app, data: Path) -> dict:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    published = current_version(data)
    with dask_connect_timeout("1s"), admin_app(scheduler=address) as client:
        error = _expect(client.post("/admin/ingest", headers=AUTH), 503, "cluster_unavailable")
        assert f"cannot reach the Dask scheduler at {address}" in error["message"]
    assert current_version(data) == published and not list(snapshots_dir(data).glob(".tmp-*"))
    return error


def _internal_error(admin_app) -> dict:
    with admin_app() as client:
        def broken():
            raise RuntimeError("a bug")

        client.app.state.service.facets = broken
        error = _expect(client.get("/facets"), 500, "internal_error")
        assert "a bug" not in error["message"]  # no internals leak to the client
    return error


SCENARIOS: dict[str, Callable] = {
    "not_found": lambda c, **_: _expect(c.get("/studies/shop-shard"), 404, "not_found"),
    "invalid_parameter": lambda c, **_: _expect(c.get("/search", params={"q": "x", "k": 0}), 422,
                                                "invalid_parameter"),
    "method_not_allowed": lambda c, **_: _expect(c.delete("/studies"), 405, "method_not_allowed"),
    "unauthorized": lambda c, **_: _expect(c.post("/admin/reload"), 401, "unauthorized"),
    "forbidden": lambda c, **_: _expect(c.post("/admin/reload", headers={
        "Authorization": "Bearer wrong"}), 403, "forbidden"),
    "body_too_large": lambda c, **_: _expect(c.post("/recommendations", content=b"x" * 70_000,
                                                    headers={"Content-Type": "application/json"}),
                                             413, "body_too_large"),
    "busy": lambda c, admin_app, data, **_: _busy(admin_app, data),
    "snapshot_unavailable": lambda c, admin_app, data, **_: _snapshot_of_another_model(admin_app,
                                                                                       data),
    "model_unavailable": lambda c, admin_app, tmp_path, **_: _model_unavailable(admin_app, tmp_path),
    "corpus_error": lambda c, admin_app, tmp_path, **_: _corpus_error(admin_app, tmp_path),
    "cluster_unavailable": lambda c, admin_app, data, **_: _cluster_unavailable(admin_app, data),
    "internal_error": lambda c, admin_app, **_: _internal_error(admin_app),
}


def test_every_error_code_has_a_scenario():
    assert set(SCENARIOS) == ERROR_CODES


@pytest.mark.parametrize("code", sorted(SCENARIOS))
def test_every_error_code_is_produced_with_one_shape(admin_app, tmp_path, code):
    with admin_app() as client:
        SCENARIOS[code](client, admin_app=admin_app, data=tmp_path / "data", tmp_path=tmp_path)


def test_suggestions_and_choices_travel_in_details(tiny_client):
    error = tiny_client.get("/concepts/shard").json()["error"]
    assert error["details"] == {"suggestions": ["Sharding"]}
    error = tiny_client.get("/search", params={"q": "x", "category": "cooking"}).json()["error"]
    assert error["details"] == {"field": "category", "choices": ["databases", "system-design",
                                                                 "systems"]}
