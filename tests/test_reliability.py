"""Admin auth, request limits, CORS and hot reload, through the real app (hashing encoder)."""

import shutil
import time

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from snapshot.build import build_snapshot

from .conftest import make_settings

TOKEN = "s3cret-token"


@pytest.fixture
def data(tmp_path, tiny_data):
    copy = tmp_path / "data"
    shutil.copytree(tiny_data, copy)
    return copy


def client(data, hashing_encoder, **overrides):
    return TestClient(create_app(make_settings(data, **overrides), encoder=hashing_encoder))


def test_admin_is_disabled_without_a_token(data, hashing_encoder):
    with client(data, hashing_encoder) as c:
        response = c.post("/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 403
        assert "CASEGRAPH_ADMIN_TOKEN" in response.json()["error"]["message"]


def test_admin_needs_the_right_token(data, hashing_encoder):
    with client(data, hashing_encoder, admin_token=TOKEN) as c:
        assert c.post("/admin/reload").status_code == 401
        assert c.post("/admin/reload", headers={"Authorization": "Bearer wrong"}).status_code == 403
        ok = c.post("/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200 and ok.json()["version"]


def test_admin_ingest_publishes_and_serves_a_new_snapshot(data, hashing_encoder, corpus_factory):
    root = corpus_factory({"studies/extra.md": "---\nid: extra\n---\n# Bloom filters at work\n\n"
                                               "A Bloom filter answers maybe or no in constant space.\n"})
    with client(data, hashing_encoder, admin_token=TOKEN, corpus=root, reload_interval=0) as c:
        before = c.get("/healthz").json()["snapshot"]["version"]
        response = c.post("/admin/ingest", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["serving"] == body["version"] != before
        assert c.get("/studies/extra").status_code == 200


def test_hot_reload_picks_up_a_published_snapshot(data, hashing_encoder, corpus_factory):
    with client(data, hashing_encoder, reload_interval=0.1) as c:
        before = c.get("/healthz").json()["snapshot"]["version"]
        root = corpus_factory({"studies/gc-rewrite.md": None})
        build_snapshot(root, make_settings(data), hashing_encoder)
        deadline = time.monotonic() + 10
        while c.get("/healthz").json()["snapshot"]["version"] == before:
            assert time.monotonic() < deadline, "the new snapshot was not picked up"
            time.sleep(0.1)
        assert c.get("/studies/gc-rewrite").status_code == 404


def test_request_body_limit(data, hashing_encoder):
    with client(data, hashing_encoder, max_body_bytes=1000) as c:
        big = {"read": ["shop-shards"] * 200, "k": 3}
        response = c.post("/recommendations", json=big)
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "body_too_large"

        def chunks():
            yield b'{"read": ["shop-shards"], "pad": "'
            yield b"x" * 5000
            yield b'"}'

        streamed = c.post("/recommendations", content=chunks(),
                          headers={"Content-Type": "application/json"})
        assert streamed.status_code == 413
        assert c.post("/recommendations", json={"read": ["shop-shards"]}).status_code == 200


def test_cors_is_off_by_default_and_configurable(data, hashing_encoder):
    origin = {"Origin": "https://example.org"}
    with client(data, hashing_encoder) as c:
        assert "access-control-allow-origin" not in c.get("/healthz", headers=origin).headers
    with client(data, hashing_encoder, cors_origins=["https://example.org"]) as c:
        headers = c.get("/healthz", headers=origin).headers
        assert headers["access-control-allow-origin"] == "https://example.org"
