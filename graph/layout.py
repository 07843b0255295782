"""A concept's neighbourhood, laid out server-side (networkx spring layout, fixed seed)."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.paths import documents_of
from graph.related import Similarity, related_concepts

SEED = 7


@dataclass(frozen=True)
class PlacedNode:
    key: str  # the graph node
    id: str
    name: str
    kind: str
    x: float
    y: float


@dataclass(frozen=True)
class PlacedEdge:
    source: str
    target: str
    type: str


@dataclass(frozen=True)
class Neighbourhood:
    nodes: tuple[PlacedNode, ...]
    edges: tuple[PlacedEdge, ...]


def neighbour_documents(graph: nx.DiGraph, center: str, limit: int) -> list[str]:
    """The `limit` documents linked most strongly to `center`."""
    linked = documents_of(graph, center)
    return sorted(linked, key=lambda d: (-linked[d]["weight"], d))[:limit]


def place(graph: nx.DiGraph, center: str, related: list[str], documents: list[str],
          limit: int) -> Neighbourhood:
    """`center`, the first `limit // 2` of `related` and documents up to `limit` nodes, with
    positions in [-1, 1] and the typed edges among them."""
    related = related[: limit // 2]
    nodes = [center, *related, *documents[: limit - len(related)]]
    chosen, undirected, edges = set(nodes), nx.Graph(), []
    undirected.add_nodes_from(nodes)
    for a in nodes:
        for b, data in graph.succ[a].items():
            if b in chosen:
                undirected.add_edge(a, b, weight=data.get("weight", 1.0))
                edges.append(PlacedEdge(a, b, data["type"]))
    layout = nx.spring_layout(undirected, seed=SEED, center=(0, 0))
    layout[center] = layout[center] * 0  # the concept sits in the middle
    return Neighbourhood(tuple(PlacedNode(n, graph.nodes[n]["id"], graph.nodes[n]["name"],
                                          graph.nodes[n]["kind"], round(float(layout[n][0]), 4),
                                          round(float(layout[n][1]), 4)) for n in nodes), tuple(edges))


def neighbourhood(graph: nx.DiGraph, center: str, limit: int,
                  similarity: Similarity | None = None) -> Neighbourhood:
    """Up to `limit` nodes around `center` — half related concepts, half documents — laid out,
    computed on the fly: the reference the stored layouts of graph/answers.py are tested against."""
    related = [r.node for r in related_concepts(graph, center, k=limit // 2, similarity=similarity)]
    return place(graph, center, related, neighbour_documents(graph, center, limit), limit)
