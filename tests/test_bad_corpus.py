"""Bad corpus input: each file gets a clear problem naming it (and its line), and the rest is kept."""

import os

import pytest

from ingest.corpus import read_corpus

GOOD_STUDIES = {"gc-rewrite", "shop-shards", "url-design", "databases-101"}


def problems_for(root, max_file_bytes=2_000_000):
    corpus = read_corpus(root, max_file_bytes=max_file_bytes)
    return corpus, [str(p) for p in corpus.problems]


@pytest.mark.parametrize("name,content,expected", [
    ("studies/bad-yaml.md", "---\ntitle: [oops\n---\n# T\n\nBody.\n",
     "studies/bad-yaml.md:2: frontmatter is not valid YAML"),
    ("studies/bad-types.md", "---\ntitle: T\nminutes: soon\n---\n# T\n\nBody.\n",
     "studies/bad-types.md:3: frontmatter field 'minutes' is ignored"),
    ("studies/latin1.md", "# Caf\xe9\n\nok\n".encode("latin-1"),
     "studies/latin1.md:1: file is not UTF-8 (byte 0xe9"),
    ("studies/binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "studies/binary.md: file looks binary"),
    ("studies/empty.md", "  \n", "studies/empty.md: file is empty"),
    ("studies/only-frontmatter.md", "---\ntitle: T\n---\n", "studies/only-frontmatter.md: file has "
     "no text outside its frontmatter"),
    ("studies/dupe.md", "---\nid: gc-rewrite\n---\n# Dupe\n\nBody.\n",
     "document id 'gc-rewrite' is already used by"),
    ("studies/unknown.md", "---\nid: unknown\npatterns: [sharding, teleportation]\n---\n# U\n\nB.\n",
     "studies/unknown.md:3: 'patterns' names 'teleportation', unknown concept"),
    ("taxonomy/extra.yaml", "concepts:\n  - {id: sharding-two, name: Sharding Two, type: pattern,"
     " aliases: [horizontal partitioning]}\n", "is already a name or alias of 'sharding'"),
    ("taxonomy/cycle.yaml", "concepts:\n  - {id: x, name: X, type: pattern, relations: "
     "{prerequisite: [y]}}\n  - {id: y, name: Y, type: pattern, relations: {prerequisite: [x]}}\n",
     "prerequisite cycle"),
])
def test_each_bad_file_is_named_and_the_rest_is_kept(corpus_factory, name, content, expected):
    corpus, problems = problems_for(corpus_factory({name: content}))
    assert any(expected in p for p in problems), problems
    assert GOOD_STUDIES <= set(corpus.documents)


def test_very_large_file_is_skipped(corpus_factory):
    root = corpus_factory({"studies/huge.md": "# Huge\n\n" + "word " * 5000})
    corpus, problems = problems_for(root, max_file_bytes=10_000)
    assert any(p.startswith("studies/huge.md: file is 25,") and "limit" in p for p in problems)
    assert "huge" not in corpus.documents and GOOD_STUDIES <= set(corpus.documents)


def test_symlink_loop_is_reported_not_followed_forever(corpus_factory):
    root = corpus_factory()
    os.symlink(root / "studies", root / "studies" / "loop")
    corpus, problems = problems_for(root)
    assert any("symlink loop" in p for p in problems)
    assert GOOD_STUDIES == set(corpus.documents)


def test_good_tiny_corpus_has_no_problems(corpus_factory):
    corpus, problems = problems_for(corpus_factory())
    assert problems == []
    assert set(corpus.documents) == GOOD_STUDIES
    assert corpus.documents["shop-shards"].extra == {"unknown_key": "kept in extra"}
