"""A concept's neighbourhood, laid out server-side (networkx spring layout, fixed seed)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import networkx as nx

from graph.paths import documents_of
from graph.related import Similarities, related_concepts
from ingest.kept import Kept

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


Positions = list[list[float]]  # each node's [x, y], in the layout's node order


def layout_key(nodes: list[str], edges: list[tuple[str, str, float]]) -> str:
    """A hash of all a spring layout depends on: the nodes in order, the weighted edges in the
    order they are added, the seed and the networkx version."""
    return hashlib.sha1(json.dumps([nx.__version__, SEED, nodes, edges]).encode()).hexdigest()


def spring(nodes: list[str], edges: list[tuple[str, str, float]]) -> Positions:
    """The spring layout of `nodes` joined by `edges`, the first node in the middle, rounded as
    the answers store it."""
    undirected = nx.Graph()
    undirected.add_nodes_from(nodes)
    undirected.add_weighted_edges_from(edges)
    layout = nx.spring_layout(undirected, seed=SEED, center=(0, 0))
    layout[nodes[0]] = layout[nodes[0]] * 0
    return [[round(float(layout[n][0]), 4), round(float(layout[n][1]), 4)] for n in nodes]


class Layouts(Kept[Positions]):
    """Spring layouts by `layout_key`, a previous snapshot's reused."""

    def positions(self, nodes: list[str], edges: list[tuple[str, str, float]]) -> Positions:
        return self.get(layout_key(nodes, edges), lambda: spring(nodes, edges))


def neighbour_documents(graph: nx.DiGraph, center: str, limit: int) -> list[str]:
    """The `limit` documents linked most strongly to `center`."""
    linked = documents_of(graph, center)
    return sorted(linked, key=lambda d: (-linked[d]["weight"], d))[:limit]


def place(graph: nx.DiGraph, center: str, related: list[str], documents: list[str],
          limit: int, layouts: Layouts | None = None) -> Neighbourhood:
    """`center`, the first `limit // 2` of `related` and documents up to `limit` nodes, with
    positions in [-1, 1] (from `layouts` when given) and the typed edges among them."""
    related = related[: limit // 2]
    nodes = [center, *related, *documents[: limit - len(related)]]
    chosen, weighted, edges = set(nodes), [], []
    for a in nodes:
        for b, data in graph.succ[a].items():
            if b in chosen:
                weighted.append((a, b, data.get("weight", 1.0)))
                edges.append(PlacedEdge(a, b, data["type"]))
    positions = spring(nodes, weighted) if layouts is None else layouts.positions(nodes, weighted)
    return Neighbourhood(tuple(PlacedNode(n, graph.nodes[n]["id"], graph.nodes[n]["name"],
                                          graph.nodes[n]["kind"], x, y)
                               for n, (x, y) in zip(nodes, positions, strict=True)), tuple(edges))


def neighbourhood(graph: nx.DiGraph, center: str, limit: int,
                  similarity: Similarities | None = None) -> Neighbourhood:
    """Up to `limit` nodes around `center` — half related concepts, half documents — laid out,
    computed on the fly: the reference the stored layouts of graph/answers.py are tested against."""
    related = [r.node for r in related_concepts(graph, center, k=limit // 2, similarity=similarity)]
    return place(graph, center, related, neighbour_documents(graph, center, limit), limit)
