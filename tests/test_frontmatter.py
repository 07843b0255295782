from pathlib import PurePosixPath

from ingest.documents import parse_document
from ingest.frontmatter import parse_frontmatter
from ingest.problems import ProblemLog


def test_malformed_yaml_names_the_line():
    log = ProblemLog()
    fm, extra = parse_frontmatter("id: a\ntitle: [unclosed\nkind: x\n", 2, "s.md", log)
    assert fm.id is None
    [problem] = log.problems
    assert problem.path == "s.md" and problem.line >= 3
    assert "not valid YAML" in problem.message


def test_wrong_type_drops_only_that_field_and_names_its_line():
    log = ProblemLog()
    fm, _ = parse_frontmatter("id: ok-id\nminutes: lots\npatterns: 7\ntitle: T\n", 2, "s.md", log)
    assert fm.id == "ok-id" and fm.title == "T" and fm.minutes is None and fm.patterns == []
    assert sorted((p.line, p.message.split("'")[1]) for p in log.problems) == [(3, "minutes"),
                                                                               (4, "patterns")]


def test_unknown_keys_are_kept_as_extra():
    log = ProblemLog()
    fm, extra = parse_frontmatter("title: T\nlayout: post\nauthor: {name: A}\n", 2, "s.md", log)
    assert fm.title == "T" and extra == {"layout": "post", "author": {"name": "A"}}
    assert not log.problems


def test_document_with_partial_frontmatter_keeps_what_is_known():
    text = "---\ntitle: Partial\npermalink: /x\n---\n\n## Only Section\n\nBody.\n"
    log = ProblemLog()
    doc, sections = parse_document(text, PurePosixPath("docs/partial.md"), "site", "article", log)
    assert doc.id == "docs-partial" and doc.title == "Partial" and doc.extra == {"permalink": "/x"}
    assert sections[0].id == "docs-partial#only-section"
    assert not log.problems
