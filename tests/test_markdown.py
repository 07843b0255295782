from pathlib import PurePosixPath

from ingest.documents import id_from_path, parse_document
from ingest.markdown import parse_markdown, slugify
from ingest.problems import ProblemLog

DOC = """---
id: demo
title: Demo
---
# Demo Title

Opening words.

## Component Deep Dive

Intro of the deep dive.

### Key Generation Service

Hands out **unused** keys from a `pool`. Each application server asks for a batch of keys,
keeps them in memory, and marks the batch as used in the key database, so no two servers can
ever hand out the same key twice.

| Component | Why |
| --- | --- |
| Redis | fast |

```python
def take():
    return pool.pop()
```

## Sources

- A post

## Another

### Sources

- Another post
"""


def test_sections_follow_headings_with_paths_and_lines():
    parsed = parse_markdown(DOC)
    assert parsed.frontmatter.strip() == "id: demo\ntitle: Demo"
    assert parsed.title == "Demo Title"
    paths = [s.heading_path for s in parsed.sections]
    assert paths == [("Demo Title",), ("Component Deep Dive",),
                     ("Component Deep Dive", "Key Generation Service"), ("Sources",),
                     ("Another",), ("Another", "Sources")]
    kgs = parsed.sections[2]
    assert kgs.line == 13
    assert "Hands out unused keys from a pool. Each application" in kgs.text
    assert "Redis | fast" in kgs.text
    assert "return pool.pop()" in kgs.text


def test_section_ids_are_stable_and_unique():
    document, sections = parse_document(DOC, PurePosixPath("studies/demo.md"), "corpus", "article",
                                        ProblemLog())
    ids = [s.id for s in sections]
    assert ids == ["demo#demo-title", "demo#component-deep-dive", "demo#key-generation-service",
                   "demo#sources", "demo#another-sources"]  # "Another" has no text of its own
    assert sections[2].path_label == "Component Deep Dive › Key Generation Service"
    again = parse_document(DOC, PurePosixPath("studies/demo.md"), "corpus", "article", ProblemLog())[1]
    assert [s.content_hash for s in again] == [s.content_hash for s in sections]


def test_tiny_sections_fold_into_their_parent():
    text = ("# T\n\n## Parent\n\n" + "word " * 30 + "\n\n### Further reading\n\n- one link\n\n"
            "## Alone\n\nshort but kept\n")
    _, sections = parse_document(text, PurePosixPath("t.md"), "c", "article", ProblemLog())
    assert [s.id for s in sections] == ["t#parent", "t#alone"]
    assert sections[0].text.endswith("Further reading\none link")


def test_foreign_document_without_frontmatter_takes_id_from_path_and_title_from_heading():
    text = "<p align='center'><img src='x.png'></p>\n\n# Design Pastebin\n\nText here.\n"
    document, sections = parse_document(text, PurePosixPath("solutions/pastebin/README.md"),
                                        "primer", "article", ProblemLog())
    assert document.id == "solutions-pastebin"
    assert document.title == "Design Pastebin"
    assert document.kind == "article"
    assert [s.text for s in sections] == ["Text here."]


def test_id_from_path_uses_corpus_name_for_root_readme():
    assert id_from_path(PurePosixPath("README.md"), "system-design-primer") == "system-design-primer"
    assert id_from_path(PurePosixPath("a/B c.md"), "x") == "a-b-c"


def test_slugify():
    assert slugify("Key Generation Service (KGS)") == "key-generation-service-kgs"
    assert slugify("Café › Déjà vu") == "cafe-deja-vu"
    assert slugify("!!!") == "section"
