"""The concept re-rank's sections (search/concept_boost.py): the pure functions by hand and
against a brute-force reference, and the snapshot's named_concepts on the hashing encoder."""

import numpy as np

from search.concept_boost import NEAREST_CONCEPTS, NEAREST_TRUST, boosted_sections, nearest_concepts
from search.hashing_encoder import HashingEncoder


def test_nearest_concepts_match_a_brute_force_cosine_ranking():
    encoder = HashingEncoder()
    names = ["sharding", "garbage collection", "url shortener", "consistent hashing", "caching"]
    profiles = encoder.encode([f"{n} pattern" for n in names])
    query = encoder.encode_query("collecting garbage pauses the service")
    reference = sorted(range(len(names)), key=lambda i: (-float(profiles[i] @ query), i))
    for n in (1, 3, len(names), len(names) + 2):
        assert nearest_concepts(query, names, profiles, n) == [names[i] for i in reference[:n]]
    assert nearest_concepts(query, names, profiles, 1) == ["garbage collection"]


def test_nearest_concepts_of_nothing_are_none():
    vector = np.ones(4, dtype=np.float32)
    assert nearest_concepts(vector, [], np.zeros((0, 4), dtype=np.float32), 3) == []
    assert nearest_concepts(vector, ["a"], np.ones((1, 4), dtype=np.float32), 0) == []


def test_boosted_sections_trust_a_named_concept_fully_and_a_nearest_one_by_its_share():
    sections = {"named": {"s1", "s2"}, "near": {"s2", "s3"}, "weak": {"s1"}}
    confidence = {"named": 0.8, "near": 1.0, "weak": 0.4}
    trusted = boosted_sections(["named", "weak"], ["near"], confidence, sections, nearest_trust=0.25)
    assert trusted == {"s1": 0.8, "s2": 0.8, "s3": 0.25}
    # a concept both named and nearest keeps its full trust
    assert boosted_sections(["near"], ["near"], confidence, sections) == {"s2": 1.0, "s3": 1.0}
    assert boosted_sections([], ["near", "missing"], confidence | {"missing": 1.0}, sections) == {
        "s2": NEAREST_TRUST, "s3": NEAREST_TRUST}


def test_named_concepts_lift_the_sections_of_the_nearest_profiles_too(tiny_service):
    snap = tiny_service.snapshot
    query = "sharding the orders table by customer"
    vector = snap.searcher.encode_query(query)
    named, only_named = snap.named_concepts(query, vector, nearest=0)
    same_named, trusted = snap.named_concepts(query, vector)
    assert same_named == named  # the concepts the query names are the linker's alone
    profiles = snap.concept_profiles
    near = sorted(profiles.row, key=lambda c: (-float(profiles.profiles[profiles.row[c]] @ vector),
                                               profiles.row[c]))[:NEAREST_CONCEPTS]
    expected: dict[str, float] = {}
    for concepts, share in ((near, NEAREST_TRUST), (named, 1.0)):
        for concept_id in concepts:
            for section_id in snap.sections_by_concept.get(concept_id, ()):
                trust = snap.concepts[concept_id].confidence * share
                expected[section_id] = max(expected.get(section_id, 0.0), trust)
    assert trusted == expected
    assert set(trusted) > set(only_named)  # the nearest concepts add sections
    assert all(trusted[s] == t for s, t in only_named.items())
    assert snap.named_concepts(query) == (named, trusted)  # encodes the text itself
