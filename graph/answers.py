"""Answers that depend only on the snapshot, computed once at ingest and stored in it as plain
JSON: related concepts (overall and per type) with their scores and summaries, neighbourhood
layouts, learning paths, themes and each document's first recommendations. A request reads them
back into the same frozen dataclasses the on-the-fly functions return. Of a related concept's
reasons, ingest stores what is costly to find in a large graph (the shared documents listed, the
path's middle node); the sections and the path are looked up for the ones a request shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from graph.layout import (
    Layouts,
    Neighbourhood,
    PlacedEdge,
    PlacedNode,
    neighbour_documents,
    place,
)
from graph.learning import LearningStep, Lesson, learning_path, prerequisite_graph
from graph.recommend import ConceptNode, Recommendation, RecommendationWhy, Recommender
from graph.related import (
    SIGNAL_WEIGHTS,
    RelatedConcept,
    RelatedScorer,
    Similarities,
    concept_nodes,
    taxonomy_edges,
)
from graph.themes import Theme, themes

RELATED_STORED = 100  # per concept and type: the API's largest k
NEIGHBOURHOOD_LIMIT = 24  # the layout stored per concept: the API's default limit
NEIGHBOUR_DOCUMENTS = 60  # documents kept per concept for other limits: the API's largest
RECOMMENDATIONS_STORED = 10  # per document; a larger k is combined from the PPR table
ALL = ""  # the related list of every type
SIGNALS = tuple(SIGNAL_WEIGHTS)


def _related_entries(scorer: RelatedScorer, node: str, kinds: list[str]) -> dict:
    """Per type (ALL for every type): [other, score, *breakdown in SIGNALS order, the reasons in
    words ("" when only the path connects them)], best first; per related concept: [the shared
    documents a why lists, the common neighbour of its path ("" for none)]."""
    lists = {kind: [[other, score, *(breakdown[s] for s in SIGNALS),
                     scorer.stated(node, other, edges, breakdown)]
                    for score, other, breakdown, edges in scorer.scored(node, kind or None)[:RELATED_STORED]]
             for kind in [ALL, *kinds]}
    others = dict.fromkeys(entry[0] for rows in lists.values() for entry in rows)
    return {"lists": lists, "why": {other: list(scorer.shown(node, other)) for other in others}}


def _placed(found: Neighbourhood) -> dict:
    return {"nodes": [[n.key, n.x, n.y] for n in found.nodes],
            "edges": [[e.source, e.target, e.type] for e in found.edges]}


def _steps(steps: list[LearningStep]) -> list:
    return [[s.node, s.study, s.lesson and [s.lesson.course, s.lesson.title, s.lesson.section],
             s.why] for s in steps]


def compute_answers(graph: nx.DiGraph, similarity: Similarities | None,
                    recommender: Recommender, layouts: Layouts | None = None) -> dict:
    """Every stored answer of a snapshot, as JSON-ready data; the neighbourhoods are laid out
    through `layouts` (which then holds them) when given."""
    scorer = RelatedScorer(graph, similarity)
    kinds = sorted({graph.nodes[c]["kind"] for c in concept_nodes(graph)})
    concepts = concept_nodes(graph) + [n for n, d in graph.nodes(data=True) if d["kind"] == "course"]
    related = {c: _related_entries(scorer, c, kinds) for c in concepts}
    order = prerequisite_graph(graph)
    neighbourhoods = {}
    for c in concepts:
        documents = neighbour_documents(graph, c, NEIGHBOUR_DOCUMENTS)
        nearest = [entry[0] for entry in related[c]["lists"][ALL]]
        neighbourhoods[c] = {**_placed(place(graph, c, nearest, documents, NEIGHBOURHOOD_LIMIT, layouts)),
                             "documents": documents}
    recommendations = {d: [[r.node, r.score, r.breakdown["graph"], r.breakdown["content"],
                            [c.node for c in r.why.shared_concepts], r.why.same_company, r.why.summary]
                           for r in recommender.recommend([d], RECOMMENDATIONS_STORED)]
                       for d in recommender.ppr.rows}
    return {"related": related, "neighbourhoods": neighbourhoods,
            "learning_paths": {c: _steps(learning_path(graph, c, order=order)) for c in concepts},
            "themes": [[t.label, list(t.patterns), list(t.studies)] for t in themes(graph)],
            "recommendations": recommendations}


@dataclass(frozen=True)
class StoredAnswers:
    """The stored answers of one snapshot, read back per request."""

    graph: nx.DiGraph
    data: dict
    recommender: Recommender
    reasons: RelatedScorer = field(init=False)  # its per-node caches fill as requests come

    def __post_init__(self) -> None:
        object.__setattr__(self, "reasons", RelatedScorer(self.graph))

    def related(self, node: str, k: int, kind: str | None = None) -> list[RelatedConcept]:
        """The stored list, each shown concept with the sections and path of its reasons."""
        graph, reasons, entry, out = self.graph, self.reasons, self.data["related"][node], []
        for other, score, *values, stated in entry["lists"].get(kind or ALL, [])[:k]:
            shown, via = entry["why"][other]
            out.append(RelatedConcept(other, score, dict(zip(SIGNALS, values, strict=True)), reasons.why(
                node, other, taxonomy_edges(graph, node, other), stated, shown, via)))
        return out

    def neighbourhood(self, node: str, limit: int) -> Neighbourhood:
        stored = self.data["neighbourhoods"][node]
        if limit != NEIGHBOURHOOD_LIMIT:
            nearest = [entry[0] for entry in self.data["related"][node]["lists"][ALL]]
            return place(self.graph, node, nearest, stored["documents"], limit)
        nodes = self.graph.nodes
        return Neighbourhood(
            tuple(PlacedNode(key, nodes[key]["id"], nodes[key]["name"], nodes[key]["kind"], x, y)
                  for key, x, y in stored["nodes"]),
            tuple(PlacedEdge(*e) for e in stored["edges"]))

    def learning_path(self, node: str, known: set[str] = frozenset()) -> list[LearningStep]:
        stored = self.data["learning_paths"][node]
        return [LearningStep(step, study, lesson and Lesson(*lesson), why)
                for step, study, lesson, why in stored if step not in known]

    @property
    def themes(self) -> list[Theme]:
        return [Theme(label, tuple(patterns), tuple(studies))
                for label, patterns, studies in self.data["themes"]]

    def recommend(self, seeds: list[str], k: int) -> list[Recommendation]:
        """What to read after `seeds`: stored for one document and a small k, else combined."""
        seeds = list(dict.fromkeys(seeds))
        if len(seeds) == 1 and k <= RECOMMENDATIONS_STORED:
            nodes = self.graph.nodes
            return [Recommendation(node, score, {"graph": g, "content": c}, RecommendationWhy(
                tuple(ConceptNode(nodes[n]["id"], nodes[n]["name"], nodes[n]["kind"], n) for n in shared),
                same_company, summary)) for node, score, g, c, shared, same_company, summary
                in self.data["recommendations"][seeds[0]][:k]]
        return self.recommender.recommend(seeds, k)
