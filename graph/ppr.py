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
BATCH = 256  # seeds solved together
STORED_STUDIES = 100  # top study scores kept per document vector
ZERO = 1e-15  # below this a score is rounding noise: the study is not reachable


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


class PPRSolver:
    """Exact personalized PageRank, the fixed point networkx.pagerank iterates towards.

    Studies that touch no other study (D) only link to the other nodes (K: concepts,
    categories, courses), so the linear system folds into one of size |K|, inverted once:
    a walk's mass on K is z_K = M⁻¹ (e_K + α B e_D), on studies z_D = e_D + U z_K, with
    U = α·(K → D transitions), B = (D → K), M = I − α·(K → K) − α·B·U. Solving a seed costs one
    sparse product with U (about the links of every study), not an iteration over the graph.
    """

    def __init__(self, matrix: RankingMatrix, graph: nx.DiGraph) -> None:
        self.matrix = matrix
        n = len(matrix.nodes)
        forward = matrix.transition.T.tocsr()  # column i: where node i's mass goes
        study = np.array([graph.nodes[v]["kind"] == "study" for v in matrix.nodes])
        touches_study = (matrix.transition.astype(bool) @ study.astype(float)) > 0
        inner = study & ~touches_study
        self.d, self.k = np.flatnonzero(inner), np.flatnonzero(~inner)
        self.u = sp.csr_array(DAMPING * forward[self.d][:, self.k])  # K → D
        self.b = sp.csr_array(forward[self.k][:, self.d])  # D → K
        m = np.eye(len(self.k)) - DAMPING * forward[self.k][:, self.k].toarray() \
            - DAMPING * (self.b @ self.u).toarray()
        self.m_inv = np.linalg.inv(m)
        self.w = DAMPING * (self.b.T @ self.m_inv.T).T  # K × D: M⁻¹ α B
        self.n = n

    def columns(self, seeds: Sequence[Sequence[str]]) -> np.ndarray:
        """One PPR vector per seed set (column j for `seeds[j]`), over every node."""
        index, n = self.matrix.index, self.n
        rows, cols, vals = [], [], []
        for j, group in enumerate(seeds):
            for s in group:
                rows.append(index[s])
                cols.append(j)
                vals.append(1.0 / len(group))
        p = sp.csr_array((vals, (rows, cols)), shape=(n, len(seeds)))
        z_k = self.m_inv @ p[self.k].toarray() + (p[self.d].T @ self.w.T).T
        z = np.zeros((n, len(seeds)))
        z[self.k] = z_k
        z[self.d] = p[self.d].toarray() + self.u @ z_k
        # Mass on nodes without edges returns to the seeds, as in networkx: a scale per column.
        dangling = z[self.matrix.dangling].sum(axis=0)
        return (1 - DAMPING) * z / (1 - DAMPING * dangling)


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


def ppr_table(graph: nx.DiGraph, keep: int = STORED_STUDIES,
              documents: Sequence[str] | None = None) -> PPRTable:
    """The PPR vector of every document (or of `documents`), restricted to studies and cut to
    its `keep` best."""
    matrix = ranking_matrix(graph)
    solver = PPRSolver(matrix, graph)
    if documents is None:
        documents = [n for n, d in graph.nodes(data=True) if d["kind"] in ("study", "course")]
    studies = tuple(n for n, d in graph.nodes(data=True) if d["kind"] == "study")
    study_rows = np.array([matrix.index[s] for s in studies], dtype=np.int64)
    indptr, indices, data = [0], [], []
    for start in range(0, len(documents), BATCH):
        batch = documents[start:start + BATCH]
        ranks = solver.columns([[d] for d in batch])[study_rows]
        for j in range(len(batch)):
            column = ranks[:, j]
            found = np.flatnonzero(column > ZERO)
            if len(found) > keep:
                found = found[np.argpartition(-column[found], keep)[:keep]]
            found.sort()
            indices.append(found)
            data.append(column[found])
            indptr.append(indptr[-1] + len(found))
    scores = sp.csr_array((np.concatenate(data) if data else np.zeros(0),
                           np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
                           np.array(indptr)), shape=(len(documents), len(studies)))
    return PPRTable({d: i for i, d in enumerate(documents)}, studies, scores)
