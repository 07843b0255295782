"""Gold-set evaluation of search: nDCG@10, Recall@1/3/10 and MRR per retrieval method.

Grades in eval/queries.yaml: 3 = the answer, 2 = strongly relevant, 1 = partly relevant.
nDCG uses every grade; Recall@k is the share of grade-3 documents found in the top k; MRR is the
reciprocal rank of the first grade-3 document. Section nDCG@10 ranks the returned sections by score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from search.fusion import Mode
from search.sections import SectionRanking
from snapshot.load import Snapshot

GOLD = Path(__file__).resolve().parent / "queries.yaml"
ANSWER = 3
K = 10  # results per query


@dataclass(frozen=True)
class Method:
    name: str
    mode: Mode
    concept_boost: float
    sections: SectionRanking = "answer"


DEFAULT_METHOD = "hybrid+concept-rerank"
BEST_CHUNK_METHOD = "hybrid+concept-rerank, best-chunk sections"  # the section ranking before issue 17


def methods(concept_boost: float) -> tuple[Method, ...]:
    """The retrieval methods compared, the default last (with the configured concept boost)."""
    return (Method("bm25", "bm25", 0.0), Method("dense", "dense", 0.0),
            Method("hybrid", "hybrid", 0.0),
            Method(BEST_CHUNK_METHOD, "hybrid", concept_boost, "best-chunk"),
            Method(DEFAULT_METHOD, "hybrid", concept_boost))


@dataclass(frozen=True)
class Miss:
    """A query whose answers are not all in the top 3."""

    id: str
    query: str
    top3: list[str]
    answers: list[str]


@dataclass
class MethodReport:
    name: str
    ndcg10: float = 0.0
    recall1: float = 0.0
    recall3: float = 0.0
    recall10: float = 0.0
    mrr: float = 0.0
    section_ndcg10: float = 0.0
    misses: list[Miss] = field(default_factory=list)


def dcg(grades: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg(ranked: list[str], judged: dict[str, int], k: int = 10) -> float:
    ideal = dcg(sorted(judged.values(), reverse=True)[:k])
    return dcg([judged.get(item, 0) for item in ranked[:k]]) / ideal if ideal else 0.0


def recall(ranked: list[str], judged: dict[str, int], k: int) -> float:
    answers = {item for item, grade in judged.items() if grade >= ANSWER}
    return len(answers & set(ranked[:k])) / len(answers) if answers else 0.0


def reciprocal_rank(ranked: list[str], judged: dict[str, int]) -> float:
    for rank, item in enumerate(ranked, start=1):
        if judged.get(item, 0) >= ANSWER:
            return 1 / rank
    return 0.0


def load_queries(gold: Path = GOLD) -> list[dict]:
    return yaml.safe_load(gold.read_text(encoding="utf-8"))["queries"]


def ranking_of(snapshot: Snapshot, query: str, method: Method) -> tuple[list[str], list[str]]:
    """The first K studies for a query, as the service ranks them, and their sections by score."""
    query = query.strip()
    _, boosted = snapshot.named_concepts(query)
    ranking = snapshot.searcher.search(query, k=K, mode=method.mode, boost_sections=boosted,
                                       boost=method.concept_boost, section_ranking=method.sections)
    sections = sorted((s for d in ranking.documents for s in d.sections), key=lambda s: -s.score)
    return [d.document_id for d in ranking.documents], [s.section_id for s in sections]


def evaluate_method(snapshot: Snapshot, method: Method, queries: list[dict]) -> MethodReport:
    report = MethodReport(method.name)
    for query in queries:
        studies, sections = ranking_of(snapshot, query["query"], method)
        judged = query["studies"]
        report.ndcg10 += ndcg(studies, judged)
        report.recall1 += recall(studies, judged, 1)
        report.recall3 += recall(studies, judged, 3)
        report.recall10 += recall(studies, judged, 10)
        report.mrr += reciprocal_rank(studies, judged)
        report.section_ndcg10 += ndcg(sections, query["sections"])
        if recall(studies, judged, 3) < 1:
            report.misses.append(Miss(query["id"], query["query"], studies[:3],
                                      [s for s, g in judged.items() if g >= ANSWER]))
    for name in ("ndcg10", "recall1", "recall3", "recall10", "mrr", "section_ndcg10"):
        setattr(report, name, round(getattr(report, name) / len(queries), 4))
    return report


def evaluate_search(snapshot: Snapshot, compared: tuple[Method, ...],
                    gold: Path = GOLD) -> list[MethodReport]:
    queries = load_queries(gold)
    return [evaluate_method(snapshot, method, queries) for method in compared]
