"""Study recommendations: personalized PageRank over the study–concept graph, explained."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.paths import concepts_of

DAMPING = 0.85


@dataclass
class Recommendation:
    node: str
    score: float
    why: dict


def _ranking_graph(graph: nx.DiGraph) -> nx.Graph:
    """Undirected, weighted view used by PageRank."""
    undirected = nx.Graph()
    undirected.add_nodes_from(graph.nodes)
    for a, b, data in graph.edges(data=True):
        undirected.add_edge(a, b, weight=data.get("weight", 1.0))
    return undirected


def personalized_pagerank(graph: nx.DiGraph, seeds: list[str]) -> dict[str, float]:
    personalization = {n: (1.0 if n in seeds else 0.0) for n in graph.nodes}
    # Starting from the seeds keeps studies unreachable from them at exactly zero.
    return nx.pagerank(_ranking_graph(graph), alpha=DAMPING, personalization=personalization,
                       nstart=personalization, weight="weight")


def explain(graph: nx.DiGraph, seeds: list[str], target: str) -> dict:
    """The concepts and company a recommended study shares with the seed studies."""
    target_concepts = concepts_of(graph, target)
    shared: dict[str, float] = {}
    for seed in seeds:
        for concept, data in concepts_of(graph, seed).items():
            if concept in target_concepts:
                weight = min(data["weight"], target_concepts[concept]["weight"])
                shared[concept] = max(shared.get(concept, 0.0), weight)
    top = sorted(shared, key=lambda c: (-shared[c], c))[:5]
    concepts = [{"id": graph.nodes[c]["id"], "name": graph.nodes[c]["name"],
                 "type": graph.nodes[c]["kind"]} for c in top]
    same_company = sorted({graph.nodes[s]["company"] for s in seeds
                           if graph.nodes[s]["company"]
                           and graph.nodes[s]["company"] == graph.nodes[target]["company"]})
    reasons = []
    if concepts:
        reasons.append("shares " + ", ".join(c["name"] for c in concepts))
    if same_company:
        reasons.append(f"also about {same_company[0]}")
    return {"shared_concepts": concepts, "same_company": bool(same_company),
            "summary": "; ".join(reasons) or "close in the concept graph"}


def recommend(graph: nx.DiGraph, seeds: list[str], k: int = 5) -> list[Recommendation]:
    """Studies to read after `seeds` (study nodes), never one of the seeds."""
    ranks = personalized_pagerank(graph, seeds)
    candidates = [n for n, data in graph.nodes(data=True)
                  if data["kind"] == "study" and n not in seeds and ranks[n] > 0]
    candidates.sort(key=lambda n: (-ranks[n], n))
    return [Recommendation(n, round(ranks[n], 6), explain(graph, seeds, n)) for n in candidates[:k]]
