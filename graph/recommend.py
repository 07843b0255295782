"""Study recommendations: graph proximity (personalized PageRank) blended with content similarity,
diversified by maximal marginal relevance, and explained."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.ppr import STORED_STUDIES, PPRTable, ppr_table
from graph.profiles import ProfileIndex
from graph.related import concept_nodes

RECOMMEND_WEIGHTS = {"graph": 0.6, "content": 0.4}  # chosen by eval-graph
MMR_LAMBDA = 0.85  # 1 = pure relevance, 0 = pure novelty; chosen by eval-graph
CANDIDATES = STORED_STUDIES  # a history's best by graph proximity, as many as one study keeps
SHARED_SHOWN = 5  # shared concepts a recommendation names


@dataclass(frozen=True)
class ConceptNode:
    id: str
    name: str
    type: str
    node: str  # the graph node


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


class ConceptLinks:
    """Every document's concepts, read in one pass at build: per document two arrays, in the order
    of the concept nodes' keys, of their positions in `nodes` and the weights of its links."""

    def __init__(self, graph: nx.DiGraph, rows: dict[str, int]) -> None:
        """`rows`: each document node's row (`Recommender.rows`)."""
        self.nodes = sorted(concept_nodes(graph))
        position = {n: i for i, n in enumerate(self.nodes)}
        self._row = rows
        found, columns, weights = [], [], []
        for document, target, weight in graph.edges(data="weight"):
            if document in rows and target in position:
                found.append(rows[document])
                columns.append(position[target])
                weights.append(weight)
        self._links = sp.csr_array((np.array(weights, dtype=float), (found, columns)),
                                   shape=(len(rows), len(self.nodes)))
        self._links.sort_indices()

    def of(self, document: str) -> tuple[np.ndarray, np.ndarray]:
        row = self._row[document]
        start, end = self._links.indptr[row], self._links.indptr[row + 1]
        return self._links.indices[start:end], self._links.data[start:end]

    def strongest(self, seeds: Sequence[str]) -> np.ndarray:
        """Per concept position, the strongest link of any seed to it (-inf where none links)."""
        best = np.full(len(self.nodes), -np.inf)
        for seed in seeds:
            positions, weights = self.of(seed)
            np.maximum.at(best, positions, weights)
        return best

    def shared(self, strongest: np.ndarray, target: str, most: int) -> list[str]:
        """The `most` concepts `target` shares with the seeds of `strongest`, a shared concept
        weighted by the weaker of the two links, ties to the first key."""
        positions, weights = self.of(target)
        found = strongest[positions]
        linked = found > -np.inf
        weaker = np.minimum(found[linked], weights[linked])
        best = positions[linked][np.argsort(-weaker, kind="stable")[:most]]
        return [self.nodes[i] for i in best]


def concept_node_of(graph: nx.DiGraph) -> Callable[[str], ConceptNode]:
    """The ConceptNode of a concept node, made once per node."""
    cache: dict[str, ConceptNode] = {}

    def concept_node(node: str) -> ConceptNode:
        if node not in cache:
            data = graph.nodes[node]
            cache[node] = ConceptNode(data["id"], data["name"], data["kind"], node)
        return cache[node]

    return concept_node


def explain(graph: nx.DiGraph, seed_companies: set[str], target: str, breakdown: dict[str, float],
            shared: list[ConceptNode]) -> RecommendationWhy:
    """Why `target` is recommended after seeds of `seed_companies`: the `shared` concepts
    (`ConceptLinks.shared`), the company they share, and whether the content is close."""
    company = graph.nodes[target]["company"]
    same_company = bool(company) and company in seed_companies
    reasons = []
    if shared:
        reasons.append("shares " + ", ".join(c.name for c in shared))
    if same_company:
        reasons.append(f"also about {company}")
    if breakdown.get("content", 0) > 0.3:
        reasons.append("covers similar ground")
    return RecommendationWhy(tuple(shared), same_company,
                             "; ".join(reasons) or "close in the concept graph")


def mmr(relevance: np.ndarray, vectors: np.ndarray | None, k: int,
        lam: float = MMR_LAMBDA) -> list[int]:
    """Greedy maximal marginal relevance over rows ordered by key (ties go to the first):
    relevant items that are not near-copies of earlier picks (cosine of their `vectors`)."""
    base = lam * relevance
    gain, chosen, redundancy = base.copy(), [], None
    while len(chosen) < min(k, len(relevance)):
        best = int(gain.argmax())
        chosen.append(best)
        if vectors is not None:
            similar = np.einsum("ij,j->i", vectors, vectors[best]).astype(float)
            redundancy = similar if redundancy is None else np.maximum(redundancy, similar)
            gain = base - (1 - lam) * redundancy
        gain[chosen] = -np.inf
    return chosen


def content_signal(similarity: np.ndarray) -> np.ndarray:
    """`embedding_signal` on an array: cosine rescaled against its mean, 0 at or below it."""
    mean = float(similarity.sum()) / len(similarity)
    if mean >= 1:
        return np.zeros(len(similarity))
    return np.maximum(0.0, (similarity - mean) / (1 - mean))


@dataclass(frozen=True)
class Recommender:
    """Recommendations from the stored PPR table and the documents' embedding profiles."""

    graph: nx.DiGraph
    ppr: PPRTable
    rows: dict[str, int]  # document node → row of `vectors`
    vectors: np.ndarray | None  # documents' profiles, zero when unprofiled
    column_rows: np.ndarray  # the row of each study column
    column_rank: np.ndarray  # the place of each study column in the order of node keys
    links: ConceptLinks
    concept_node: Callable[[str], ConceptNode]  # concept_node_of(graph)

    @classmethod
    def build(cls, graph: nx.DiGraph, profiles: ProfileIndex | None,
              ppr: PPRTable | None = None) -> Recommender:
        ppr = ppr or ppr_table(graph)
        rows = {n: i for i, n in enumerate(n for n, d in graph.nodes(data=True)
                                             if d["kind"] in ("study", "course"))}
        vectors = None
        if profiles is not None:
            found = [(i, profiles.row.get(graph.nodes[n]["id"])) for n, i in rows.items()]
            found = np.array([(i, j) for i, j in found if j is not None], dtype=np.int64).reshape(-1, 2)
            vectors = np.zeros((len(rows), profiles.profiles.shape[1]), dtype=np.float32)
            vectors[found[:, 0]] = profiles.profiles[found[:, 1]]
        by_key = np.argsort(np.array(ppr.studies, dtype=object), kind="stable")
        rank = np.empty(len(by_key), dtype=np.int64)
        rank[by_key] = np.arange(len(by_key))
        return cls(graph, ppr, rows, vectors,
                   np.array([rows[s] for s in ppr.studies], dtype=np.int64), rank,
                   ConceptLinks(graph, rows), concept_node_of(graph))

    def recommend(self, seeds: Sequence[str], k: int = 5,
                  weights: Mapping[str, float] = RECOMMEND_WEIGHTS,
                  mmr_lambda: float = MMR_LAMBDA) -> list[Recommendation]:
        """Studies to read after `seeds` (document nodes), never one of the seeds, chosen among
        the CANDIDATES best by graph proximity."""
        seeds = list(dict.fromkeys(seeds))
        seed_rows = [self.rows[s] for s in seeds]
        columns, ranks = self.ppr.combined(seeds)
        studies = self.ppr.studies
        is_seed = np.zeros(len(self.rows), dtype=bool)
        is_seed[seed_rows] = True
        keep = ~is_seed[self.column_rows[columns]]
        if not keep.any():
            return []
        columns, ranks = columns[keep], ranks[keep]
        if len(columns) > CANDIDATES:  # the best by graph proximity, ties to the first key
            best = np.lexsort((self.column_rank[columns], -ranks))[:CANDIDATES]
            columns, ranks = columns[best], ranks[best]
        order = np.argsort(self.column_rank[columns])  # ties in MMR go to the first key
        columns, ranks = columns[order], ranks[order]
        rows = self.column_rows[columns]
        candidates = self.vectors[rows] if self.vectors is not None else None
        graph_part = np.round(ranks / ranks.max(), 4)
        content = np.zeros(len(rows))
        if candidates is not None and weights.get("content"):
            # The mean cosine to the seeds, as one product with the seeds' summed vectors. The
            # products here are einsum's own loops: BLAS would wake threads for a few thousand
            # multiplications, which costs milliseconds on a busy machine.
            seeds_sum = self.vectors[seed_rows].sum(axis=0)
            content = np.round(content_signal(
                np.einsum("ij,j->i", candidates, seeds_sum).astype(float) / len(seeds)), 4)
        relevance = weights.get("graph", 0) * graph_part + weights.get("content", 0) * content
        picks = mmr(relevance, candidates, k, mmr_lambda)
        out, strongest = [], self.links.strongest(seeds)
        nodes = self.graph.nodes
        seed_companies = {nodes[s]["company"] for s in seeds}
        for i in picks:
            node = studies[columns[i]]
            breakdown = {"graph": float(graph_part[i]), "content": float(content[i])}
            shared = [self.concept_node(c) for c in self.links.shared(strongest, node, SHARED_SHOWN)]
            out.append(Recommendation(node, round(float(relevance[i]), 4), breakdown,
                                      explain(self.graph, seed_companies, node, breakdown, shared)))
        return out
