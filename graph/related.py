"""Related concepts: named signals, each a small pure function, blended into one explained score."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx

from graph.paths import describe_path, documents_of, is_document, typed_path

# How strongly each typed taxonomy edge says "related".
RELATION_STRENGTH = {"prerequisite": 1.0, "part_of": 0.9, "alternative_to": 0.8, "related_to": 0.7}
SIGNAL_WEIGHTS = {"taxonomy": 0.5, "cooccurrence": 0.5}
MIN_SHARED_DOCUMENTS = 2  # below this, co-occurrence is not evidence


@dataclass
class RelatedConcept:
    node: str
    score: float
    breakdown: dict[str, float]
    why: dict = field(default_factory=dict)


def taxonomy_signal(graph: nx.DiGraph, a: str, b: str) -> tuple[float, list[dict]]:
    """Strength of the direct typed edges between two concepts, and those edges."""
    edges = []
    for source, target in ((a, b), (b, a)):
        if graph.has_edge(source, target) and graph.edges[source, target]["type"] in RELATION_STRENGTH:
            edges.append({"source": source, "target": target,
                          "type": graph.edges[source, target]["type"]})
    strength = max((RELATION_STRENGTH[e["type"]] for e in edges), default=0.0)
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


def _shared_evidence(graph: nx.DiGraph, a: str, b: str, shared: set[str]) -> list[dict]:
    out = []
    for doc in sorted(shared):
        sections_a = {e["section"] for e in graph.edges[doc, a]["evidence"]}
        sections_b = {e["section"] for e in graph.edges[doc, b]["evidence"]}
        out.append({"id": graph.nodes[doc]["id"], "kind": graph.nodes[doc]["kind"],
                    "title": graph.nodes[doc]["name"], "sections": sorted(sections_a & sections_b)})
    return out


def related_concepts(graph: nx.DiGraph, node: str, k: int = 10,
                     kind: str | None = None) -> list[RelatedConcept]:
    """The `k` concepts most related to `node`, each with a per-signal breakdown and reasons."""
    documents = [n for n in graph.nodes if is_document(graph, n)]
    docs_of = {node: set(documents_of(graph, node))}
    candidates: set[str] = set()
    for doc in docs_of[node]:
        candidates.update(t for t in graph.successors(doc) if not is_document(graph, t))
    candidates.update(graph.successors(node))
    candidates.update(graph.predecessors(node))
    candidates = {c for c in candidates if c != node and graph.nodes[c]["kind"] != "category"
                  and not is_document(graph, c) and (kind is None or graph.nodes[c]["kind"] == kind)}
    results = []
    for other in candidates:
        docs_of[other] = set(documents_of(graph, other))
        tax, edges = taxonomy_signal(graph, node, other)
        cooc = cooccurrence_signal(docs_of[node], docs_of[other], len(documents))
        breakdown = {"taxonomy": round(tax, 4), "cooccurrence": round(cooc, 4)}
        score = sum(SIGNAL_WEIGHTS[name] * value for name, value in breakdown.items())
        if score <= 0:
            continue
        results.append(RelatedConcept(other, round(score, 4), breakdown, {"edges": edges}))
    results.sort(key=lambda r: (-r.score, r.node))
    for result in results[:k]:
        shared = docs_of[node] & docs_of[result.node]
        hops = typed_path(graph, node, result.node) or []
        result.why.update({
            "shared_documents": _shared_evidence(graph, node, result.node, shared),
            "path": hops,
            "summary": _summary(graph, result, len(shared), hops),
        })
    return results[:k]


def _summary(graph: nx.DiGraph, result: RelatedConcept, shared: int, hops: list[dict]) -> str:
    reasons = [f"{e['type'].replace('_', ' ')} edge ({graph.nodes[e['source']]['name']} → "
               f"{graph.nodes[e['target']]['name']})" for e in result.why["edges"]]
    if shared:
        reasons.append(f"applied together in {shared} document{'s' if shared != 1 else ''}")
    if not reasons and hops:
        reasons.append("connected by " + describe_path(graph, hops))
    return "; ".join(reasons)
