"""Hybrid search over chunks (dense + BM25, fused by RRF), rolled up to sections and documents."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from search.dense import search_index
from search.fusion import Mode, reciprocal_rank_fusion
from search.lexical import LexicalIndex
from search.sections import SectionMatch, SectionRanking, match_sections, shown_sections


@dataclass
class SectionHit:
    section_id: str
    score: float
    chunk_row: int


@dataclass
class DocumentHit:
    document_id: str
    score: float
    sections: list[SectionHit] = field(default_factory=list)


@dataclass
class Ranking:
    documents: list[DocumentHit]  # the first k
    found: int  # documents with at least one chunk among the retrievers' candidates
    closest_similarity: float  # cosine between the query and its nearest chunk searched


@dataclass
class ChunkTable:
    """What each index row is: its chunk's section and document; and each section's prior for
    "answer" ranking (search.sections.section_prior; 1 when absent)."""

    section_ids: list[str]
    document_ids: list[str]
    section_priors: dict[str, float] = field(default_factory=dict)

    def rows_of(self, documents: set[str]) -> np.ndarray:
        return np.array([i for i, d in enumerate(self.document_ids) if d in documents],
                        dtype=np.int64)


class HybridSearcher:
    """Ranks documents for a query; knows nothing of HTTP or of the graph."""

    def __init__(self, table: ChunkTable, dense_index, lexical: LexicalIndex,
                 encode_query: Callable[[str], np.ndarray], candidates: int, rrf_k: int) -> None:
        self.table = table
        self.dense_index = dense_index
        self.lexical = lexical
        self.encode_query = encode_query
        self.candidates = candidates
        self.rrf_k = rrf_k

    def rank_chunks(self, query: str, mode: Mode = "hybrid", allowed: np.ndarray | None = None,
                    query_vector: np.ndarray | None = None) -> tuple[dict[int, float], float]:
        """Chunk row → score in [0, 1] (1 = ranked first by every retriever used), and the
        cosine between the query and its nearest chunk (looked up in every mode); the query is
        encoded unless its vector is given."""
        rankings: list[list[int]] = []
        vector = self.encode_query(query) if query_vector is None else query_vector
        dense = search_index(self.dense_index, vector,
                             1 if mode == "bm25" else self.candidates, allowed)
        if mode in ("hybrid", "dense"):
            rankings.append([row for row, _ in dense])
        if mode in ("hybrid", "bm25"):
            rankings.append([row for row, _ in self.lexical.search(query, self.candidates, allowed)])
        fused = reciprocal_rank_fusion(rankings, k=self.rrf_k)
        best = len(rankings) / (self.rrf_k + 1)
        closest = round(dense[0][1], 4) if dense else 0.0
        return {row: score / best for row, score in fused.items()}, closest

    def search(self, query: str, k: int = 10, mode: Mode = "hybrid",
               documents: set[str] | None = None, sections_per_document: int = 3,
               boost_sections: Mapping[str, float] | None = None, boost: float = 0.0,
               section_ranking: SectionRanking = "answer",
               query_vector: np.ndarray | None = None) -> Ranking:
        """Documents ranked by their best section's best chunk; `boost_sections` (e.g. those that
        mention a concept the query names, each with a trust in [0, 1]) get `boost` × trust added,
        and scores are scaled back into [0, 1]. Each document shows the sections
        `section_ranking` puts first (search.sections). `query_vector`: the query's, if already
        encoded."""
        allowed = self.table.rows_of(documents) if documents is not None else None
        chunk_scores, closest = self.rank_chunks(query, mode, allowed, query_vector)
        boosted = boost_sections or {}
        matches = match_sections(chunk_scores, self.table.section_ids)
        scored = {s: (m.best + boost * boosted.get(s, 0.0)) / (1 + boost) for s, m in matches.items()}
        by_document: dict[str, dict[str, SectionMatch]] = {}
        for section_id, match in matches.items():
            by_document.setdefault(self.table.document_ids[match.row], {})[section_id] = match
        ranked = sorted((DocumentHit(d, max(scored[s] for s in own)) for d, own in by_document.items()),
                        key=lambda d: (-d.score, d.document_id))
        found, ranked = len(ranked), ranked[:k]
        for doc in ranked:
            shown = shown_sections(by_document[doc.document_id], scored, doc.score, section_ranking,
                                   sections_per_document, boost, self.table.section_priors)
            doc.sections = [SectionHit(s, round(score, 4), matches[s].row) for s, score in shown]
            doc.score = round(doc.score, 4)
        return Ranking(ranked, found, closest)
