"""Study recommendations: graph proximity (personalized PageRank) blended with content similarity,
diversified by maximal marginal relevance, and explained."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import networkx as nx

from graph.paths import concepts_of
from graph.related import embedding_signal

DAMPING = 0.85
RECOMMEND_WEIGHTS = {"graph": 0.6, "content": 0.4}  # chosen by eval-graph
MMR_LAMBDA = 0.85  # 1 = pure relevance, 0 = pure novelty; chosen by eval-graph

Similarity = Callable[[str, str], float]


@dataclass(frozen=True)
class ConceptNode:
    id: str
    name: str
    type: str


@dataclass(frozen=True)
class RecommendationWhy:
    shared_concepts: tuple[ConceptNode, ...]
    same_company: bool
    summary: str


@dataclass(frozen=True)
class Recommendation:
    node: str
    score: float
    breakdown: dict[str, float]
    why: RecommendationWhy


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


def explain(graph: nx.DiGraph, seeds: list[str], target: str,
            breakdown: dict[str, float]) -> RecommendationWhy:
    """The concepts and company a recommended study shares with the seed studies."""
    target_concepts = concepts_of(graph, target)
    shared: dict[str, float] = {}
    for seed in seeds:
        for concept, data in concepts_of(graph, seed).items():
            if concept in target_concepts:
                weight = min(data["weight"], target_concepts[concept]["weight"])
                shared[concept] = max(shared.get(concept, 0.0), weight)
    top = sorted(shared, key=lambda c: (-shared[c], c))[:5]
    concepts = tuple(ConceptNode(graph.nodes[c]["id"], graph.nodes[c]["name"], graph.nodes[c]["kind"])
                     for c in top)
    same_company = sorted({graph.nodes[s]["company"] for s in seeds
                           if graph.nodes[s]["company"]
                           and graph.nodes[s]["company"] == graph.nodes[target]["company"]})
    reasons = []
    if concepts:
        reasons.append("shares " + ", ".join(c.name for c in concepts))
    if same_company:
        reasons.append(f"also about {same_company[0]}")
    if breakdown.get("content", 0) > 0.3:
        reasons.append("covers similar ground")
    return RecommendationWhy(concepts, bool(same_company),
                             "; ".join(reasons) or "close in the concept graph")


def mmr(relevance: Mapping[str, float], similarity: Similarity | None, k: int,
        lam: float = MMR_LAMBDA) -> list[str]:
    """Greedy maximal marginal relevance: relevant items that are not near-copies of earlier picks."""
    chosen: list[str] = []
    pool = dict(relevance)
    while pool and len(chosen) < k:
        def gain(item: str) -> float:
            redundancy = max((similarity(item, c) for c in chosen), default=0.0) if similarity else 0.0
            return lam * pool[item] - (1 - lam) * redundancy

        best = max(sorted(pool), key=gain)
        chosen.append(best)
        del pool[best]
    return chosen


def recommend(graph: nx.DiGraph, seeds: list[str], k: int = 5, similarity: Similarity | None = None,
              weights: Mapping[str, float] = RECOMMEND_WEIGHTS,
              mmr_lambda: float = MMR_LAMBDA) -> list[Recommendation]:
    """Studies to read after `seeds` (study nodes), never one of the seeds."""
    ranks = personalized_pagerank(graph, seeds)
    candidates = [n for n, data in graph.nodes(data=True)
                  if data["kind"] == "study" and n not in seeds and ranks[n] > 0]
    if not candidates:
        return []
    top_rank = max(ranks[n] for n in candidates)
    content = (embedding_signal({n: sum(similarity(s, n) for s in seeds) / len(seeds)
                                 for n in candidates})
               if similarity and weights.get("content") else {})
    breakdowns = {n: {"graph": round(ranks[n] / top_rank, 4), "content": round(content.get(n, 0.0), 4)}
                  for n in candidates}
    relevance = {n: sum(weights.get(s, 0) * v for s, v in b.items()) for n, b in breakdowns.items()}
    picks = mmr(relevance, similarity, k, mmr_lambda)
    return [Recommendation(n, round(relevance[n], 4), breakdowns[n],
                           explain(graph, seeds, n, breakdowns[n])) for n in picks]
