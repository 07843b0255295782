"""A corpus's own frontmatter tags become curated links, and tags nobody defines become concepts."""

import shutil

from ingest.corpus import read_corpus

STUDY = """---
id: discovery-study
kind: real-world
patterns: [Horizontal Partitioning, service discovery]
tags: [CAP, Polling, go]
keywords: "Service Discovery, leader-follower"
topics: [gossip protocol]
---
# Finding services

Polling a registry is how service discovery works here; the registry replicates itself.
"""


def test_tags_resolve_by_name_and_alias_and_unknown_tags_become_concepts(corpus_factory):
    corpus = read_corpus(corpus_factory({"studies/discovery-study.md": STUDY}))
    doc = corpus.documents["discovery-study"]
    assert doc.patterns == ("sharding", "service-discovery", "cap-theorem", "polling",
                            "leader-follower")
    assert doc.technologies == ("go",)  # an untyped key files a tag under its concept's type
    created = {c.id: c for c in corpus.concepts.values() if c.origin == "tag"}
    assert set(created) == {"service-discovery", "polling", "leader-follower"}
    assert created["service-discovery"].name == "service discovery"  # first spelling seen
    assert created["polling"].type == "pattern" and created["polling"].confidence == 1.0
    assert created["polling"].source.startswith("studies/discovery-study.md:")
    # the tiny corpus has its own taxonomy, so a tag it does not define is also reported
    assert any("studies/discovery-study.md:4: 'patterns' names 'service discovery', unknown "
               "concept" in str(p) for p in corpus.problems)


def test_the_linker_finds_tag_concepts_in_the_text(corpus_factory):
    corpus = read_corpus(corpus_factory({"studies/discovery-study.md": STUDY}))
    sections = {s.id for s in corpus.sections if s.document_id == "discovery-study"}
    linked = {m.concept_id for m in corpus.mentions if m.section_id in sections}
    assert {"polling", "service-discovery"} <= linked


def test_more_tag_keys_come_from_the_corpus_config(corpus_factory):
    root = corpus_factory({"studies/discovery-study.md": STUDY,
                           "casegraph.yaml": "tag_keys: [topics]\n"})
    doc = read_corpus(root).documents["discovery-study"]
    assert "gossip-protocol" in doc.patterns
    assert "gossip-protocol" not in read_corpus(corpus_factory(
        {"studies/discovery-study.md": STUDY}, name="without-config")).documents[
        "discovery-study"].patterns


def test_without_a_taxonomy_of_its_own_new_tags_are_not_problems(corpus_factory, tmp_path):
    root = corpus_factory({"studies/discovery-study.md": STUDY})
    fallback = tmp_path / "fallback-taxonomy"
    shutil.move(root / "taxonomy", fallback)
    corpus = read_corpus(root, fallback_taxonomy=fallback)
    assert corpus.documents["discovery-study"].patterns[1] == "service-discovery"
    assert not [p for p in corpus.problems if "discovery-study" in str(p)]


def test_a_tag_of_the_wrong_type_is_reported_and_dropped(corpus_factory):
    bad = STUDY.replace("patterns: [Horizontal Partitioning", "patterns: [Golang, Horizontal Partitioning")
    corpus = read_corpus(corpus_factory({"studies/discovery-study.md": bad}))
    assert "go" not in corpus.documents["discovery-study"].patterns
    assert any("'patterns' names 'Golang', a technology, not a pattern" in str(p)
               for p in corpus.problems)
