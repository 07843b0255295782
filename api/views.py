"""Records and graph answers → the API's response models (no look-ups, no I/O)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import networkx as nx

from api import graph_models, models
from api.errors import InvalidParameter, suggestions
from api.mcp_models import SectionText, StudyText
from graph.paths import Hop
from graph.recommend import Recommendation
from graph.related import RelatedConcept
from ingest.records import Concept, Document


@lru_cache(maxsize=8192)  # frozen records, frozen models: one reference per record is enough
def study_ref(doc: Document) -> models.StudyRef:
    return models.StudyRef(id=doc.id, title=doc.title, company=doc.company,
                           also_titles=list(doc.also_titles), kind=doc.kind, category=doc.category)


@lru_cache(maxsize=8192)
def concept_ref(concept: Concept) -> models.ConceptRef:
    return models.ConceptRef(id=concept.id, name=concept.name, type=concept.type,
                             origin=concept.origin, confidence=concept.confidence)


def concept_summary(concept: Concept) -> models.ConceptSummary:
    return models.ConceptSummary(**concept_ref(concept).model_dump(), aliases=list(concept.aliases))


def hop(h: Hop) -> graph_models.Hop:
    return graph_models.Hop(from_=h.source, to=h.target, type=h.type, forward=h.forward)


def named_hop(graph: nx.DiGraph, h: Hop) -> graph_models.NamedHop:
    return graph_models.NamedHop(from_=h.source, to=h.target, type=h.type, forward=h.forward,
                           from_name=graph.nodes[h.source]["name"],
                           to_name=graph.nodes[h.target]["name"])


def related_why(found: RelatedConcept) -> graph_models.RelatedWhy:
    why = found.why
    return graph_models.RelatedWhy(
        edges=[graph_models.TaxonomyEdge(source=e.source, target=e.target, type=e.type) for e in why.edges],
        shared_documents=[graph_models.SharedDocument(id=d.id, kind=d.kind, title=d.title,
                                                sections=list(d.sections))
                          for d in why.shared_documents],
        path=[hop(h) for h in why.path], summary=why.summary)


def recommendation(study: Document, found: Recommendation,
                   concepts: Mapping[str, Concept]) -> models.Recommendation:
    why = found.why
    shared = [concept_ref(concepts[c.id]) for c in why.shared_concepts]
    return models.Recommendation(
        study=study_ref(study), score=found.score, breakdown=found.breakdown,
        why=models.RecommendationWhy(shared_concepts=shared, same_company=why.same_company,
                                     summary=why.summary))


def study_text(detail: models.StudyDetail, wanted: list[str] | None) -> StudyText:
    """A study with the text of the `wanted` sections (ids with or without '<study-id>#'), or all."""
    ids = [s.id for s in detail.sections]
    chosen = set(ids) if wanted is None else {w if "#" in w else f"{detail.id}#{w}" for w in wanted}
    missing = sorted(chosen - set(ids))
    if missing:
        raise InvalidParameter(f"study '{detail.id}' has no section '{missing[0]}'",
                               field="sections", suggestions=suggestions(missing[0], ids))
    shared = set(StudyText.model_fields) & set(models.StudyDetail.model_fields) - {"sections"}
    return StudyText(**detail.model_dump(include=shared), section_ids=ids, sections=[
        SectionText(id=s.id, heading=s.heading, heading_path=s.heading_path, text=s.text)
        for s in detail.sections if s.id in chosen])
