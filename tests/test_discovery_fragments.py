"""Precision rules of discovery: template headings, fragments of longer names, hardware typed a
technology, design labels with an acronym."""

from __future__ import annotations

from ingest.acceptance import base_confidence, component
from ingest.candidates import plausible, section_cues
from ingest.corpus import read_corpus
from ingest.discovery import discover_concepts
from ingest.records import Section
from ingest.surface import surface_key
from ingest.terms import Term, gather_terms
from ingest.type_guess import guess_type, organisation
from tests.test_discovery import FRONT as DISCOVERY_FRONT

FRONT = DISCOVERY_FRONT + "## Notes\n\nSome notes.\n\n"


def _corpus(corpus_factory, bodies: list[str], name: str = "corpus"):
    files = {f"studies/doc-{i}.md": FRONT.format(id=f"doc-{i}", title=f"Document {i}") + body
             for i, body in enumerate(bodies)}
    return read_corpus(corpus_factory(files, name=name))


def _names(corpus) -> set[str]:
    return {c.name for c in discover_concepts(corpus, lambda _: None).concepts}


def test_a_heading_a_fifth_of_the_documents_repeat_is_their_template_and_gives_no_cue(corpus_factory):
    template = "## Requirements and Gizmometry\n\nWe list them.\n"
    corpus = _corpus(corpus_factory, [template] * 4 + ["## Sprocketry\n\nAgain.\n"])
    terms = gather_terms(corpus).by_key
    assert "heading" not in terms.get(surface_key("Gizmometry"), Term("")).sources  # 4 of 9
    assert "heading" in terms[surface_key("Sprocketry")].sources  # one document's topic
    one = _corpus(corpus_factory, [template, template, "Other text.\n"], name="two")
    assert "heading" in gather_terms(one).by_key[surface_key("Gizmometry")].sources  # 2: no template


def test_a_word_mostly_inside_one_fixed_phrase_is_a_fragment_but_a_product_or_acronym_is_not(
        corpus_factory):
    bodies = ["we order cells on the Zorblat curve, and the Zorblat curve keeps locality; our "
              "Kafka topics fill and our BGP routes move.\n",
              "we walk the Zorblat curve again; their BGP routes change, and their Kafka topics too, "
              "and tumbling topics are topics.\n"]
    names = _names(_corpus(corpus_factory, bodies))
    assert "Zorblat" not in names
    assert "BGP" in names and "Kafka" in names  # an acronym modifies; "topics" are used apart too


def test_a_one_word_parenthetical_aside_is_no_concept(corpus_factory):
    body = "- **QNAME (canonical)**: points a name at another name; the QNAME is a record.\n"
    names = _names(_corpus(corpus_factory, [body, "we read the QNAME again.\n"]))
    assert "QNAME" in names and "Canonical" not in names


def test_hardware_is_a_technology():
    assert guess_type("Video coding unit", False, [])[0] == "technology"
    data = [("kept in ", ""), ("read from ", ""), ("the ", " load")]
    assert guess_type("XRAM", True, data)[0] == "technology"
    assert guess_type("XRAM", True, [("a short ", ""), ("the ", " expires")])[0] == "pattern"
    assert guess_type("multi-CDN", True, [("runs ", "")])[0] == "pattern"  # a prefix: a way, no product


def test_a_box_label_with_an_acronym_is_a_component_but_a_product_is_not():
    assert component("SQL Read Replicas") and component("Query API server")
    assert not component("SQL API") and not component("MySQL Database")
    assert not component("Amazon Elastic Block Store")


def test_a_name_beside_a_year_is_an_event_not_a_product(corpus_factory):
    bodies = ["the Zorbcon 2019 talk and the Zorbcon 2021 keynote, run on Blorpdb clusters.\n",
              "a 2020 Zorbcon panel, and Blorpdb clusters again; clusters grow.\n"]
    names = _names(_corpus(corpus_factory, bodies))
    assert "Zorbcon" not in names and "Blorpdb" in names, names


def test_a_public_body_and_a_unit_of_measure_are_not_concepts():
    assert organisation("Royal College of Physicians") and organisation("State University")
    assert not organisation("Failure Injection Testing") and not organisation("College")
    assert not plausible("93 Gbit/s") and not plausible("Gbit/s")


def test_a_title_of_one_document_that_the_prose_never_uses_is_no_concept(corpus_factory):
    body = ("## Zorbish flashcards\n\nStudy with [Zorbish flashcards](https://example.com/deck).\n\n"
            "## Sprocketry\n\nsprocketry keeps sprocketry going.\n")
    terms = gather_terms(_corpus(corpus_factory, [body]))
    assert base_confidence(terms.by_key[surface_key("Zorbish flashcards")], terms) is None
    assert base_confidence(terms.by_key[surface_key("Sprocketry")], terms) is not None


def test_a_participle_used_as_a_preposition_is_inside_no_name():
    markdown = "See [HTTP APIs following REST](https://example.com/rest) and [Zorb caching](#z)."
    _, found = section_cues(Section(id="d#b", document_id="d", heading="Body", heading_path=("Body",),
                                    text=markdown, line=1, content_hash="", markdown=markdown), "T")
    assert {c.surface for c in found if c.source == "link"} == {"Zorb caching"}
