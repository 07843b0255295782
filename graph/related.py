"""Related concepts: named signals, each a small pure function, blended into one explained score."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

from graph.paths import Hop, describe_path, documents_of, hop, is_document, typed_path

Similarities = Callable[[str, Sequence[str]], np.ndarray]  # a node's cosine to each of others

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


def taxonomy_edges(graph: nx.DiGraph, a: str, b: str) -> tuple[TaxonomyEdge, ...]:
    """The direct typed edges between two concepts, either way."""
    return tuple(TaxonomyEdge(source, target, data["type"]) for source, target in ((a, b), (b, a))
                 if (data := graph.get_edge_data(source, target)) is not None
                 and data["type"] in RELATION_STRENGTH)


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
    """Cosine similarities rescaled against their mean: 0 at or below it, 1 at cosine 1 (the
    reference of RelatedScorer's numpy form)."""
    if not similarities:
        return {}
    mean = sum(similarities.values()) / len(similarities)
    return {k: max(0.0, (v - mean) / (1 - mean)) if mean < 1 else 0.0 for k, v in similarities.items()}


def concept_nodes(graph: nx.DiGraph, kind: str | None = None) -> list[str]:
    return [n for n, d in graph.nodes(data=True)
            if d["kind"] not in ("study", "course", "category") and (kind is None or d["kind"] == kind)]


def middle_node(graph: nx.DiGraph, a: str, b: str, neighbours: Callable[[str], set[str]]) -> str:
    """The first (by key) common neighbour of two concepts with no direct edge ("" for none)."""
    if graph.has_edge(a, b) or graph.has_edge(b, a):
        return ""
    common = neighbours(a) & neighbours(b)
    return min(common) if common else ""


def path_through(graph: nx.DiGraph, a: str, b: str, via: str) -> tuple[Hop, ...]:
    """A shortest typed path, chosen deterministically: through `via` (`middle_node`), else the
    direct edge, else `typed_path`."""
    if via:
        return hop(graph, a, via), hop(graph, via, b)
    if graph.has_edge(a, b) or graph.has_edge(b, a):
        return (hop(graph, a, b),)
    return tuple(typed_path(graph, a, b) or ())


Scored = tuple[float, str, dict[str, float], tuple[TaxonomyEdge, ...]]


class RelatedScorer:
    """Scores and explains related concepts over one graph, caching what every concept shares:
    documents per concept, similarities, pair signals. `related_concepts` is one query of it;
    ingest asks it about every concept."""

    def __init__(self, graph: nx.DiGraph, similarity: Similarities | None = None) -> None:
        self.graph, self.similarity = graph, similarity
        self.total = sum(1 for n in graph.nodes if is_document(graph, n))
        self.pools = {kind: concept_nodes(graph, kind) for kind in
                      {None, *(graph.nodes[n]["kind"] for n in concept_nodes(graph))}}
        self._pool_sets = {kind: set(pool) for kind, pool in self.pools.items()}
        self._at = {kind: {c: i for i, c in enumerate(pool)} for kind, pool in self.pools.items()}
        self._rows = {kind: np.array([self._at[None][c] for c in pool], dtype=np.int64)
                      for kind, pool in self.pools.items()}
        self._trust = {n: d.get("confidence", 1.0) for n, d in graph.nodes(data=True)}
        self._near: dict[str, set[str]] = {}
        self._docs: dict[str, set[str]] = {}
        self._similar: dict[str, np.ndarray] = {}
        self._neighbours: dict[str, set[str]] = {}
        self._sections: dict[tuple[str, str], set[str]] = {}
        self._typed: dict[str, dict[str, tuple[TaxonomyEdge, ...]]] = {}
        self._pairs: dict[tuple[str, str], tuple[float, tuple[TaxonomyEdge, ...], float, int]] = {}

    def documents(self, node: str) -> set[str]:
        if node not in self._docs:
            self._docs[node] = set(documents_of(self.graph, node))
        return self._docs[node]

    def neighbours(self, node: str) -> set[str]:
        if node not in self._neighbours:
            self._neighbours[node] = set(self.graph.successors(node)) | set(self.graph.predecessors(node))
        return self._neighbours[node]

    def typed(self, node: str) -> dict[str, tuple[TaxonomyEdge, ...]]:
        """`taxonomy_edges` of `node` with each concept it has a typed edge with, found once."""
        if node not in self._typed:
            graph = self.graph
            others = dict.fromkeys(o for o, data in (*graph.succ[node].items(), *graph.pred[node].items())
                                   if data["type"] in RELATION_STRENGTH)
            self._typed[node] = {o: taxonomy_edges(graph, node, o) for o in others}
        return self._typed[node]

    def sections(self, doc: str, node: str) -> set[str]:
        """The sections of `doc` that name concept `node`."""
        if (doc, node) not in self._sections:
            self._sections[doc, node] = {e["section"] for e in self.graph.edges[doc, node]["evidence"]}
        return self._sections[doc, node]

    def _linked(self, node: str) -> set[str]:
        """What the documents of `node` link to, and its neighbours: the candidates but the
        embedding's."""
        if node not in self._near:
            self._near[node] = {t for doc in self.documents(node) for t in self.graph.successors(doc)}
            self._near[node] |= self.neighbours(node)
        return self._near[node]

    def _similarities(self, node: str) -> np.ndarray:
        """The similarity of `node` to each concept, in pool order (0 to itself)."""
        if node not in self._similar:
            pool = self.pools[None]
            values = self.similarity(node, pool)
            if node in self._at[None]:
                values[self._at[None][node]] = 0.0
            self._similar[node] = values
        return self._similar[node]

    def embedding(self, node: str, kind: str | None) -> tuple[np.ndarray, list[str]]:
        """`embedding_signal` over the pool of `kind` but `node`, the same floats in numpy: one
        per member of the pool (`node`'s own means nothing), and the EMBEDDING_CANDIDATES
        strongest, ties in pool order."""
        pool, at = self.pools.get(kind, []), self._at.get(kind, {}).get(node)
        values = self._similarities(node)[self._rows.get(kind, np.zeros(0, dtype=np.int64))]
        others = values.tolist()
        if at is not None:
            del others[at]
        if not others:
            return values, []
        mean = sum(others) / len(others)
        signal = np.maximum(0.0, (values - mean) / (1 - mean)) if mean < 1 else np.zeros(len(values))
        order = np.argsort(-signal, kind="stable")[: EMBEDDING_CANDIDATES + 1].tolist()
        return signal, [pool[i] for i in order if i != at][:EMBEDDING_CANDIDATES]

    def _pair(self, node: str, other: str) -> tuple[float, tuple[TaxonomyEdge, ...], float, int]:
        """Taxonomy strength and edges, co-occurrence (rounded as a breakdown shows it), and how
        many documents the two share."""
        if (node, other) not in self._pairs:
            edges = self.typed(node).get(other, ())
            tax = max((RELATION_STRENGTH[e.type] for e in edges), default=0.0)
            docs, others = self.documents(node), self.documents(other)
            self._pairs[(node, other)] = (round(tax, 4), edges, round(cooccurrence_signal(
                docs, others, self.total), 4), len(docs & others))
        return self._pairs[(node, other)]

    def scored(self, node: str, kind: str | None = None,
               weights: Mapping[str, float] = SIGNAL_WEIGHTS) -> list[Scored]:
        """Every candidate with a score above 0, best first: (score, node, breakdown, edges)."""
        signal, nearest = (self.embedding(node, kind) if self.similarity and weights.get("embedding")
                           else (None, []))
        at, embedded = self._at.get(kind, {}), None if signal is None else signal.tolist()
        # Each signal used: its name, its place in a pair's values, its weight (SIGNAL_WEIGHTS order).
        used = [(name, i, weights[name]) for i, name in enumerate(SIGNAL_WEIGHTS) if name in weights]
        trust, scored = self._trust, []
        for other in ((self._linked(node) | set(nearest)) & self._pool_sets.get(kind, set())) - {node}:
            tax, edges, cooccurrence, _ = self._pair(node, other)
            values = (tax, cooccurrence, 0.0 if embedded is None else round(embedded[at[other]], 4))
            total = 0.0
            for _, i, weight in used:
                total += weight * values[i]
            score = round(trust[other] * total, 4)  # trust is below 1 for discovered concepts
            if score > 0:
                scored.append((score, other, {name: values[i] for name, i, _ in used}, edges))
        scored.sort(key=lambda r: (-r[0], r[1]))
        return scored

    def why(self, node: str, other: str, edges: tuple[TaxonomyEdge, ...], stated: str,
            shown: list[str], via: str) -> RelatedWhy:
        """The reasons two concepts are related: `edges`, the `shown` documents both apply with
        the sections that name both, the path through `via` and the summary (`stated`, the
        reasons in words of `stated_reasons`, else the path)."""
        nodes, hops = self.graph.nodes, path_through(self.graph, node, other, via)
        return RelatedWhy(edges, tuple(
            SharedDocument(data["id"], data["kind"], data["name"],
                           tuple(sorted(self.sections(d, node) & self.sections(d, other))))
            for d, data in ((d, nodes[d]) for d in shown)), hops, summary(self.graph, stated, hops))

    def stated(self, node: str, other: str, edges: tuple[TaxonomyEdge, ...],
               breakdown: dict[str, float]) -> str:
        return stated_reasons(self.graph, edges, breakdown, self._pair(node, other)[3])

    def shown(self, node: str, other: str) -> tuple[list[str], str]:
        """The documents a why lists (the first MAX_SHARED_SHOWN both apply, by key) and the
        common neighbour its path goes through ("" for a direct edge or none): what is costly
        to find per request in a large graph."""
        shared = self.documents(node) & self.documents(other)
        return (heapq.nsmallest(MAX_SHARED_SHOWN, shared),
                middle_node(self.graph, node, other, self.neighbours))

    def explained(self, node: str, scored: list[Scored]) -> list[RelatedConcept]:
        return [RelatedConcept(other, score, breakdown, self.why(
            node, other, edges, self.stated(node, other, edges, breakdown), *self.shown(node, other)))
            for score, other, breakdown, edges in scored]


def related_concepts(graph: nx.DiGraph, node: str, k: int = 10, kind: str | None = None,
                     similarity: Similarities | None = None,
                     weights: Mapping[str, float] = SIGNAL_WEIGHTS) -> list[RelatedConcept]:
    """The `k` concepts most related to `node`, each with a per-signal breakdown and reasons,
    computed on the fly: the reference the stored answers of graph/answers.py are tested against."""
    scorer = RelatedScorer(graph, similarity)
    return scorer.explained(node, scorer.scored(node, kind, weights)[:k])


RELATION_PHRASES = {"prerequisite": "builds on", "part_of": "is part of",
                    "alternative_to": "is an alternative to", "related_to": "is related to"}


def stated_reasons(graph: nx.DiGraph, edges: tuple[TaxonomyEdge, ...],
                   breakdown: dict[str, float], shared: int) -> str:
    """The reasons in words: edges, shared documents, similar descriptions ("" for none)."""
    reasons = [f"{graph.nodes[e.source]['name']} {RELATION_PHRASES[e.type]} "
               f"{graph.nodes[e.target]['name']}" for e in edges]
    if shared:
        reasons.append(f"applied together in {shared} document{'s' if shared != 1 else ''}")
    if breakdown.get("embedding", 0) > 0.3:
        reasons.append("described in similar terms")
    return "; ".join(reasons)


def summary(graph: nx.DiGraph, stated: str, hops: tuple[Hop, ...]) -> str:
    """The stated reasons, else the path that connects the two concepts."""
    if stated:
        return stated
    return "connected by " + describe_path(graph, hops) if hops else "weakly related"
