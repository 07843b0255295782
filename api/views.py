"""Records and graph answers → the API's response models (no look-ups, no I/O)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import networkx as nx

from api import models
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


def hop(h: Hop) -> models.Hop:
    return models.Hop(from_=h.source, to=h.target, type=h.type, forward=h.forward)


def named_hop(graph: nx.DiGraph, h: Hop) -> models.NamedHop:
    return models.NamedHop(from_=h.source, to=h.target, type=h.type, forward=h.forward,
                           from_name=graph.nodes[h.source]["name"],
                           to_name=graph.nodes[h.target]["name"])


def related_why(found: RelatedConcept) -> models.RelatedWhy:
    why = found.why
    return models.RelatedWhy(
        edges=[models.TaxonomyEdge(source=e.source, target=e.target, type=e.type) for e in why.edges],
        shared_documents=[models.SharedDocument(id=d.id, kind=d.kind, title=d.title,
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
