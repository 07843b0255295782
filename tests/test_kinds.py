"""Kind-aware results (issue 17): studies among studies, the courses beside them, and a
course-seeking query's course first; the split by hand, then through the HTTP API on the tiny
corpus (hashing encoder)."""

import pytest

from eval.search_quality import load_queries
from search.engine import DocumentHit
from search.kinds import MAX_COURSES, is_course_seeking, split_by_kind

KINDS = {"c1": "course", "c2": "course", "c3": "course", "s1": "real-world", "s2": "interview"}
LESSON = "databases-101#lesson-1-replication"


def hits(*scored: tuple[str, float]) -> list[DocumentHit]:
    return [DocumentHit(doc, score) for doc, score in scored]


def test_a_course_ranked_above_the_studies_goes_beside_them():
    split = split_by_kind(hits(("c1", 1.0), ("s1", 0.9), ("c2", 0.8), ("s2", 0.5)), KINDS,
                          "how did they shard orders", k=10)
    assert [d.document_id for d in split.results] == ["s1", "s2"]
    assert [d.document_id for d in split.courses] == ["c1", "c2"]
    assert split.found == 2 and not split.course_seeking


def test_courses_beside_studies_are_few_and_close_to_the_top_study():
    split = split_by_kind(hits(("s1", 1.0), ("c1", 0.9), ("c2", 0.8), ("c3", 0.75)), KINDS, "x", 10)
    assert len(split.courses) == MAX_COURSES
    weak = split_by_kind(hits(("s1", 1.0), ("c1", 0.3)), KINDS, "x", 10)
    assert weak.courses == []


def test_a_course_seeking_query_gets_its_best_course_first():
    split = split_by_kind(hits(("s1", 1.0), ("c1", 0.6), ("s2", 0.5), ("c2", 0.4)), KINDS,
                          "a course on consistency models", k=3)
    assert [d.document_id for d in split.results] == ["c1", "s1", "s2"]
    assert split.courses == [] and split.course_seeking and split.found == 4


@pytest.mark.parametrize("query", ["a course on consistency models", "learn sharding",
                                   "Deep dive into Raft", "lesson on MVCC", "deep-dive: caching",
                                   "teach me CRDTs", "a tutorial on geohashes",
                                   "a learning path for Kafka"])
def test_course_seeking_words(query):
    assert is_course_seeking(query)


@pytest.mark.parametrize("query", ["how did Uber match riders to drivers", "coursera outage",
                                   "learned index structures", "MVCC",
                                   "machine learning feature store", "deep learning inference"])
def test_other_queries_are_not_course_seeking(query):
    assert not is_course_seeking(query)


def test_the_gold_sets_course_queries_and_only_they_seek_a_course():
    queries = load_queries()
    course = [q["query"] for q in queries if q["type"] == "course"]
    assert len(course) >= 8
    assert all(is_course_seeking(q) for q in course)
    assert not [q["query"] for q in queries if q["type"] != "course" and is_course_seeking(q["query"])]


def test_api_puts_a_course_beside_the_studies_not_above_them(tiny_client, tiny_service):
    query = "replication keeps copies of data on several machines"
    mixed = tiny_service.snapshot.searcher.search(query, k=10)
    assert mixed.documents[0].document_id == "databases-101"  # the course would come first
    body = tiny_client.get("/search", params={"q": query}).json()
    assert "databases-101" not in [r["study"]["id"] for r in body["results"]]
    assert body["results"] and {r["study"]["kind"] for r in body["results"]} <= {"real-world",
                                                                                 "interview"}
    course = body["courses"][0]
    assert course["study"]["id"] == "databases-101" and course["sections"][0]["id"] == LESSON
    assert "replication" in [c["id"] for c in course["teaches"]] and "Replication" in course["why"]
    assert body["total"] == len(body["results"]) and not body["course_seeking"]


def test_api_answers_a_course_seeking_query_with_its_course_first(tiny_client):
    body = tiny_client.get("/search", params={"q": "a course on replication"}).json()
    assert body["course_seeking"] and body["courses"] == []
    assert body["results"][0]["study"]["id"] == "databases-101"
    assert len(body["results"]) > 1  # the studies follow


def test_api_kind_filter_returns_that_kind_only_and_no_courses_beside(tiny_client):
    courses = tiny_client.get("/search", params={"q": "replication", "kind": "course"}).json()
    assert [r["study"]["id"] for r in courses["results"]] == ["databases-101"]
    studies = tiny_client.get("/search", params={"q": "replication", "kind": "real-world"}).json()
    assert studies["courses"] == [] and courses["courses"] == []
    assert {r["study"]["kind"] for r in studies["results"]} == {"real-world"}
