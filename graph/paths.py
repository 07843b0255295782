"""Neighbourhood look-ups and typed shortest paths over the concept graph."""

from __future__ import annotations

import networkx as nx

DOCUMENT_KINDS = ("study", "course")


def is_document(graph: nx.DiGraph, node: str) -> bool:
    return graph.nodes[node]["kind"] in DOCUMENT_KINDS


def documents_of(graph: nx.DiGraph, node: str) -> dict[str, dict]:
    """The documents linked to a concept node, with the edge data of each link."""
    return {source: data for source, _, data in graph.in_edges(node, data=True)
            if is_document(graph, source)}


def concepts_of(graph: nx.DiGraph, node: str) -> dict[str, dict]:
    """The concept nodes a document links to, with the edge data of each link."""
    return {target: data for _, target, data in graph.out_edges(node, data=True)
            if not is_document(graph, target) and graph.nodes[target]["kind"] != "category"}


def typed_path(graph: nx.DiGraph, source: str, target: str, max_hops: int = 6) -> list[dict] | None:
    """The shortest path ignoring direction, each hop with its edge type and direction."""
    undirected = graph.to_undirected(as_view=True)
    try:
        nodes = nx.shortest_path(undirected, source, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None
    if len(nodes) - 1 > max_hops:
        return None
    hops = []
    for a, b in zip(nodes, nodes[1:], strict=False):
        forward = graph.has_edge(a, b)
        data = graph.edges[a, b] if forward else graph.edges[b, a]
        hops.append({"from": a, "to": b, "type": data["type"], "forward": forward})
    return hops


def describe_path(graph: nx.DiGraph, hops: list[dict]) -> str:
    """"Sharding —applies← Notion … —applies→ Consistent hashing" as readable text."""
    if not hops:
        return ""
    parts = [graph.nodes[hops[0]["from"]]["name"]]
    for hop in hops:
        arrow = f" —{hop['type']}→ " if hop["forward"] else f" ←{hop['type']}— "
        parts.append(arrow + graph.nodes[hop["to"]]["name"])
    return "".join(parts)
