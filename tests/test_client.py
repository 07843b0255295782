"""The typed Python client, sync and async, against a live server over the tiny snapshot."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from api import graph_models
from api.app import create_app
from api.client import AsyncCaseGraphClient, CaseGraphClient, CaseGraphError, Endpoint, _Endpoints
from snapshot.errors import SnapshotError

from .conftest import TINY, make_settings
from .live_server import live_server

TOKEN = "admin-s3cret"

# client method → (arguments, a check of its answer). Every endpoint must have a case.
CASES: dict[str, tuple[dict, Callable[[object], bool]]] = {
    "health": ({}, lambda a: a.snapshot.studies == 3),
    "search": ({"q": "hash ring", "k": 1}, lambda a: a.results[0].study.id == "shop-shards"
               and a.total > 1 and len(a.results) == 1),
    "list_studies": ({"kind": "course"}, lambda a: [s.id for s in a.studies] == ["databases-101"]),
    "study": ({"study_id": "shop-shards"}, lambda a: a.company == "Acme" and len(a.sections) == 3),
    "recommendations": ({"study_id": "shop-shards", "k": 1},
                        lambda a: [r.study.id for r in a.recommendations] == ["url-design"]),
    "recommend_after": ({"read": ["shop-shards", "url-design"]},
                        lambda a: a.read == ["shop-shards", "url-design"]
                        and {"shop-shards", "url-design"}.isdisjoint(
                            r.study.id for r in a.recommendations)),
    "list_concepts": ({"type": "technology"}, lambda a: {c.id for c in a.concepts} == {"go", "rust"}),
    "resolve": ({"name": "horizontal partitioning"}, lambda a: a.id == "sharding"),
    "concept": ({"concept_id": "hash ring"}, lambda a: a.id == "consistent-hashing"),
    "related": ({"concept_id": "sharding", "k": 2, "type": "pattern"},
                lambda a: len(a.related) == 2 and a.related[0].why.summary),
    "learning_path": ({"concept_id": "cap-theorem", "known": ["replication"]},
                      lambda a: [s.concept.id for s in a.steps] == ["cap-theorem"]),
    "neighbourhood": ({"concept_id": "sharding", "limit": 4},
                      lambda a: a.nodes[0].id == "sharding" and len(a.nodes) > 2),
    "facets": ({}, lambda a: a.companies == ["Acme", "Discord", "System Design Interview"]),
    "themes": ({}, lambda a: len(a.themes) >= 1),
    "path": ({"source": "shop-shards", "target": "cap-theorem"},
             lambda a: a.hops[-1].to == "pattern:cap-theorem"),
    "reload": ({}, lambda a: a.changed is False),
    "ingest": ({}, lambda a: a.counts["studies"] == 3 and a.serving == a.version),
}


def endpoints() -> dict[str, Endpoint]:
    return {name: e for name, e in vars(_Endpoints).items() if isinstance(e, Endpoint)}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, tiny_data: Path, hashing_encoder):
    data = tmp_path_factory.mktemp("client") / "data"  # a copy: the ingest case publishes here
    shutil.copytree(tiny_data, data)
    return create_app(make_settings(data, reload_interval=0, admin_token=TOKEN, corpus=TINY),
                      encoder=hashing_encoder)


@pytest.fixture(scope="module")
def base_url(app) -> Iterator[str]:
    with live_server(app) as url:
        yield url


def test_every_endpoint_has_a_client_method(app):
    served = {(method.upper(), path) for path, operations in app.openapi()["paths"].items()
              for method in operations}
    assert {(e.method, e.path) for e in endpoints().values()} == served
    assert set(CASES) == set(endpoints())


def test_every_query_parameter_of_an_endpoint_is_a_client_argument(app):
    import inspect

    operations = {(method.upper(), path): operation for path, ops in app.openapi()["paths"].items()
                  for method, operation in ops.items()}
    for name, declared in endpoints().items():
        operation = operations[(declared.method, declared.path)]
        wanted = {p["name"] for p in operation.get("parameters", []) if p["in"] in ("query", "path")}
        arguments = set(inspect.signature(declared.build).parameters)
        aliases = {"q": "q", "type": "type"}
        assert {aliases.get(w, w) for w in wanted} <= arguments, (name, wanted - arguments)


def _call_every_method(base_url: str, kind: str) -> dict[str, object]:
    if kind == "sync":
        with CaseGraphClient(base_url, token=TOKEN) as client:
            return {name: getattr(client, name)(**arguments) for name, (arguments, _) in CASES.items()}

    async def run() -> dict[str, object]:
        async with AsyncCaseGraphClient(base_url, token=TOKEN) as client:
            return {name: await getattr(client, name)(**arguments)
                    for name, (arguments, _) in CASES.items()}

    return asyncio.run(run())


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_every_method_returns_the_apis_model(base_url, kind):
    for name, answer in _call_every_method(base_url, kind).items():
        assert isinstance(answer, endpoints()[name].model), name
        assert CASES[name][1](answer), (name, answer)


def test_errors_are_raised_with_the_apis_code_message_and_details(base_url):
    with CaseGraphClient(base_url) as client:
        with pytest.raises(CaseGraphError) as unknown:
            client.concept("shardin")
        with pytest.raises(CaseGraphError) as invalid:
            client.search("x", k=0)
        with pytest.raises(CaseGraphError) as forbidden:
            client.reload()
    assert (unknown.value.status, unknown.value.code) == (404, "not_found")
    assert unknown.value.message == "no concept with id or name 'shardin'"
    assert unknown.value.details.suggestions == ["Sharding"]
    assert (invalid.value.status, invalid.value.details.field) == (422, "k")
    assert (forbidden.value.status, forbidden.value.code) == (401, "unauthorized")

    async def unknown_async() -> None:
        async with AsyncCaseGraphClient(base_url) as client:
            await client.study("shop-shard")

    with pytest.raises(CaseGraphError, match="no study with id 'shop-shard'") as raised:
        asyncio.run(unknown_async())
    assert raised.value.details.suggestions == ["shop-shards"]


def _unavailable(times: int, answer: Callable) -> Callable:
    """A service method that fails with 503 `times` times, then answers."""
    calls = []

    def method(*args, **kwargs):
        calls.append(1)
        if len(calls) <= times:
            raise SnapshotError("no snapshot in data; run `casegraph ingest`")
        return answer(*args, **kwargs)

    method.calls = calls
    return method


def test_a_503_is_retried_with_backoff_a_bounded_number_of_times(app, base_url, monkeypatch):
    service = app.state.service
    facets, themes_json = service.facets, service.themes_json
    monkeypatch.setattr(service, "facets", flaky := _unavailable(2, facets))
    started = time.monotonic()
    with CaseGraphClient(base_url, retries=2, backoff=0.05) as client:
        assert client.facets().kinds
    assert len(flaky.calls) == 3 and time.monotonic() - started >= 0.05 + 0.1

    monkeypatch.setattr(service, "facets", flaky := _unavailable(5, facets))
    with CaseGraphClient(base_url, retries=1, backoff=0.01) as client, \
            pytest.raises(CaseGraphError) as gave_up:
        client.facets()
    assert len(flaky.calls) == 2
    assert (gave_up.value.status, gave_up.value.code) == (503, "snapshot_unavailable")

    monkeypatch.setattr(service, "themes_json", flaky := _unavailable(1, themes_json))

    async def run() -> graph_models.Themes:
        async with AsyncCaseGraphClient(base_url, backoff=0.01) as client:
            return await client.themes()

    assert asyncio.run(run()).themes and len(flaky.calls) == 2


def test_the_timeout_bounds_each_request(app, base_url, monkeypatch):
    themes_json = app.state.service.themes_json
    monkeypatch.setattr(app.state.service, "themes_json", lambda: time.sleep(1) or themes_json())
    with CaseGraphClient(base_url, timeout=0.2) as client, pytest.raises(httpx.TimeoutException):
        client.themes()


def test_the_readmes_read_next_example_runs(base_url):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    example = readme.split("## The Python client", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    scope: dict = {}
    exec(example, scope)  # the example as written in our own README
    cards = scope["read_next"](["shop-shards"], base_url=base_url)
    assert cards[0]["title"] == "Design a URL Shortener"
    assert cards[0]["link"] == f"{base_url}/?study=url-design" and cards[0]["why"]
