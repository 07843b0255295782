"""Neighbourhood look-ups and typed shortest paths over the concept graph."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx

DOCUMENT_NODE_KINDS = ("study", "course")


@dataclass(frozen=True)
class Evidence:
    """Where a document names a concept: a section and a character span of its text."""

    section: str
    start: int
    end: int
    surface: str


@dataclass(frozen=True)
class Link:
    """A document's link to a concept, seen from either end (`node` is the other end)."""

    node: str
    type: str
    weight: float
    curated: bool
    mentions: int
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Hop:
    """One step of a typed path; `forward` is False when the edge points from `target` to `source`."""

    source: str
    target: str
    type: str
    forward: bool


def is_document(graph: nx.DiGraph, node: str) -> bool:
    return graph.nodes[node]["kind"] in DOCUMENT_NODE_KINDS


def documents_of(graph: nx.DiGraph, node: str) -> dict[str, dict]:
    """The documents linked to a concept node, with the edge data of each link."""
    return {source: data for source, _, data in graph.in_edges(node, data=True)
            if is_document(graph, source)}


def concepts_of(graph: nx.DiGraph, node: str) -> dict[str, dict]:
    """The concept nodes a document links to, with the edge data of each link."""
    return {target: data for _, target, data in graph.out_edges(node, data=True)
            if not is_document(graph, target) and graph.nodes[target]["kind"] != "category"}


def _links(edges: dict[str, dict]) -> list[Link]:
    ordered = sorted(edges, key=lambda n: (-edges[n]["weight"], n))
    return [Link(n, edges[n]["type"], edges[n]["weight"], edges[n]["curated"], edges[n]["mentions"],
                 tuple(Evidence(**e) for e in edges[n]["evidence"])) for n in ordered]


def document_links(graph: nx.DiGraph, node: str) -> list[Link]:
    """The documents linked to a concept node, strongest link first."""
    return _links(documents_of(graph, node))


def concept_links(graph: nx.DiGraph, node: str) -> list[Link]:
    """The concepts a document node links to, strongest link first."""
    return _links(concepts_of(graph, node))


_UNDIRECTED: weakref.WeakKeyDictionary[nx.DiGraph, nx.Graph] = weakref.WeakKeyDictionary()


def _undirected(graph: nx.DiGraph) -> nx.Graph:
    """An undirected copy, made once per graph. networkx's undirected *view* lists a node's
    neighbours from a set, so among equally short paths it picked one by the process's hash seed;
    the copy keeps the graph's own (insertion) order, so the same graph gives the same path."""
    if graph not in _UNDIRECTED:
        undirected = nx.Graph()
        undirected.add_nodes_from(graph)
        undirected.add_edges_from(graph.edges)
        _UNDIRECTED[graph] = undirected
    return _UNDIRECTED[graph]


def typed_path(graph: nx.DiGraph, source: str, target: str, max_hops: int = 6) -> list[Hop] | None:
    """The shortest path ignoring direction, each hop with its edge type and direction; the same
    graph always gives the same one of several equally short paths."""
    try:
        nodes = nx.shortest_path(_undirected(graph), source, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None
    if len(nodes) - 1 > max_hops:
        return None
    return [hop(graph, a, b) for a, b in zip(nodes, nodes[1:], strict=False)]


def hop(graph: nx.DiGraph, a: str, b: str) -> Hop:
    """The hop from `a` to `b` along the edge between them, whichever way it points."""
    forward = graph.has_edge(a, b)
    return Hop(a, b, (graph.edges[a, b] if forward else graph.edges[b, a])["type"], forward)


def describe_path(graph: nx.DiGraph, hops: Sequence[Hop]) -> str:
    """"Sharding —applies← Notion … —applies→ Consistent hashing" as readable text."""
    if not hops:
        return ""
    parts = [graph.nodes[hops[0].source]["name"]]
    for hop in hops:
        arrow = f" —{hop.type}→ " if hop.forward else f" ←{hop.type}— "
        parts.append(arrow + graph.nodes[hop.target]["name"])
    return "".join(parts)
