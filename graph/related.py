"""Related concepts: named signals, each a small pure function, blended into one explained score."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import networkx as nx

from graph.paths import Hop, describe_path, documents_of, hop, is_document, typed_path

Similarity = Callable[[str, str], float]

# How strongly each typed taxonomy edge says "related".
RELATION_STRENGTH = {"prerequisite": 1.0, "part_of": 0.9, "alternative_to": 0.8, "related_to": 0.7}
SIGNAL_WEIGHTS = {"taxonomy": 0.5, "cooccurrence": 0.25, "embedding": 0.25}  # by eval-graph
MIN_SHARED_DOCUMENTS = 2  # below this, co-occurrence is not evidence
EMBEDDING_CANDIDATES = 20  # nearest concepts by embedding added to the candidates
MAX_SHARED_SHOWN = 10  # shared documents listed in a why (the count is kept in full)


@dataclass(frozen=True)
class TaxonomyEdge:
    source: str
    target: str
    type: str


@dataclass(frozen=True)
class SharedDocument:
    """A document that applies both concepts, and the sections that name both."""

    id: str
    kind: str
    title: str
    sections: tuple[str, ...]


@dataclass(frozen=True)
class RelatedWhy:
    edges: tuple[TaxonomyEdge, ...]
    shared_documents: tuple[SharedDocument, ...]
    path: tuple[Hop, ...]
    summary: str


@dataclass(frozen=True)
class RelatedConcept:
    node: str
    score: float
    breakdown: dict[str, float]
    why: RelatedWhy


def taxonomy_signal(graph: nx.DiGraph, a: str, b: str) -> tuple[float, list[TaxonomyEdge]]:
    """Strength of the direct typed edges between two concepts, and those edges."""
    edges = []
    for source, target in ((a, b), (b, a)):
        if graph.has_edge(source, target) and graph.edges[source, target]["type"] in RELATION_STRENGTH:
            edges.append(TaxonomyEdge(source, target, graph.edges[source, target]["type"]))
    strength = max((RELATION_STRENGTH[e.type] for e in edges), default=0.0)
    return strength, edges


def npmi(count_a: int, count_b: int, count_ab: int, total: int) -> float:
    """Normalised pointwise mutual information in [-1, 1]; 0 when a pair never co-occurs."""
    if count_ab == 0 or total == 0:
        return 0.0
    p_a, p_b, p_ab = count_a / total, count_b / total, count_ab / total
    if p_ab >= 1.0:
        return 1.0
    return math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)


def cooccurrence_signal(docs_a: set[str], docs_b: set[str], total: int) -> float:
    shared = len(docs_a & docs_b)
    if shared < MIN_SHARED_DOCUMENTS:
        return 0.0
    return max(0.0, npmi(len(docs_a), len(docs_b), shared, total))


def embedding_signal(similarities: Mapping[str, float]) -> dict[str, float]:
    """Cosine similarities rescaled against their mean: 0 at or below it, 1 at cosine 1."""
    if not similarities:
        return {}
    mean = sum(similarities.values()) / len(similarities)
    return {k: max(0.0, (v - mean) / (1 - mean)) if mean < 1 else 0.0 for k, v in similarities.items()}


def _shared_sections(graph: nx.DiGraph, a: str, b: str, doc: str) -> tuple[str, ...]:
    sections_a = {e["section"] for e in graph.edges[doc, a]["evidence"]}
    return tuple(sorted(sections_a & {e["section"] for e in graph.edges[doc, b]["evidence"]}))


def concept_nodes(graph: nx.DiGraph, kind: str | None = None) -> list[str]:
    return [n for n, d in graph.nodes(data=True)
            if d["kind"] not in ("study", "course", "category") and (kind is None or d["kind"] == kind)]


def short_typed_path(graph: nx.DiGraph, a: str, b: str, neighbours: Callable[[str], set[str]]
                     ) -> tuple[Hop, ...]:
    """A shortest typed path, chosen deterministically: the direct edge, else through the first
    (by key) common neighbour, else `typed_path`."""
    if graph.has_edge(a, b) or graph.has_edge(b, a):
        return (hop(graph, a, b),)
    common = neighbours(a) & neighbours(b)
    if common:
        middle = min(common)
        return hop(graph, a, middle), hop(graph, middle, b)
    return tuple(typed_path(graph, a, b) or ())


Scored = tuple[float, str, dict[str, float], tuple[TaxonomyEdge, ...]]


class RelatedScorer:
    """Scores and explains related concepts over one graph, caching what every concept shares:
    documents per concept, similarities, pair signals. `related_concepts` is one query of it;
    ingest asks it about every concept."""

    def __init__(self, graph: nx.DiGraph, similarity: Similarity | None = None) -> None:
        self.graph, self.similarity = graph, similarity
        self.total = sum(1 for n in graph.nodes if is_document(graph, n))
        self.pools = {kind: concept_nodes(graph, kind) for kind in
                      {None, *(graph.nodes[n]["kind"] for n in concept_nodes(graph))}}
        self._docs: dict[str, set[str]] = {}
        self._similar: dict[str, dict[str, float]] = {}
        self._neighbours: dict[str, set[str]] = {}
        self._pairs: dict[tuple[str, str], tuple[float, list[TaxonomyEdge], float]] = {}

    def documents(self, node: str) -> set[str]:
        if node not in self._docs:
            self._docs[node] = set(documents_of(self.graph, node))
        return self._docs[node]

    def neighbours(self, node: str) -> set[str]:
        if node not in self._neighbours:
            self._neighbours[node] = set(self.graph.successors(node)) | set(self.graph.predecessors(node))
        return self._neighbours[node]

    def _similarities(self, node: str) -> dict[str, float]:
        if node not in self._similar:
            self._similar[node] = {c: self.similarity(node, c) for c in self.pools[None] if c != node}
        return self._similar[node]

    def _pair(self, node: str, other: str) -> tuple[float, list[TaxonomyEdge], float]:
        if (node, other) not in self._pairs:
            tax, edges = taxonomy_signal(self.graph, node, other)
            self._pairs[(node, other)] = (tax, edges, cooccurrence_signal(
                self.documents(node), self.documents(other), self.total))
        return self._pairs[(node, other)]

    def scored(self, node: str, kind: str | None = None,
               weights: Mapping[str, float] = SIGNAL_WEIGHTS) -> list[Scored]:
        """Every candidate with a score above 0, best first: (score, node, breakdown, edges)."""
        graph = self.graph
        pool = [c for c in self.pools.get(kind, []) if c != node]
        similar = self._similarities(node) if self.similarity and weights.get("embedding") else {}
        embedding = embedding_signal({c: similar[c] for c in pool}) if similar else {}
        candidates = {t for doc in self.documents(node) for t in graph.successors(doc)}
        candidates |= self.neighbours(node)
        candidates |= set(sorted(embedding, key=lambda c: -embedding[c])[:EMBEDDING_CANDIDATES])
        scored = []
        for other in candidates & set(pool):
            tax, edges, cooccurrence = self._pair(node, other)
            breakdown = {"taxonomy": tax, "cooccurrence": cooccurrence,
                         "embedding": embedding.get(other, 0.0)}
            breakdown = {name: round(value, 4) for name, value in breakdown.items() if name in weights}
            trust = graph.nodes[other].get("confidence", 1.0)  # below 1 for discovered concepts
            score = round(trust * sum(weights[name] * value for name, value in breakdown.items()), 4)
            if score > 0:
                scored.append((score, other, breakdown, tuple(edges)))
        scored.sort(key=lambda r: (-r[0], r[1]))
        return scored

    def why(self, node: str, other: str, documents: bool = False) -> tuple[tuple, int, tuple[Hop, ...]]:
        """The documents both concepts share (the first MAX_SHARED_SHOWN by key, as
        SharedDocument, or with `documents` as (node, sections)), how many they share, and a
        shortest typed path between them."""
        graph, shared = self.graph, self.documents(node) & self.documents(other)
        shown = [(d, _shared_sections(graph, node, other, d)) for d in sorted(shared)[:MAX_SHARED_SHOWN]]
        if not documents:
            shown = [SharedDocument(graph.nodes[d]["id"], graph.nodes[d]["kind"], graph.nodes[d]["name"],
                                    sections) for d, sections in shown]
        return tuple(shown), len(shared), short_typed_path(graph, node, other, self.neighbours)

    def explained(self, node: str, scored: list[Scored]) -> list[RelatedConcept]:
        results = []
        for score, other, breakdown, edges in scored:
            shared, count, hops = self.why(node, other)
            results.append(RelatedConcept(other, score, breakdown, RelatedWhy(
                edges, shared, hops, summary(self.graph, edges, breakdown, count, hops))))
        return results


def related_concepts(graph: nx.DiGraph, node: str, k: int = 10, kind: str | None = None,
                     similarity: Similarity | None = None,
                     weights: Mapping[str, float] = SIGNAL_WEIGHTS) -> list[RelatedConcept]:
    """The `k` concepts most related to `node`, each with a per-signal breakdown and reasons,
    computed on the fly: the reference the stored answers of graph/answers.py are tested against."""
    scorer = RelatedScorer(graph, similarity)
    return scorer.explained(node, scorer.scored(node, kind, weights)[:k])


RELATION_PHRASES = {"prerequisite": "builds on", "part_of": "is part of",
                    "alternative_to": "is an alternative to", "related_to": "is related to"}


def summary(graph: nx.DiGraph, edges: tuple[TaxonomyEdge, ...], breakdown: dict[str, float],
             shared: int, hops: tuple[Hop, ...]) -> str:
    reasons = [f"{graph.nodes[e.source]['name']} {RELATION_PHRASES[e.type]} "
               f"{graph.nodes[e.target]['name']}" for e in edges]
    if shared:
        reasons.append(f"applied together in {shared} document{'s' if shared != 1 else ''}")
    if breakdown.get("embedding", 0) > 0.3:
        reasons.append("described in similar terms")
    if not reasons and hops:
        reasons.append("connected by " + describe_path(graph, hops))
    return "; ".join(reasons) or "weakly related"
