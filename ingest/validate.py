"""Whole-corpus checks on top of what reading finds, and a coverage report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ingest.corpus import Corpus, read_corpus
from ingest.problems import Problem
from ingest.records import STUDY_KINDS, Concept
from ingest.resolver import ConceptResolver
from ingest.surface import SurfaceForm
from ingest.tags import DEFAULT_TAG_KEYS

STUDY_FIELDS = ("id", "title", "company", "kind", "category", "level", "minutes", "headline",
                "summary", "patterns")


@dataclass
class ValidationReport:
    problems: list[Problem]
    counts: dict[str, int]
    thin_patterns: list[str]

    def to_json(self) -> dict:
        return {"valid": not self.problems, "problems": [str(p) for p in self.problems],
                "counts": self.counts, "thin_patterns": self.thin_patterns}


def _study_problems(corpus: Corpus) -> list[Problem]:
    problems = []
    for doc in corpus.documents.values():
        if doc.kind not in STUDY_KINDS:
            continue
        missing = [f for f in STUDY_FIELDS if f not in doc.field_lines]
        if doc.kind == "real-world" and not doc.sources:
            missing.append("sources")
        if missing:
            problems.append(Problem(doc.path, 1, "study frontmatter lacks " + ", ".join(missing)))
    return problems


def _where(concept: Concept) -> tuple[str, int]:
    path, _, line = concept.source.rpartition(":")
    return (path, int(line)) if line.isdigit() else (concept.source, 0)


def _conflict_problems(corpus: Corpus) -> list[Problem]:
    """A name, alias or id that reads the same as a form of another concept: of two names or two
    aliases alike, neither resolves by it."""
    problems = []
    for conflict in ConceptResolver(corpus.concepts.values()).conflicts():
        by_concept: dict[str, SurfaceForm] = {}
        for form in conflict.forms:
            by_concept.setdefault(form.concept_id, form)
        (first_id, first), *others = by_concept.items()
        for concept_id, form in others:
            concept = corpus.concepts[concept_id]
            problems.append(Problem(*_where(concept), (
                f"'{form.text}' of concept '{concept_id}' reads the same as '{first.text}' of "
                f"'{first_id}' ({corpus.concepts[first_id].source}); rename or remove one of them")))
    return problems


def _pattern_use(corpus: Corpus) -> tuple[Counter, set[str]]:
    """How many studies apply each pattern (frontmatter), and the patterns any document uses
    (in its frontmatter or its text)."""
    by_studies: Counter = Counter()
    used = {m.concept_id for m in corpus.mentions}
    for doc in corpus.documents.values():
        used.update(doc.patterns)
        if doc.kind in STUDY_KINDS:
            by_studies.update(set(doc.patterns))
    return by_studies, used


def validate_corpus(root: Path, fallback_taxonomy: Path | None = None,
                    max_file_bytes: int = 2_000_000,
                    tag_keys: tuple[str, ...] = DEFAULT_TAG_KEYS) -> ValidationReport:
    corpus = read_corpus(root, fallback_taxonomy, max_file_bytes, tag_keys=tag_keys)
    problems = list(corpus.problems) + _study_problems(corpus) + _conflict_problems(corpus)
    by_studies, used = _pattern_use(corpus)
    patterns = [c for c in corpus.concepts.values() if c.type == "pattern"]
    for concept in patterns:
        if concept.id not in used:
            path, _, line = concept.source.rpartition(":")
            problems.append(Problem(path, int(line or 0), f"pattern '{concept.id}' is used by no "
                                    "study or course; use it in one or remove it"))
    types = Counter(c.type for c in corpus.concepts.values())
    kinds = Counter(d.kind for d in corpus.documents.values())
    words = sum(len(s.text.split()) for s in corpus.sections)
    counts = {"documents": len(corpus.documents), "studies": kinds["real-world"] + kinds["interview"],
              "courses": kinds["course"], "articles": kinds["article"], "words": words,
              "sections": len(corpus.sections), "patterns": types["pattern"],
              "technologies": types["technology"], "companies": types["company"],
              "aliases": sum(len(c.aliases) for c in corpus.concepts.values()),
              "relations": len(corpus.relations), "mentions": len(corpus.mentions)}
    thin = sorted(c.id for c in patterns if by_studies[c.id] < 2)
    return ValidationReport(problems, counts, thin)
