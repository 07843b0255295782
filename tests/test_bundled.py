"""Every endpoint's service method answers over the real bundled corpus with the real model."""

import pytest

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("query,expected", [
    ("why did Uber leave Postgres", "uber-postgres-to-mysql"),
    ("my service stalls every few minutes because of memory cleanup", "discord-read-states"),
    ("two guests booked the same room", "hotel-booking"),
    ("token bucket vs sliding window", "rate-limiter"),
    ("killing production instances on purpose to test resilience", "netflix-chaos-engineering"),
])
def test_search_puts_the_right_study_in_the_top_three(bundled_service, query, expected):
    results = bundled_service.search(query, k=3)["results"]
    assert expected in [r["study"]["id"] for r in results]


def test_related_and_recommendations_are_explained(bundled_service):
    related = bundled_service.related("sharding", k=10)["related"]
    assert "consistent-hashing" in [r["concept"]["id"] for r in related]
    assert all(r["why"]["summary"] for r in related)
    recs = bundled_service.recommendations("discord-read-states", k=5)["recommendations"]
    assert len(recs) == 5 and all(r["why"]["summary"] for r in recs)
    assert "discord-read-states" not in [r["study"]["id"] for r in recs]


def test_concepts_resolve_aliases(bundled_service):
    assert bundled_service.resolve("Brewer's theorem")["id"] == "cap-theorem"
    assert bundled_service.resolve("multiversion concurrency control")["id"] == "mvcc"
    studies = {s["id"] for s in bundled_service.concept("mvcc")["studies"]}
    assert "uber-postgres-to-mysql" in studies
