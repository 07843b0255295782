"""Concept discovery on small corpora made here: each cue, merging, known concepts, types,
determinism and evidence offsets."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.acceptance import component, product_sign
from ingest.candidates import (
    acronym_definitions,
    definition_terms,
    list_labels,
    phrases,
    section_cues,
    split_parenthetical,
    without_quoted_titles,
)
from ingest.corpus import read_corpus
from ingest.discovery import discover_concepts, known_by_surface_key
from ingest.instructions import corpus_verbs, instruction
from ingest.records import Concept, Section
from ingest.surface import surface_key
from ingest.terms import gather_terms
from ingest.type_guess import guess_type
from ingest.variants import Groups, merge_embeddings, merge_qualified, variant_key

FRONT = """---
id: {id}
title: "{title}"
company: Initech
kind: real-world
sources: ["A test post (Test blog, 2024)"]
---
# {title}

"""
STORAGE = FRONT.format(id="storage-notes", title="Notes on a storage engine") + """\
Initech's engineering blog explains why every write goes to the write-ahead log first.

## Bloom filters

A read checks the Bloom filters before touching disk. Initech runs Kafka for its change feed,
and the Kafka cluster keeps a sloppy quorum of brokers for hinted writes.

## Underlying Patterns

- **Write-ahead log**: an append-only record of every change, replayed after a crash.
- **Memtable**: the in-memory table that absorbs writes before a flush. The memtable is small.
- **Shrink the cache.** A bold lead-in sentence, not a concept.
- **Stop-the-world collection**: what the old runtime did every two minutes.

Replicas converge with a conflict-free replicated data type (CRDT); the CRDT merges concurrent
edits. See the [Merkle tree](https://example.com/merkle) write-up for anti-entropy; a Merkle
tree compares replicas cheaply. Use `fsync_interval` in prose too.
"""
QUEUES = FRONT.format(id="queue-notes", title="Notes on a queue") + """\
Engineers at Initech keep write ahead logs on every broker. The team uses Kafka, and a sloppy
quorum lets writes land on any healthy broker.

## Delivery

Write-Ahead Logging makes delivery durable; the Bloom filters skip segments.
"""
FEEDS = FRONT.format(id="feed-notes", title="Notes on a feed") + """\
A sloppy quorum again: the feed accepts writes on the nearest replicas. Its Merkle tree checks
find drift, and its write-ahead logging is batched.
"""
FILES = {"studies/storage-notes.md": STORAGE, "studies/queue-notes.md": QUEUES,
         "studies/feed-notes.md": FEEDS}


def section(markdown: str, text: str, heading: str = "Body") -> Section:
    return Section(id="doc#body", document_id="doc", heading=heading, heading_path=(heading,),
                   text=text, line=1, content_hash="", markdown=markdown)


@pytest.fixture
def corpus(corpus_factory):
    return read_corpus(corpus_factory(FILES))


@pytest.fixture
def discovery(corpus):
    return discover_concepts(corpus, known_by_surface_key(corpus.concepts.values()))


def by_name(discovery, name: str):
    matches = [c for c in discovery.concepts
               if surface_key(name) in {surface_key(f) for f in (c.name, *c.aliases)}]
    assert len(matches) == 1, (name, [c.name for c in discovery.concepts])
    return matches[0]


# ---- candidates ----------------------------------------------------------------------------------
def test_acronym_definitions_pair_the_long_form_with_the_acronym():
    text = "Docs converge with a Conflict-free Replicated Data Type (CRDT). We saw it (IT) twice."
    assert list(acronym_definitions(text)) == [("Conflict-free Replicated Data Type", "CRDT")]


def test_definition_lines_give_their_term():
    text = "- Memtable: the in-memory table\nPlain prose has no colon\n2. Ring metadata – token ranges"
    assert list(definition_terms(text)) == ["Memtable", "Ring metadata"]


def test_parentheticals_split_into_name_and_alias():
    assert split_parenthetical("Trie (prefix tree)") == ("Trie", "prefix tree")
    assert split_parenthetical("Logical (row-based) replication") == (
        "Logical replication", "row-based replication")
    assert split_parenthetical("Plain name") == ("Plain name",)


def test_markdown_cues_emphasis_code_links_and_headings_but_not_lead_ins():
    markdown = ("**Bloom filter** and *memtable* and `fsync` and [Merkle tree](http://x).\n\n"
                "**Shrink the cache.** Then more.\n\n### Step 2: Sharding (horizontal partitioning)")
    text = "Bloom filter and memtable and fsync and Merkle tree.\nShrink the cache. Then more."
    _, candidates = section_cues(section(markdown, text, heading="Cues"), title="A title")
    found = {(c.source, c.surface) for c in candidates}
    assert {("emphasis", "Bloom filter"), ("emphasis", "memtable"), ("code", "fsync"),
            ("link", "Merkle tree"), ("heading", "Cues"), ("heading", "Sharding"),
            ("heading", "horizontal partitioning")} <= found
    assert not any("Shrink" in surface for _, surface in found)


def test_quoted_titles_are_dropped_as_the_regex_they_replace_drops_them():
    import random
    import re

    reference = re.compile(r"[\"“][^\"“”\n]*?[A-Z][^\"“”\n]*?\s[^\"“”\n]*?\s[^\"“”\n]*?[\"”]")
    rng = random.Random(7)
    alphabet = ['"', "“", "”", "\n", " ", "\t", "\u00a0", "A", "Z", "b", "."]
    texts = ['see "Design a Chat App" and “Scaling to Millions” now', 'a "b c d" e',
             *("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(20_000))]
    assert without_quoted_titles(texts[0]) == "see   and   now"
    for text in texts:
        assert without_quoted_titles(text) == reference.sub(" ", text), text


def test_code_blocks_and_the_title_heading_give_no_candidates():
    markdown = "Prose here.\n\n```\nCREATE TABLE ledger\n```"
    text, candidates = section_cues(section(markdown, "Prose here.\nCREATE TABLE ledger",
                                            heading="A title"), title="A title")
    assert "CREATE" not in text and candidates == []


def test_phrases_keep_clause_edges_and_mark_clause_openings():
    found = {(surface, first) for surface, _, first in phrases("Sloppy quorum helps, the hinted handoff")}
    assert ("Sloppy quorum", True) in found and ("hinted handoff", False) in found
    assert not any(surface.startswith("the ") for surface, _ in found)


# ---- discovery -----------------------------------------------------------------------------------
def test_each_cue_finds_its_concept(discovery):
    for name in ("Write-ahead log", "Memtable", "Bloom filters", "Merkle tree", "Sloppy quorum"):
        assert by_name(discovery, name).type == "pattern"
    crdt = by_name(discovery, "CRDT")
    assert crdt.name == "Conflict-free replicated data type" and "acronym" in crdt.sources
    assert not any("Shrink" in c.name for c in discovery.concepts)


def test_variants_merge_into_one_concept(discovery):
    log = by_name(discovery, "write-ahead log")
    forms = {surface_key(f) for f in (log.name, *log.aliases)}
    assert {surface_key("Write-Ahead Logging")} <= forms
    assert set(log.documents) == {"storage-notes", "queue-notes", "feed-notes"}


def test_types_from_capitals_and_context(discovery):
    assert by_name(discovery, "Kafka").type == "technology"
    assert by_name(discovery, "Initech").type == "company"


def test_a_known_concept_takes_new_forms_as_proposed_aliases(corpus):
    def known(text: str) -> str | None:
        return "garbage-collection" if "stop the world" in surface_key(text) else None

    discovery = discover_concepts(corpus, known)
    assert ("garbage-collection", "Stop-the-world collection") in {
        (a.concept_id, a.surface) for a in discovery.aliases}
    assert not any("world" in c.name.lower() for c in discovery.concepts)


def test_known_forms_are_not_discovered_again(corpus_factory):
    corpus = read_corpus(corpus_factory({"studies/again.md": FRONT.format(id="again", title="Again")
                                         + "**Consistent hashing**: the hash ring again.\n"}))
    discovery = discover_concepts(corpus, known_by_surface_key(corpus.concepts.values()))
    assert "consistent hashing" not in {surface_key(c.name) for c in discovery.concepts}


def test_evidence_offsets_point_at_the_surface(corpus, discovery):
    texts = {s.id: s.text for s in corpus.sections}
    spans = [e for c in discovery.concepts for e in c.evidence]
    assert spans and all(texts[e.section_id][e.start : e.end] == e.surface for e in spans)
    assert all(0 <= c.confidence <= 1 and c.documents for c in discovery.concepts)


def test_discovery_is_deterministic_and_ids_are_new(corpus, discovery):
    again = discover_concepts(corpus, known_by_surface_key(corpus.concepts.values()))
    assert again == discovery
    ids = [c.id for c in discovery.concepts]
    assert ids and len(set(ids)) == len(ids) and not set(ids) & set(corpus.concepts)


def test_a_link_text_counts_only_when_the_prose_uses_it_too(corpus_factory):
    blog = "Read the [Globex Engineering Blog](https://example.com) and [Hashgraph](https://x.io).\n"
    files = {f"studies/links-{i}.md": FRONT.format(id=f"links-{i}", title=f"Links {i}") + blog
             + ("Hashgraph orders events without a leader.\n" if i else "") for i in range(2)}
    discovery = discover_concepts(read_corpus(corpus_factory(files)), lambda _: None)
    names = {c.name for c in discovery.concepts}
    assert "Hashgraph" in names and not any("Blog" in n for n in names)


def test_instructions_and_use_cases_are_not_names(corpus_factory):
    verbs = corpus_verbs(["You add a cache, then add the replicas, to avoid stampedes; avoid the "
                          "herd. The cache is warm; a cache hit is cheap."])
    assert {"add", "avoid"} <= verbs and "cache" not in verbs
    assert instruction("Add read replicas", verbs) and instruction("Adds read replicas", verbs)
    assert not instruction("Cache invalidation", verbs) and not instruction("Add", verbs)
    assert section_cues(section("### Use case: User posts a tweet", "", heading="x"), "t")[1] == []
    body = ("## Add read replicas\n\nWe add a replica, then add the next. We add a cache to "
            "avoid the load.\n")
    files = {f"studies/steps-{i}.md": FRONT.format(id=f"steps-{i}", title=f"Steps {i}") + body
             for i in range(2)}
    discovery = discover_concepts(read_corpus(corpus_factory(files)), lambda _: None)
    assert not any(c.name.startswith("Add") for c in discovery.concepts)


def test_list_steps_and_group_names_are_not_concepts(corpus_factory):
    body = ("The parser does this:\n\n- Removes markup from page N\n- Strips widgets\n\nOur "
            "consistency patterns are few in N. See the [Consistency patterns](#c) heading.\n")
    files = {f"studies/list-{i}.md": FRONT.format(id=f"list-{i}", title=f"List {i}")
             + body.replace("N", str(i)) for i in range(3)}
    discovery = discover_concepts(read_corpus(corpus_factory(files)), lambda _: None)
    names = {c.name.lower() for c in discovery.concepts}
    assert "removes markup" not in names and "consistency patterns" not in names


def test_lines_copied_into_every_document_count_once(corpus_factory):
    copied = "Scaling is an iterative process of widget tuning.\n"
    files = {f"studies/copy-{i}.md": FRONT.format(id=f"copy-{i}", title=f"Copy {i}") + copied
             for i in range(3)}
    terms = gather_terms(read_corpus(corpus_factory(files)))
    assert "widget tuning" not in terms.by_key  # an uncued phrase must recur in two documents


def test_labels_of_a_definition_list_that_share_a_word_are_not_concepts(corpus_factory):
    assert list_labels(["Short timeline", "Long timeline", "MX record", "NS record", "Atomicity",
                        "Increased security", "Increased scalability"]) == {
        "Short timeline", "Long timeline", "Increased security", "Increased scalability"}
    body = ("Plan by your timeline:\n\n* **Short timeline** - aim for breadth.\n"
            "* **Long timeline** - aim for depth.\n* **Atomicity** - all or nothing.\n"
            "* **Content-addressable storage** - a chunk is named by its hash.\n"
            "* **Object storage** - blobs live in cheap storage.\n")
    files = {"studies/plan.md": FRONT.format(id="plan", title="Plan") + body}
    names = {c.name for c in discover_concepts(read_corpus(corpus_factory(files)), lambda _: None).concepts}
    assert not {"Short timeline", "Long timeline"} & names  # plain words, labels of one dimension
    assert {"Atomicity", "Content-addressable storage"} <= names  # no sibling; a rare word


def test_products_are_told_by_their_spelling_their_site_or_a_vendor(corpus_factory):
    lowered = frozenset({"file", "system", "load", "balancers"})
    assert product_sign("Hadoop File System", lowered) and product_sign("Google File System", lowered)
    assert not product_sign("Internal Load Balancers", lowered)
    assert not product_sign("Snowflake-style IDs", lowered)
    body = ("Queues and schedulers:\n\n**[Celery](https://docs.celeryproject.org/)** schedules "
            "tasks. The **HBase** store and the **Hadoop File System (HDFS)** hold files. Use "
            "**Vertical Scaling** first; vertical scaling is simple. Other docs say Vertical "
            "scaling too. **Vertical Scaling** again. Run **Profiling** and more profiling.\n")
    files = {f"studies/tech-{i}.md": FRONT.format(id=f"tech-{i}", title=f"Tech {i}") + body
             for i in range(2)}
    discovery = discover_concepts(read_corpus(corpus_factory(files)), lambda _: None)
    types = {c.name: c.type for c in discovery.concepts}
    assert types["Celery"] == types["HBase"] == types["Hadoop File System"] == "technology"
    assert types["Vertical Scaling"] == types["Profiling"] == "pattern"  # also written in lower case


def test_headings_over_links_steps_of_a_template_and_code_keywords_give_no_cue(corpus_factory):
    body = ("## Step 1: Outline use cases and gizmo constraints\n\nWe outline them.\n\n"
            "Columns are `TEXT`; text is stored inline. Text again.\n\n"
            "### Latency figures\n\nSee [Latency figures every programmer should know](#x).\n")
    files = {f"studies/tpl-{i}.md": FRONT.format(id=f"tpl-{i}", title=f"Template {i}") + body
             for i in range(2)}
    corpus = read_corpus(corpus_factory(files))
    cues = {key: term.sources for key, term in gather_terms(corpus).by_key.items()}
    assert "heading" not in cues.get(surface_key("gizmo constraints"), set())
    assert "heading" not in cues.get(surface_key("Latency figures"), set())
    assert "TEXT" not in {c.name for c in discover_concepts(corpus, lambda _: None).concepts}


def test_a_step_heading_in_one_document_still_names_its_topic(corpus_factory):
    one = {"studies/step.md": FRONT.format(id="step", title="Step") + "## Step 2: Sharding\n\nSplit.\n"}
    assert "heading" in gather_terms(read_corpus(corpus_factory(one))).by_key["sharding"].sources


def test_two_names_the_corpus_uses_apart_do_not_merge():
    keys = ["garbag collection", "garbag collection paus", "web server", "web server cach"]
    groups = Groups(keys)
    merge_qualified(groups, keys, set(), {"web server", "web server cach", "garbag collection"})
    assert groups.groups() == [["garbag collection", "garbag collection paus"], ["web server"],
                               ["web server cach"]]


def test_a_design_component_label_is_not_a_product():
    assert component("User Graph Service") and component("Read API") and component("Memory Cache")
    assert not component("REST API") and not component("Amazon API") and not component("Service")
    assert not component("MySQL Database") and not component("Open Connect")


# ---- merging and typing units --------------------------------------------------------------------
def test_variant_keys_join_spellings_and_word_forms():
    assert variant_key(surface_key("eventually consistent")) == variant_key(
        surface_key("eventual consistency"))
    assert variant_key(surface_key("denormalisation")) == variant_key(surface_key("denormalization"))
    assert variant_key(surface_key("web sockets")) == variant_key(surface_key("WebSockets"))
    assert variant_key("write through") != variant_key("write behind")


def test_embedding_merge_needs_close_names_and_close_contexts():
    vectors = {"a": [1.0, 0.0], "b": [0.999, 0.045], "c": [0.0, 1.0], "ctx": [1.0, 0.0]}

    def encode(texts: list[str]) -> np.ndarray:
        rows = np.array([vectors[t] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    groups = Groups(["x", "y", "z"])
    merge_embeddings(groups, {"x": "a", "y": "b", "z": "c"}, {"x": "ctx", "y": "ctx", "z": "ctx"}, encode)
    assert groups.groups() == [["x", "y"], ["z"]]


@pytest.mark.parametrize(("name", "proper", "windows", "expected"), [
    ("leader election", False, [], "pattern"),
    ("MySQL", True, [], "technology"),
    ("Kafka", True, [("The team runs ", " cluster")], "technology"),
    ("Initech", True, [("Engineers at ", "'s engineering blog")], "company"),
    ("Initech Inc", True, [], "company"),
    ("SPOF", True, [], "pattern"),
])
def test_type_guesses(name, proper, windows, expected):
    assert guess_type(name, proper, windows)[0] == expected


def test_a_concept_known_by_its_id_or_vendor_less_name_is_not_discovered_again():
    known = known_by_surface_key([
        Concept(id="quorum", name="Quorum reads and writes", type="pattern"),
        Concept(id="spark", name="Apache Spark", type="technology"),
        Concept(id="sparkline", name="Sparkline", type="pattern", aliases=("spark",))])
    assert known("Quorum") == "quorum"
    assert known("quorums") == "quorum"
    assert known("Spark") == "sparkline"  # an alias wins over another concept's id
    assert known("Paxos") is None
