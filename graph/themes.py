"""Themes: communities of patterns (Louvain, fixed seed), labelled by their most central and
specific members."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from graph.paths import documents_of
from ingest.records import RELATION_TYPES

SEED = 42
RESOLUTION = 1.5  # above 1 favours smaller themes; 1.5 gave 11 readable themes on corpus/
LABEL_SIZE = 3
MAX_STUDIES = 8


def pattern_graph(graph: nx.DiGraph) -> nx.Graph:
    """Patterns joined by shared documents (weight = how many) and by taxonomy edges (+1)."""
    patterns = [n for n, d in graph.nodes(data=True) if d["kind"] == "pattern"]
    projected = nx.Graph()
    projected.add_nodes_from(patterns)
    documents = {p: set(documents_of(graph, p)) for p in patterns}
    for a, b in combinations(patterns, 2):
        shared = len(documents[a] & documents[b])
        if shared:
            projected.add_edge(a, b, weight=float(shared))
    for a, b, data in graph.edges(data=True):
        if a in documents and b in documents and data["type"] in RELATION_TYPES:
            weight = projected.edges[a, b]["weight"] if projected.has_edge(a, b) else 0.0
            projected.add_edge(a, b, weight=weight + 1.0)
    return projected


@dataclass(frozen=True)
class Theme:
    label: str
    patterns: tuple[str, ...]  # pattern nodes, most central first
    studies: tuple[str, ...]  # study nodes applying at least two of them, most first


def themes(graph: nx.DiGraph, seed: int = SEED) -> list[Theme]:
    projected = pattern_graph(graph)
    communities = nx.community.louvain_communities(projected, weight="weight", seed=seed,
                                                   resolution=RESOLUTION)
    total = dict(projected.degree(weight="weight"))
    out = []
    for members in communities:
        if len(members) < 2:
            continue
        inner = dict(projected.subgraph(members).degree(weight="weight"))
        # Central inside the theme and specific to it: a pattern every study uses labels nothing.
        centrality = {n: inner[n] * inner[n] / total[n] if total[n] else 0.0 for n in members}
        ranked = sorted(members, key=lambda n: (-centrality[n], n))
        studies = Counter(d for p in members for d in documents_of(graph, p)
                          if graph.nodes[d]["kind"] == "study")
        top = [d for d, count in sorted(studies.items(), key=lambda x: (-x[1], x[0])) if count >= 2]
        out.append(Theme(" · ".join(graph.nodes[n]["name"] for n in ranked[:LABEL_SIZE]),
                         tuple(ranked), tuple(top[:MAX_STUDIES])))
    out.sort(key=lambda t: (-len(t.patterns), t.label))
    return out
