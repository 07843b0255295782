"""Personalized PageRank with scipy.sparse on a CSR matrix built once, and the sparse table of
each document's top scores that a reading history's ranking is combined from.

PPR is linear in its seed vector: the ranking of a reading history is the mean of its studies'
vectors, so ingest stores one sparse vector per document and a request only adds a few rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

DAMPING = 0.85
MAX_ITERATIONS = 100  # networkx.pagerank's defaults, so the two agree
TOLERANCE = 1.0e-6
BATCH = 256  # seeds iterated together
STORED_STUDIES = 200  # top study scores kept per document vector


@dataclass(frozen=True)
class RankingMatrix:
    """The undirected, weighted graph as a row-stochastic CSR matrix (rows of isolated nodes 0)."""

    nodes: tuple[str, ...]
    index: dict[str, int]
    transition: sp.csr_array
    dangling: np.ndarray  # indices of nodes without edges


def ranking_matrix(graph: nx.DiGraph) -> RankingMatrix:
    """The matrix networkx.pagerank iterates on the undirected copy of `graph` (an edge seen in
    both directions keeps the weight of the later one, as `nx.Graph.add_edge` does)."""
    nodes = tuple(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    weights: dict[tuple[int, int], float] = {}
    for a, b, data in graph.edges(data=True):
        i, j = index[a], index[b]
        weights[(min(i, j), max(i, j))] = data.get("weight", 1.0)
    pairs = np.array(list(weights), dtype=np.int64).reshape(-1, 2)
    values = np.array(list(weights.values()), dtype=float)
    loops = pairs[:, 0] == pairs[:, 1]
    rows = np.concatenate([pairs[:, 0], pairs[~loops, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[~loops, 0]])
    adjacency = sp.csr_array((np.concatenate([values, values[~loops]]), (rows, cols)),
                             shape=(len(nodes), len(nodes)))
    out = np.asarray(adjacency.sum(axis=1)).ravel()
    scale = np.divide(1.0, out, out=np.zeros_like(out), where=out != 0)
    return RankingMatrix(nodes, index, sp.csr_array(sp.diags_array(scale) @ adjacency),
                         np.flatnonzero(out == 0))


def pagerank_columns(matrix: RankingMatrix, seeds: Sequence[Sequence[str]]) -> np.ndarray:
    """One PPR vector per seed set (column j for `seeds[j]`), iterated as networkx does: start at
    the personalization, dangling mass back to it, each column stopped at its own convergence."""
    n = len(matrix.nodes)
    p = np.zeros((n, len(seeds)))
    for j, group in enumerate(seeds):
        p[[matrix.index[s] for s in group], j] = 1.0 / len(group)
    x, active = p.copy(), np.arange(len(seeds))
    forward = matrix.transition.T.tocsr()
    for _ in range(MAX_ITERATIONS):
        if not len(active):
            break
        last, pa = x[:, active], p[:, active]
        dangling = last[matrix.dangling].sum(axis=0)
        new = DAMPING * (forward @ last + dangling * pa) + (1 - DAMPING) * pa
        x[:, active] = new
        active = active[np.abs(new - last).sum(axis=0) >= n * TOLERANCE]
    return x


@dataclass(frozen=True)
class PPRTable:
    """Each document's top PPR scores over studies, as rows of a sparse matrix."""

    rows: dict[str, int]  # document node → row
    studies: tuple[str, ...]  # study node of each column
    scores: sp.csr_array

    def combined(self, seeds: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The mean of the seeds' vectors: column indices with a score above 0, and the scores."""
        picked = [self.rows[s] for s in seeds]
        starts, ends = self.scores.indptr[picked], self.scores.indptr[np.add(picked, 1)]
        cols = np.concatenate([self.scores.indices[a:b] for a, b in zip(starts, ends, strict=True)])
        vals = np.concatenate([self.scores.data[a:b] for a, b in zip(starts, ends, strict=True)])
        found, where = np.unique(cols, return_inverse=True)
        return found, np.bincount(where, weights=vals) / len(seeds)


def ppr_table(graph: nx.DiGraph, keep: int = STORED_STUDIES) -> PPRTable:
    """The PPR vector of every document, restricted to studies and cut to its `keep` best."""
    matrix = ranking_matrix(graph)
    documents = [n for n, d in graph.nodes(data=True) if d["kind"] in ("study", "course")]
    studies = tuple(n for n, d in graph.nodes(data=True) if d["kind"] == "study")
    study_rows = np.array([matrix.index[s] for s in studies], dtype=np.int64)
    indptr, indices, data = [0], [], []
    for start in range(0, len(documents), BATCH):
        batch = documents[start:start + BATCH]
        ranks = pagerank_columns(matrix, [[d] for d in batch])[study_rows]
        for j in range(len(batch)):
            column = ranks[:, j]
            found = np.flatnonzero(column > 0)
            if len(found) > keep:
                found = found[np.argsort(-column[found], kind="stable")[:keep]]
            found.sort()
            indices.append(found)
            data.append(column[found])
            indptr.append(indptr[-1] + len(found))
    scores = sp.csr_array((np.concatenate(data) if data else np.zeros(0),
                           np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
                           np.array(indptr)), shape=(len(documents), len(studies)))
    return PPRTable({d: i for i, d in enumerate(documents)}, studies, scores)
