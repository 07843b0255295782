"""The records that ingest produces: plain frozen dataclasses, serialisable to JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

DOCUMENT_KINDS = ("real-world", "interview", "course", "article")
STUDY_KINDS = DOCUMENT_KINDS[:2]  # the kinds that are case studies
CONCEPT_TYPES = ("pattern", "technology", "company", "course")  # courses are concepts too
TAXONOMY_TYPES = CONCEPT_TYPES[:3]  # the types a taxonomy file may declare
RELATION_TYPES = ("prerequisite", "part_of", "alternative_to", "related_to")
# Where a concept comes from: the taxonomy files, a course of the corpus, a frontmatter tag that
# named no known concept, or discovery in the text.
ORIGINS = ("taxonomy", "course", "tag", "discovered")


@dataclass(frozen=True)
class Relation:
    """A typed edge of the taxonomy: `source` <type> `target`."""

    source: str
    type: str
    target: str


@dataclass(frozen=True)
class Concept:
    """A node of the taxonomy: a pattern, technology, company, or a course."""

    id: str
    name: str
    type: str
    category: str = ""
    aliases: tuple[str, ...] = ()
    description: str = ""
    source: str = ""  # "file:line" where it is defined
    origin: str = "taxonomy"  # one of ORIGINS
    confidence: float = 1.0  # 1 for curated concepts; discovery's estimate otherwise


@dataclass(frozen=True)
class Section:
    """One heading-delimited part of a document."""

    id: str  # "<document-id>#<heading-slug>"
    document_id: str
    heading: str
    heading_path: tuple[str, ...]
    text: str
    line: int  # 1-based line of the heading in the source file
    content_hash: str
    markdown: str = ""  # the section's source markdown, for rendering

    @property
    def path_label(self) -> str:
        return " › ".join(self.heading_path)


@dataclass(frozen=True)
class Chunk:
    """A window of a section's text: the unit that is embedded and indexed."""

    id: str  # "<section-id>" or "<section-id>@<n>" for later windows
    section_id: str
    text: str
    content_hash: str


@dataclass(frozen=True)
class Document:
    """A study, a course, or a foreign markdown article."""

    id: str
    title: str
    kind: str
    path: str  # relative to the corpus root
    company: str = ""
    companies: tuple[str, ...] = ()
    also_titles: tuple[str, ...] = ()
    category: str = ""
    level: str = ""
    minutes: int | None = None
    headline: str = ""
    summary: str = ""
    patterns: tuple[str, ...] = ()
    technologies: tuple[str, ...] = ()
    studies: tuple[str, ...] = ()  # courses: the studies they point to
    sources: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    field_lines: dict[str, int] = field(default_factory=dict, hash=False, compare=False)

    @property
    def curated_concepts(self) -> tuple[str, ...]:
        return self.patterns + self.technologies + self.companies


@dataclass(frozen=True)
class Mention:
    """Evidence that a concept is named in a section: where and in which form."""

    concept_id: str
    section_id: str
    start: int
    end: int
    surface: str


def to_json(record: Any) -> dict[str, Any]:
    """A JSON-ready dict of a record (tuples become lists)."""
    return asdict(record)
