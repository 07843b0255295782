"""Request and response shapes of the HTTP API: the contract other tools rely on.

The service returns these objects; the routes, the CLI's `--json` and the evaluators read them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.limits import LIMITS
from ingest.records import CONCEPT_TYPES, DOCUMENT_KINDS, ORIGINS, RELATION_TYPES
from ingest.resolver import Match
from search.fusion import Mode

ConceptType = Literal[CONCEPT_TYPES]
DocumentKind = Literal[DOCUMENT_KINDS]
RelationType = Literal[RELATION_TYPES]
Origin = Literal[ORIGINS]
NodeKind = Literal[("study", "category", *CONCEPT_TYPES)]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)


class ModelInfo(Model):
    name: str
    path: str


class SnapshotInfo(Model):
    version: str
    created: str
    studies: int
    courses: int
    sections: int
    chunks: int
    concepts: int
    edges: int
    model: ModelInfo
    corpus_hash: str
    problems: int


class Health(Model):
    status: Literal["ok"]
    snapshot: SnapshotInfo


class EmbeddingModel(ModelInfo):
    dimension: int


class Stats(Model):
    version: str
    counts: dict[str, int]
    concepts_by_type: dict[str, int]
    documents_by_kind: dict[str, int]
    model: EmbeddingModel
    problems: list[str]


class StudyRef(Model):
    id: str
    title: str
    company: str
    also_titles: list[str]
    kind: DocumentKind
    category: str


class ConceptRef(Model):
    id: str
    name: str
    type: ConceptType
    origin: Origin = Field(description="taxonomy, course, tag (a frontmatter tag that named no "
                                        "known concept) or discovered (found in the text)")
    confidence: float = Field(description="1 for curated concepts; discovery's estimate otherwise")


class SectionResult(Model):
    id: str
    heading: str
    heading_path: list[str]
    snippet: str
    highlights: list[tuple[int, int]] = Field(description="[start, end) offsets of query terms "
                                                          "in snippet")
    score: float


class SearchResult(Model):
    study: StudyRef
    score: float
    sections: list[SectionResult]
    concepts: list[ConceptRef]


class CourseResult(SearchResult):
    """A course beside the studies: the place to go deeper; `sections` are its best lessons."""

    teaches: list[ConceptRef] = Field(description="The query's concepts that the course teaches.")
    why: str = Field(description="Why it is shown: the concepts it teaches, or how well its best "
                                 "lesson matches the query.")


class SearchResponse(Model):
    query: str
    mode: Mode
    total: int = Field(description="Documents of the kinds in `results` that the retrievers found "
                                   "(each has a chunk among their candidates); `results` holds "
                                   "the first k of them.")
    query_concepts: list[ConceptRef] = Field(description="Concepts the query names; sections "
                                                         "that mention them are boosted.")
    closest_similarity: float = Field(description="Cosine between the query and its nearest "
                                                  "chunk among the studies searched.")
    weak_match: bool = Field(description="No chunk is close to the query and it names no concept: "
                                         "the results are only the nearest there are.")
    course_seeking: bool = Field(description="The query asks for a course, a lesson or to learn "
                                             "(its words say so): its best course is first in "
                                             "`results`.")
    results: list[SearchResult] = Field(description="Studies ranked among studies; a course-seeking "
                                                    "query's best course first; with `kind`, "
                                                    "documents of that kind only.")
    courses: list[CourseResult] = Field(description="Go deeper: the courses that teach the query's "
                                                    "concepts, beside the studies (empty when the "
                                                    "query asks for a kind or seeks a course).")


class StudySummary(StudyRef):
    headline: str
    level: str
    minutes: int | None


class StudyList(Model):
    studies: list[StudySummary]
    total: int


class StudySection(Model):
    id: str
    heading: str
    heading_path: list[str]
    line: int
    text: str
    html: str = Field(description="The section's markdown rendered to HTML (raw HTML escaped).")


class LinkedConcept(ConceptRef):
    weight: float
    curated: bool
    mentions: int


class StudyDetail(StudyRef):
    path: str
    level: str
    minutes: int | None
    headline: str
    summary: str
    sources: list[str]
    companies: list[str]
    sections: list[StudySection]
    concepts: list[LinkedConcept]


class RecommendationWhy(Model):
    shared_concepts: list[ConceptRef]
    same_company: bool
    summary: str


class Recommendation(Model):
    study: StudyRef
    score: float
    breakdown: dict[str, float] = Field(description="Per-signal scores: graph proximity, content.")
    why: RecommendationWhy


class Recommendations(Model):
    study: StudyRef
    recommendations: list[Recommendation]


class ReadingHistory(Model):
    read: list[str] = Field(min_length=1, max_length=LIMITS.read,
                            description="Ids of studies already read.")
    k: int = Field(5, ge=1, le=LIMITS.k)


class HistoryRecommendations(Model):
    read: list[str]
    recommendations: list[Recommendation]


class ConceptSummary(ConceptRef):
    aliases: list[str]


class ConceptList(Model):
    concepts: list[ConceptSummary]
    total: int


class Evidence(Model):
    section: str
    start: int
    end: int
    surface: str = Field(description="The words as written in the section.")
    context: str = Field(description="The sentence around them.")


class ConceptStudy(Model):
    id: str
    title: str
    company: str
    kind: DocumentKind
    weight: float
    curated: bool
    mentions: int
    evidence: list[Evidence]


class ConceptDetail(ConceptSummary):
    category: str
    description: str
    studies: list[ConceptStudy]
    match: Match | None = Field(None, description="How the name asked for matched the concept.")
    match_confidence: float | None = Field(None, ge=0, le=1,
                                           description="How sure that match is.")


class Reload(Model):
    version: str = Field(description="The snapshot in service now.")
    previous: str
    changed: bool


class IngestReport(Model):
    version: str
    counts: dict[str, int]
    problems: list[str]
    encoded: int
    reused_embeddings: int
    serving: str


class Limits(Model):
    k: int
    query_chars: int
    read: int
    name_chars: int
    known_chars: int
    concept_limit: int
    neighbourhood: int


class Facets(Model):
    companies: list[str]
    categories: list[str]
    kinds: list[DocumentKind]
    patterns: list[ConceptRef]
    concept_types: list[ConceptType]
    relation_types: list[RelationType]
    origins: list[Origin]
    limits: Limits
