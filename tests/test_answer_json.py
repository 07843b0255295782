"""Answers written by orjson are what pydantic writes, for every kind of answer the API serves."""

import json

from api.answer_json import answer_json
from api.graph_models import PathResponse
from api.models import Model


def _same(answer) -> bool:
    return json.loads(answer_json(answer)) == json.loads(answer.model_dump_json(by_alias=True))


def test_every_answer_of_the_service_is_written_as_pydantic_writes_it(tiny_service):
    service = tiny_service
    answers = [
        service.health(), service.stats(), service.facets(), service.themes(),
        service.search("sharding", k=10),  # with a course beside the studies
        service.search("learn about databases", k=10),  # a course first among them
        service.list_studies(), service.study("gc-rewrite"),
        service.recommendations("gc-rewrite", 3), service.recommend_after(["gc-rewrite", "shop-shards"], 3),
        service.list_concepts(None, None, 50), service.concept("sharding"), service.resolve("Sharding"),
        service.related("sharding", 10), service.learning_path("sharding", []),
        service.neighbourhood("sharding", 24), service.path("shop-shards", "cap-theorem"),
    ]
    assert answers[4].courses and answers[5].course_seeking
    assert all(_same(answer) for answer in answers)
    assert all(answer_json(a) == a.model_dump_json(by_alias=True).encode() for a in answers[4:7])


def test_an_aliased_field_is_written_under_its_alias(tiny_service):
    path = tiny_service.path("shop-shards", "cap-theorem")
    written = json.loads(answer_json(path))
    assert isinstance(path, PathResponse) and path.hops
    assert all("from" in hop and "from_" not in hop for hop in written["hops"])
    assert _same(path)


class WithSet(Model):
    tags: set[str]


def test_a_value_orjson_cannot_write_is_left_to_pydantic():
    assert json.loads(answer_json(WithSet(tags={"a"}))) == {"tags": ["a"]}
