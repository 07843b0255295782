"""A corpus's own tags: frontmatter lists that name concepts, by id, name or alias.

`patterns`, `technologies` and `companies` name concepts of that type; the other tag keys
(`tags` and `keywords` by default, more from the settings or the corpus's `casegraph.yaml`) name
concepts of any type. Each tag goes through the resolver; a tag that names no known concept
becomes one, with origin "tag". When the corpus has its own taxonomy, such a tag is also reported,
since there it is most likely a typo.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import yaml

from ingest.frontmatter import SafeLoader
from ingest.markdown import slugify
from ingest.problems import ProblemLog
from ingest.records import Concept, Document

TYPED_KEYS = {"patterns": "pattern", "technologies": "technology", "companies": "company"}
DEFAULT_TAG_KEYS = ("tags", "keywords")
CONFIG_FILE = "casegraph.yaml"  # optional, at the corpus root: {tag_keys: [...]}
FIELD_OF_TYPE = {kind: key for key, kind in TYPED_KEYS.items()}

Resolve = Callable[[str], str | None]  # a tag → the id of the concept it names, or None


def corpus_tag_keys(root: Path, configured: Iterable[str], log: ProblemLog) -> tuple[str, ...]:
    """The untyped tag keys: the configured ones, then those of the corpus's casegraph.yaml."""
    keys = list(configured)
    config = root / CONFIG_FILE
    if config.is_file():
        try:
            data = yaml.load(config.read_text(encoding="utf-8"), Loader=SafeLoader)  # noqa: S506
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
            log.add(CONFIG_FILE, line, "not valid YAML; its tag_keys are ignored")
            data = {}
        extra = (data or {}).get("tag_keys", []) if isinstance(data, dict) else []
        if not isinstance(extra, list) or not all(isinstance(k, str) for k in extra):
            log.add(CONFIG_FILE, 1, "'tag_keys' must be a list of frontmatter keys; it is ignored")
            extra = []
        keys += extra
    return tuple(dict.fromkeys(k for k in keys if k not in TYPED_KEYS))


def raw_tags(doc: Document, key: str) -> list[str]:
    """The tags of one frontmatter key: a list, or one comma-separated string."""
    value = getattr(doc, key) if key in TYPED_KEYS else doc.extra.get(key)
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        return []
    return [str(v).strip() for v in value if str(v).strip()]


class TagLinker:
    """Resolves the tags of every document, creating a concept for each tag nobody defines."""

    def __init__(self, concepts: dict[str, Concept], resolve: Resolve, report_new: bool,
                 log: ProblemLog) -> None:
        self.concepts = concepts
        self.resolve = resolve
        self.report_new = report_new
        self.log = log
        self.created: dict[str, Concept] = {}  # slug of the tag → the tag concept

    def link(self, doc: Document, tag_keys: tuple[str, ...]) -> Document:
        """`doc` with its patterns, technologies and companies as concept ids, tags included."""
        linked: dict[str, list[str]] = {key: [] for key in TYPED_KEYS}
        for key in (*TYPED_KEYS, *tag_keys):
            for tag in raw_tags(doc, key):
                concept = self._concept_for(doc, key, tag)
                field = FIELD_OF_TYPE.get(concept.type) if concept else None
                if field is not None:
                    linked[field].append(concept.id)
        return replace(doc, **{key: tuple(dict.fromkeys(ids)) for key, ids in linked.items()})

    def _concept_for(self, doc: Document, key: str, tag: str) -> Concept | None:
        expected = TYPED_KEYS.get(key)
        concept_id = self.resolve(tag)
        if concept_id is None:
            return self._created(doc, key, tag, expected or "pattern")
        concept = self.concepts[concept_id]
        if expected and concept.type != expected:
            self.log.add(doc.path, doc.field_lines.get(key, 0),
                         f"'{key}' names '{tag}', a {concept.type}, not a {expected}; "
                         f"list it under '{FIELD_OF_TYPE.get(concept.type, 'tags')}'")
            return None
        return concept

    def _created(self, doc: Document, key: str, tag: str, kind: str) -> Concept | None:
        slug = slugify(tag)
        if not slug:
            return None
        if self.report_new:
            self.log.add(doc.path, doc.field_lines.get(key, 0),
                         f"'{key}' names '{tag}', unknown concept in this corpus's taxonomy; it "
                         "becomes a concept of its own (origin tag): fix the tag or add it to "
                         "the taxonomy")
        if slug not in self.created:
            concept_id = slug if slug not in self.concepts else f"{slug}-tag"
            self.created[slug] = Concept(id=concept_id, name=tag, type=kind, origin="tag",
                                         source=f"{doc.path}:{doc.field_lines.get(key, 0)}")
            self.concepts[concept_id] = self.created[slug]
        return self.created[slug]
