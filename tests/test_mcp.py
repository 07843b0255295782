"""The MCP server through the official MCP client, over stdio (a `casegraph mcp` subprocess) and
over streamable HTTP (/mcp on a live server), against the tiny snapshot."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
import httpx2
import pytest
from fastapi.testclient import TestClient
from mcp import ClientSession, MCPError, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from api.mcp_server import INSTRUCTIONS
from snapshot.build import build_snapshot

from .conftest import make_settings
from .live_server import live_server

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "mcp-s3cret"
TRANSPORTS = ("stdio", "http")
INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "test", "version": "0"}}}
MCP_HEADERS = {"Accept": "application/json, text/event-stream"}

# tool → (arguments, the HTTP API request answering the same, a check of the structured content,
# words the text must hold). Every tool the server lists must have a case.
CASES: dict[str, tuple[dict, tuple[str, str, dict] | None, Callable[[dict], bool], str]] = {
    "search": ({"query": "sharding keys", "k": 2},
               ("GET", "/search", {"params": {"q": "sharding keys", "k": 2}}),
               lambda a: a["results"][0]["study"]["id"] == "shop-shards"
               and [c["study"]["id"] for c in a["courses"]] == ["databases-101"],
               "go deeper: Databases 101 (course; id databases-101): teaches Sharding "
               "[databases-101#lesson-2-sharding]"),
    "get_study": ({"study_id": "shop-shards", "sections": ["moving-the-data"]}, None,
                  lambda a: [s["id"] for s in a["sections"]] == ["shop-shards#moving-the-data"]
                  and "replication lets reads continue" in a["sections"][0]["text"]
                  and len(a["section_ids"]) == 3 and a["company"] == "Acme",
                  "replication lets reads continue"),
    "get_concept": ({"concept": "hash ring"}, ("GET", "/concepts/hash ring", {}),
                    lambda a: a["id"] == "consistent-hashing"
                    and {s["id"] for s in a["studies"]} == {"shop-shards", "url-design"},
                    "A hash ring (consistent hashing) places customers on shards"),
    "related_concepts": ({"concept": "sharding", "k": 3},
                         ("GET", "/concepts/sharding/related", {"params": {"k": 3}}),
                         lambda a: a["related"][0]["concept"]["id"] == "replication"
                         and all(r["why"]["summary"] for r in a["related"]),
                         "Sharding builds on Replication"),
    "path_between": ({"source": "shop-shards", "target": "cap-theorem"},
                     ("GET", "/graph/path", {"params": {"source": "shop-shards",
                                                         "target": "cap-theorem"}}),
                     lambda a: a["hops"][0]["from"] == "study:shop-shards"
                     and a["hops"][-1]["to"] == "pattern:cap-theorem",
                     "2 hop(s) from study:shop-shards to pattern:cap-theorem"),
    "learning_path": ({"concept": "CAP", "known": ["replication"]},
                      ("GET", "/concepts/CAP/learning-path", {"params": {"known": "replication"}}),
                      lambda a: [s["concept"]["id"] for s in a["steps"]] == ["cap-theorem"],
                      "to learn CAP theorem"),
    "recommend": ({"study_ids": ["shop-shards"], "k": 2},
                  ("POST", "/recommendations", {"json": {"read": ["shop-shards"], "k": 2}}),
                  lambda a: a["recommendations"][0]["study"]["id"] == "url-design"
                  and "shop-shards" not in {r["study"]["id"] for r in a["recommendations"]},
                  "shares Consistent hashing, Sharding"),
    "themes": ({}, ("GET", "/themes", {}),
               lambda a: any({p["id"] for p in t["patterns"]} == {"sharding", "consistent-hashing"}
                             for t in a["themes"]),
               "Consistent hashing · Sharding"),
    "context_pack": ({"question": "how to shard a database with consistent hashing",
                      "budget_tokens": 120}, None,
                     lambda a: a["tokens"] <= 120 and a["tokenizer"] == "words"
                     and a["sections"][0]["id"] == "shop-shards#choosing-a-shard-key"
                     and {"source": "consistent-hashing", "target": "sharding",
                          "type": "related_to"} in a["relations"],
                     "[shop-shards#choosing-a-shard-key]"),
}


@pytest.fixture(scope="module")
def mcp_app(tiny_data: Path, hashing_encoder):
    return create_app(make_settings(tiny_data, reload_interval=0, mcp_token=TOKEN),
                      encoder=hashing_encoder)


@pytest.fixture(scope="module")
def base_url(mcp_app) -> Iterator[str]:
    with live_server(mcp_app) as url:
        yield url


@asynccontextmanager
async def mcp_session(transport: str, base_url: str, data: Path,
                      token: str = TOKEN) -> AsyncIterator[ClientSession]:
    """An initialized MCP client session over stdio (`casegraph mcp --data DATA`) or HTTP."""
    async with AsyncExitStack() as stack:
        if transport == "stdio":
            env = {**os.environ, "CASEGRAPH_MODEL": "hashing-256", "PYTHONPATH": str(ROOT)}
            params = StdioServerParameters(command=sys.executable, cwd=ROOT, env=env, args=[
                "-c", "from api.cli import app; app()", "mcp", "--data", str(data)])
            read, write = await stack.enter_async_context(stdio_client(params))
        else:
            http = await stack.enter_async_context(
                httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}))
            read, write = await stack.enter_async_context(
                streamable_http_client(f"{base_url}/mcp", http_client=http))
        session = await stack.enter_async_context(ClientSession(read, write))
        await session.initialize()
        yield session


def api(base_url: str, method: str, path: str, request: dict) -> httpx.Response:
    return httpx.request(method, base_url + path, **request)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_every_tool_answers_the_apis_model_and_a_text(transport, base_url, tiny_data):
    async def run() -> None:
        async with mcp_session(transport, base_url, tiny_data) as session:
            assert session.initialize_result.instructions == INSTRUCTIONS
            tools = (await session.list_tools()).tools
            assert {t.name for t in tools} == set(CASES)
            for name, (arguments, twin, check, words) in CASES.items():
                result = await session.call_tool(name, arguments)
                assert not result.is_error, (name, result.content)
                assert check(result.structured_content), (name, result.structured_content)
                assert words in result.content[0].text, (name, result.content[0].text)
                if twin and transport == "http":  # a stdio server is another process, whose
                    # hash seed may break ties between equally short graph paths another way
                    assert result.structured_content == api(base_url, *twin).json(), name

    asyncio.run(run())


def test_tools_take_the_documented_arguments_and_say_when_to_use_them(base_url, tiny_data):
    expected = {"search": ["query", "k", "company", "pattern", "kind"],
                "get_study": ["study_id", "sections"], "get_concept": ["concept"],
                "related_concepts": ["concept", "k"], "path_between": ["source", "target"],
                "learning_path": ["concept", "known"], "recommend": ["study_ids", "k"],
                "themes": [], "context_pack": ["question", "budget_tokens"]}

    async def run() -> None:
        async with mcp_session("http", base_url, tiny_data) as session:
            tools = {t.name: t for t in (await session.list_tools()).tools}
            assert {name: list(t.input_schema["properties"]) for name, t in tools.items()} == expected
            defaults = {(n, p): s.get("default") for n, t in tools.items()
                        for p, s in t.input_schema["properties"].items() if "default" in s}
            assert defaults == {("search", "k"): 5, ("search", "company"): None,
                                ("search", "pattern"): None, ("search", "kind"): None,
                                ("get_study", "sections"): None, ("related_concepts", "k"): 10,
                                ("learning_path", "known"): [], ("recommend", "k"): 5,
                                ("context_pack", "budget_tokens"): 2000}
            for tool in tools.values():
                assert "Use it" in tool.description or "Call it" in tool.description, tool.name
                assert tool.output_schema and tool.annotations.read_only_hint, tool.name

    asyncio.run(run())


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_unknown_ids_and_bad_arguments_are_tool_errors_with_the_apis_message(transport, base_url,
                                                                              tiny_data):
    twins = [(("get_concept", {"concept": "shardin"}), ("GET", "/concepts/shardin", {})),
             (("get_study", {"study_id": "shop-shard"}), ("GET", "/studies/shop-shard", {})),
             (("search", {"query": "x", "company": "Acmee"}),
              ("GET", "/search", {"params": {"q": "x", "company": "Acmee"}})),
             (("path_between", {"source": "shop-shards", "target": "capp"}),
              ("GET", "/graph/path", {"params": {"source": "shop-shards", "target": "capp"}}))]

    async def run() -> None:
        async with mcp_session(transport, base_url, tiny_data) as session:
            for (name, arguments), twin in twins:
                result = await session.call_tool(name, arguments)
                answer = api(base_url, *twin).json()
                assert result.is_error and result.structured_content == answer, name
                hint = ", ".join(answer["error"]["details"]["suggestions"])
                assert result.content[0].text == f"{answer['error']['message']} (did you mean: {hint}?)"
            k = await session.call_tool("search", {"query": "x", "k": 0})
            http_k = api(base_url, "GET", "/search", {"params": {"q": "x", "k": 0}}).json()["error"]
            assert k.is_error and k.content[0].text == http_k["message"] == \
                "k: Input should be greater than or equal to 1"
            assert k.structured_content["error"]["details"]["field"] == "k"
            section = await session.call_tool("get_study", {"study_id": "shop-shards",
                                                            "sections": ["moving-data"]})
            details = section.structured_content["error"]["details"]
            assert section.is_error and details["field"] == "sections"
            assert details["suggestions"][0] == "shop-shards#moving-the-data"
            empty = await session.call_tool("recommend", {"study_ids": []})
            assert empty.is_error and empty.structured_content["error"]["details"]["field"] == "study_ids"

    asyncio.run(run())


def test_studies_and_concepts_are_resources(base_url, tiny_data):
    async def run() -> None:
        async with mcp_session("http", base_url, tiny_data) as session:
            templates = (await session.list_resource_templates()).resource_templates
            assert {t.uri_template for t in templates} == {"casegraph://study/{study_id}",
                                                           "casegraph://concept/{concept_id}"}
            study = (await session.read_resource("casegraph://study/shop-shards")).contents[0]
            assert study.mime_type == "text/markdown"
            assert "## Moving the Data [shop-shards#moving-the-data]" in study.text
            assert "replication lets reads continue" in study.text
            concept = (await session.read_resource("casegraph://concept/hash%20ring")).contents[0]
            assert concept.text.startswith("Consistent hashing [consistent-hashing], a pattern")
            with pytest.raises(MCPError, match=r"no study with id 'shop-shard' \(did you mean: "
                                               r"shop-shards\?\)"):
                await session.read_resource("casegraph://study/shop-shard")

    asyncio.run(run())


def test_the_http_transport_needs_the_token_when_one_is_set(base_url, tiny_data):
    for headers, message in (({}, "the MCP endpoint needs 'Authorization: Bearer <token>'"),
                             ({"Authorization": "Bearer wrong"}, "wrong MCP token"),
                             ({"Authorization": TOKEN}, "the MCP endpoint needs")):
        response = httpx.post(f"{base_url}/mcp", json=INITIALIZE, headers={**MCP_HEADERS, **headers})
        assert response.status_code == 401
        error = response.json()["error"]
        assert set(response.json()) == {"error"} and error["code"] == "unauthorized"
        assert error["message"].startswith(message)
    granted = httpx.post(f"{base_url}/mcp", json=INITIALIZE,
                         headers={**MCP_HEADERS, "Authorization": f"Bearer {TOKEN}"})
    assert granted.status_code == 200 and granted.json()["result"]["serverInfo"]["name"] == "casegraph"

    async def wrong_token() -> None:
        async with mcp_session("http", base_url, tiny_data, token="wrong"):
            pytest.fail("the session opened with a wrong token")

    with pytest.raises(ExceptionGroup) as refused:
        asyncio.run(wrong_token())
    assert refused.group_contains(MCPError, match="error response", depth=None)


def test_the_http_tools_answer_from_the_snapshot_the_app_serves(tmp_path, tiny_data, hashing_encoder,
                                                                 corpus_factory):
    data = tmp_path / "data"
    shutil.copytree(tiny_data, data)
    app = create_app(make_settings(data, reload_interval=0), encoder=hashing_encoder)
    corpus = corpus_factory({"studies/queue.md": "---\nid: queue\n---\n# Queue Study\n\nA queue of "
                                                 "orders, drained by workers, smooths the load.\n"})

    async def study(url: str, study_id: str):
        async with mcp_session("http", url, data) as session:
            return await session.call_tool("get_study", {"study_id": study_id})

    with live_server(app) as url:
        assert asyncio.run(study(url, "queue")).is_error
        build_snapshot(corpus, make_settings(data), hashing_encoder)
        assert app.state.reloader.reload().changed
        found = asyncio.run(study(url, "queue"))
    assert not found.is_error and found.structured_content["title"] == "Queue Study"


def test_casegraph_mcp_without_a_snapshot_says_what_to_do(tmp_path):
    result = CliRunner().invoke(cli, ["mcp", "--data", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no snapshot in" in result.output and "casegraph ingest" in result.output


def test_the_endpoint_serves_through_nested_and_successive_lifespans(tiny_data, hashing_encoder):
    app = create_app(make_settings(tiny_data, reload_interval=0), encoder=hashing_encoder)
    headers = {**MCP_HEADERS, "Host": "127.0.0.1:8000"}  # the SDK's DNS-rebinding check
    with TestClient(app) as outer:
        with TestClient(app) as inner:  # schemathesis runs its own lifespan inside the test's
            assert inner.post("/mcp", json=INITIALIZE, headers=headers).status_code == 200
        assert outer.post("/mcp", json=INITIALIZE, headers=headers).status_code == 200
    with TestClient(app) as again:
        assert again.post("/mcp", json=INITIALIZE, headers=headers).status_code == 200
