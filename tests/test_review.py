"""The review loop: a patch of discovered concepts, edited by a person, applied to the taxonomy."""

from dataclasses import dataclass

import pytest

from ingest.corpus import read_corpus
from ingest.review import PatchError, accept_patch, read_patch, write_patch


@dataclass(frozen=True)
class Span:
    section: str
    start: int
    end: int


@dataclass(frozen=True)
class Found:
    id: str
    name: str
    type: str
    aliases: tuple
    documents: tuple
    confidence: float
    evidence: tuple


def found_in(corpus, word: str, concept_id: str) -> Found:
    section = next(s for s in corpus.sections if word in s.text)
    start = section.text.index(word)
    return Found(concept_id, word.capitalize(), "pattern", (), (section.document_id,), 0.8,
                 (Span(section.id, start, start + len(word)),))


def test_a_suggested_patch_accepted_adds_concepts_and_aliases(corpus_factory, tmp_path):
    root = corpus_factory()
    corpus = read_corpus(root)
    patch = tmp_path / "patch.yaml"
    count = write_patch(patch, corpus, [found_in(corpus, "replica", "replica-set"),
                                        found_in(corpus, "shards", "shard-map")],
                        {"sharding": ["partitioning by key"]})
    assert count == 2
    text = patch.read_text()
    assert text.startswith("# Concepts casegraph found in") and "replica-set" in text
    edited = read_patch(patch)
    edited.new_concepts.pop()  # the reviewer keeps one of the two
    taxonomy = root / "taxonomy"
    before = (taxonomy / "concepts.yaml").read_text()
    accepted = accept_patch(edited, taxonomy)
    assert (accepted.concepts, accepted.aliases) == (1, 1)
    again = read_corpus(root)
    assert again.concepts["replica-set"].origin == "taxonomy"
    assert "shard-map" not in again.concepts
    assert "partitioning by key" in again.concepts["sharding"].aliases
    after = (taxonomy / "concepts.yaml").read_text()
    assert [line for line in before.splitlines() if line.lstrip().startswith("#")] == [
        line for line in after.splitlines() if line.lstrip().startswith("#")]  # comments kept
    assert not [p for p in again.problems if "taxonomy" in str(p)]


@pytest.mark.parametrize("edit,message", [
    ("new_concepts:\n  - {id: sharding, name: Sharding again, type: pattern}\n", "already in the taxonomy"),
    ("new_concepts:\n  - {id: x-thing, name: X, type: protocol}\n", "choose one of"),
    ("aliases:\n  - {concept: nothing-here, add: [a]}\n", "not in the taxonomy"),
    ("new_concepts:\n  - {id: Not A Slug, name: X, type: pattern}\n", "entry new_concepts.0.id"),
])
def test_a_bad_patch_is_refused_and_changes_nothing(corpus_factory, tmp_path, edit, message):
    root = corpus_factory()
    patch = tmp_path / "patch.yaml"
    patch.write_text(edit)
    before = {p.name: p.read_text() for p in (root / "taxonomy").iterdir()}
    with pytest.raises(PatchError, match=message):
        accept_patch(read_patch(patch), root / "taxonomy")
    assert {p.name: p.read_text() for p in (root / "taxonomy").iterdir()} == before
