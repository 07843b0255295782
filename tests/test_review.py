"""The review loop: a patch of discovered concepts, edited by a person, applied to the taxonomy."""

import pytest

from ingest.corpus import read_corpus
from ingest.discovery import DiscoveredConcept, Evidence, ProposedAlias
from ingest.review import PatchError, accept_patch, read_patch, write_patch


def found_in(corpus, word: str, concept_id: str) -> DiscoveredConcept:
    section = next(s for s in corpus.sections if word in s.text)
    start = section.text.index(word)
    return DiscoveredConcept(concept_id, word.capitalize(), "pattern", (), (section.document_id,),
                             0.8, (Evidence(section.id, start, start + len(word), word),), ())


def test_a_suggested_patch_accepted_adds_concepts_and_aliases(corpus_factory, tmp_path):
    root = corpus_factory()
    corpus = read_corpus(root)
    patch = tmp_path / "patch.yaml"
    count = write_patch(patch, corpus, [found_in(corpus, "replica", "replica-set"),
                                        found_in(corpus, "shards", "shard-map")],
                        [ProposedAlias("sharding", "partitioning by key", (), ())])
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


def test_the_cli_suggests_a_patch_and_accepts_what_was_kept(corpus_factory, tmp_path):
    from typer.testing import CliRunner

    from api.cli import app

    root = corpus_factory()
    patch = tmp_path / "patch.yaml"
    runner = CliRunner()
    suggested = runner.invoke(app, ["concepts", "suggest", str(root), "--out", str(patch)])
    assert suggested.exit_code == 0, suggested.output
    assert "1 new concept(s)" in suggested.output  # "Collisions", the heading of url-design.md
    assert "id: collisions" in patch.read_text()
    accepted = runner.invoke(app, ["concepts", "accept", str(patch)])
    assert accepted.exit_code == 0, accepted.output
    assert read_corpus(root).concepts["collisions"].origin == "taxonomy"
    again = runner.invoke(app, ["concepts", "accept", str(patch)])  # already there now
    assert again.exit_code == 1 and "already in the taxonomy" in again.output
    assert "Traceback" not in again.output
