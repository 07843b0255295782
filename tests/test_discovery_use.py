"""Precision rules of discovery read from how the prose uses a phrase (`ingest.phrase_use`): the
tail of an "A to B" compound, a gerund's clause, an outcome named by a word of degree; and a
negated acronym typed a pattern."""

from __future__ import annotations

from eval.discovery_listing import pooled
from ingest.corpus import read_corpus
from ingest.discovery import discover_concepts
from ingest.phrase_use import compound_tail, gerund_clause, outcome, words_before
from ingest.type_guess import guess_type
from tests.test_discovery_fragments import FRONT


def _names(corpus_factory, bodies: list[str]) -> set[str]:
    files = {f"studies/doc-{i}.md": FRONT.format(id=f"doc-{i}", title=f"Document {i}") + body
             for i, body in enumerate(bodies)}
    return {c.name for c in discover_concepts(read_corpus(corpus_factory(files)), lambda _: None).concepts}


def test_words_before_each_use_of_a_phrase():
    prose = "a 10:1 read to write ratio. the write ratio\nwrite ratio rises, rewrite ratios"
    assert words_before("Write ratio", prose) == [("read", "to"), ("", "the"), ("", "")]


def test_the_tail_of_an_a_to_b_compound_is_a_fragment():
    assert compound_tail([("read", "to"), ("read", "to"), ("write", "to")])
    assert not compound_tail([("read", "to"), ("", "the")])  # used on its own half the time
    assert not compound_tail([("", "to")])  # "to" opening the text makes no compound


def test_a_gerund_after_a_conjunction_or_preposition_is_a_verb_with_its_object():
    assert gerund_clause("evaluating alternatives", [("bottlenecks", "while")] * 3)
    assert not gerund_clause("typing indicators", [("presence", "and"), ("and", "and")])
    assert not gerund_clause("cache misses", [("", "with")])  # no "-ing" word opens it


def test_an_outcome_named_by_a_word_of_degree_or_change_is_no_concept():
    assert outcome("Increased scalability") and outcome("Acceptable latency")
    assert not outcome("High availability") and not outcome("Reduced") and not outcome("Weak consistency")


def test_a_recurring_gerund_clause_is_dropped_and_a_recurring_name_kept(corpus_factory):
    bodies = ["we shard while glorbing sprockets; zorbic spindles, they turn.\n"] * 3
    names = _names(corpus_factory, [b.replace("we", f"we {n}") for n, b in enumerate(bodies)])
    assert "Zorbic spindles" in names and "Glorbing sprockets" not in names, names


def test_a_negated_acronym_is_a_class_of_things_not_a_product():
    assert guess_type("NoSQL", True, [("uses ", "")])[0] == "pattern"
    assert guess_type("NoSQL Database", True, [])[0] == "pattern"
    assert guess_type("Nomad", True, [("uses ", "")])[0] == "technology"  # a name, no negation


def test_pooled_precision_counts_only_the_judgments_that_still_apply():
    samples = [{"concepts": [
        {"name": "Sharding", "type": "pattern", "judgment": "right"},
        {"name": "RAM", "type": "pattern", "judgment": "wrong type"},  # typed technology now
        {"name": "Deep dive", "type": "pattern", "judgment": "not a concept"},
        {"name": "Unjudged", "type": "pattern", "judgment": ""},
    ]}, {"concepts": [{"name": "sharding", "type": "pattern", "judgment": "not a concept"},
                      {"name": "Deep dive", "type": "technology", "judgment": "right"}]}]
    found = pooled([("Sharding", "pattern"), ("RAM", "technology"), ("Deep dive", "pattern"),
                    ("Unjudged", "pattern"), ("Kafka", "technology")], samples)
    # Sharding: judged twice, not right both times; Deep dive: "not a concept" applies to any type
    assert (found.discovered, found.judged, found.right) == (5, 2, 0)
    typed_before = pooled([("RAM", "pattern")], samples)
    assert (typed_before.judged, typed_before.right) == (1, 0)
    assert pooled([("RAM", "technology"), ("Deep dive", "technology")], samples[1:]).right == 1
