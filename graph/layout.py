"""A concept's neighbourhood, laid out server-side (networkx spring layout, fixed seed)."""

from __future__ import annotations

import networkx as nx

from graph.paths import documents_of
from graph.related import Similarity, related_concepts

SEED = 7


def neighbourhood(graph: nx.DiGraph, center: str, limit: int = 24,
                  similarity: Similarity | None = None) -> dict:
    """Up to `limit` nodes around `center` — half related concepts, half documents — with
    positions in [-1, 1] and the typed edges among them."""
    related = [r.node for r in related_concepts(graph, center, k=limit // 2, similarity=similarity)]
    linked = documents_of(graph, center)
    documents = sorted(linked, key=lambda d: (-linked[d]["weight"], d))[: limit - len(related)]
    nodes = [center, *related, *documents]
    sub = graph.subgraph(nodes)
    edges = [{"source": a, "target": b, "type": d["type"]} for a, b, d in sub.edges(data=True)]
    layout = nx.spring_layout(sub.to_undirected(), seed=SEED, center=(0, 0))
    layout[center] = layout[center] * 0  # the concept sits in the middle
    return {"nodes": [{"key": n, "id": graph.nodes[n]["id"], "name": graph.nodes[n]["name"],
                       "kind": graph.nodes[n]["kind"], "x": round(float(layout[n][0]), 4),
                       "y": round(float(layout[n][1]), 4)} for n in nodes],
            "edges": edges}
