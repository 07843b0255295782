"""Request and response shapes of the HTTP API: the contract other tools rely on."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

ConceptType = Literal["pattern", "technology", "company", "course"]
DocumentKind = Literal["real-world", "interview", "course", "article"]


class ErrorBody(BaseModel):
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorResponse(BaseModel):
    error: ErrorBody


class ModelInfo(BaseModel):
    name: str
    path: str


class SnapshotInfo(BaseModel):
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


class Health(BaseModel):
    status: Literal["ok"]
    snapshot: SnapshotInfo


class StudyRef(BaseModel):
    id: str
    title: str
    company: str
    also_titles: list[str]
    kind: str
    category: str


class ConceptRef(BaseModel):
    id: str
    name: str
    type: str


class SectionResult(BaseModel):
    id: str
    heading: str
    heading_path: list[str]
    snippet: str
    highlights: list[list[int]] = Field(description="[start, end) offsets of query terms in snippet")
    score: float


class SearchResult(BaseModel):
    study: StudyRef
    score: float
    sections: list[SectionResult]
    concepts: list[ConceptRef]


class SearchResponse(BaseModel):
    query: str
    mode: str
    total: int = Field(description="Studies the retrievers found (each has a chunk among their "
                                   "candidates); `results` holds the first k of them.")
    query_concepts: list[ConceptRef] = Field(description="Concepts the query names; sections "
                                                         "that mention them are boosted.")
    closest_similarity: float = Field(description="Cosine between the query and its nearest "
                                                  "chunk among the studies searched.")
    weak_match: bool = Field(description="No chunk is close to the query and it names no concept: "
                                         "the results are only the nearest there are.")
    results: list[SearchResult]


class StudySummary(StudyRef):
    headline: str
    level: str
    minutes: int | None


class StudyList(BaseModel):
    studies: list[StudySummary]
    total: int


class StudySection(BaseModel):
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


class Recommendation(BaseModel):
    study: StudyRef
    score: float
    breakdown: dict[str, float] = Field(description="Per-signal scores: graph proximity, content.")
    why: dict[str, Any]


class Recommendations(BaseModel):
    study: StudyRef
    recommendations: list[Recommendation]


class ReadingHistory(BaseModel):
    read: list[str] = Field(min_length=1, max_length=200, description="Ids of studies already read.")
    k: int = Field(5, ge=1, le=100)


class HistoryRecommendations(BaseModel):
    read: list[str]
    recommendations: list[Recommendation]


class ConceptSummary(ConceptRef):
    aliases: list[str]


class ConceptList(BaseModel):
    concepts: list[ConceptSummary]
    total: int


class ConceptStudy(BaseModel):
    id: str
    title: str
    company: str
    kind: str
    weight: float
    curated: bool
    mentions: int
    evidence: list[dict[str, Any]]


class ConceptDetail(ConceptSummary):
    category: str
    description: str
    studies: list[ConceptStudy]


class RelatedItem(BaseModel):
    concept: ConceptRef
    score: float
    breakdown: dict[str, float]
    why: dict[str, Any]


class RelatedResponse(BaseModel):
    concept: ConceptRef
    related: list[RelatedItem]


class PathResponse(BaseModel):
    source: str
    target: str
    hops: list[dict[str, Any]]


class Lesson(BaseModel):
    course: str
    title: str
    section: str | None
    heading: str | None = None


class LearningStep(BaseModel):
    concept: ConceptRef
    study: StudyRef | None
    lesson: Lesson | None
    why: str


class LearningPath(BaseModel):
    concept: ConceptRef
    known: list[str]
    steps: list[LearningStep]


class Theme(BaseModel):
    label: str
    patterns: list[ConceptRef]
    studies: list[StudyRef]


class Themes(BaseModel):
    themes: list[Theme]


class GraphNode(BaseModel):
    key: str
    id: str
    name: str
    kind: str
    x: float
    y: float


class GraphEdge(BaseModel):
    source: str
    target: str
    type: str


class Neighbourhood(BaseModel):
    concept: ConceptRef
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class Facets(BaseModel):
    companies: list[str]
    categories: list[str]
    kinds: list[str]
    patterns: list[ConceptRef]
