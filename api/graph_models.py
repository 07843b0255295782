"""Response shapes of the graph answers: related concepts, typed paths, learning paths, themes and
neighbourhoods (the rest of the contract is in api/models.py)."""

from __future__ import annotations

from pydantic import Field

from api.models import ConceptRef, Model, NodeKind, RelationType, StudyRef


class TaxonomyEdge(Model):
    source: str
    target: str
    type: RelationType


class SharedDocument(Model):
    id: str
    kind: NodeKind
    title: str
    sections: list[str]


class Hop(Model):
    from_: str = Field(alias="from")
    to: str
    type: str
    forward: bool = Field(description="False when the edge points from `to` to `from`.")


class RelatedWhy(Model):
    edges: list[TaxonomyEdge]
    shared_documents: list[SharedDocument]
    path: list[Hop]
    summary: str


class RelatedItem(Model):
    concept: ConceptRef
    score: float
    breakdown: dict[str, float]
    why: RelatedWhy


class RelatedResponse(Model):
    concept: ConceptRef
    related: list[RelatedItem]


class NamedHop(Hop):
    from_name: str
    to_name: str


class PathResponse(Model):
    source: str
    target: str
    hops: list[NamedHop]


class Lesson(Model):
    course: str
    title: str
    section: str | None
    heading: str | None = None


class LearningStep(Model):
    concept: ConceptRef
    study: StudyRef | None
    lesson: Lesson | None
    why: str


class LearningPath(Model):
    concept: ConceptRef
    known: list[str]
    steps: list[LearningStep]


class Theme(Model):
    label: str
    patterns: list[ConceptRef]
    studies: list[StudyRef]


class Themes(Model):
    themes: list[Theme]


class GraphNode(Model):
    key: str
    id: str
    name: str
    kind: NodeKind
    x: float
    y: float


class GraphEdge(Model):
    source: str
    target: str
    type: str


class Neighbourhood(Model):
    concept: ConceptRef
    nodes: list[GraphNode]
    edges: list[GraphEdge]
