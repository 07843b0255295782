"""Gold-set evaluation of search: nDCG@10, Recall@1/3/10 and MRR per retrieval method.

Grades in eval/queries.yaml: 3 = the answer, 2 = strongly relevant, 1 = partly relevant.
Study metrics judge the studies in `results` as the service returns them, against the studies'
grades only (a course is no answer there), over the queries that have a grade-3 study and do not
seek a course: nDCG uses every grade; Recall@k is the share of grade-3 studies found in the top k;
MRR is the reciprocal rank of the first grade-3 study. `courses_above` counts those queries where
a course ranks above their first grade-3 study. Course-seeking queries (`type: course`) are scored
apart: `course_first` is the share whose first result is a grade-3 course. Section nDCG@10 ranks
the sections shown (each result's and each course's best sections) by score, over every query
that does not seek a course.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from search.concept_boost import NEAREST_CONCEPTS
from search.engine import DocumentHit
from search.fusion import Mode
from search.kinds import COURSE
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
    by_kind: bool = True  # studies among studies (the service); False: every kind in one list
    sections: SectionRanking = "answer"
    nearest: int = NEAREST_CONCEPTS  # concepts nearest the query whose sections the boost lifts


DEFAULT_METHOD = "hybrid+concept-rerank"
MIXED_METHOD = "hybrid+concept-rerank, kinds mixed"  # the service before issue 17
BEST_CHUNK_METHOD = "hybrid+concept-rerank, best-chunk sections"  # kinds apart, sections as before
NAMED_ONLY_METHOD = "hybrid+concept-rerank, named concepts only"  # no nearest concepts


def methods(concept_boost: float) -> tuple[Method, ...]:
    """The retrieval methods compared, the default last (with the configured concept boost)."""
    return (Method("bm25", "bm25", 0.0), Method("dense", "dense", 0.0),
            Method("hybrid", "hybrid", 0.0),
            Method(MIXED_METHOD, "hybrid", concept_boost, by_kind=False, sections="best-chunk",
                   nearest=0),
            Method(BEST_CHUNK_METHOD, "hybrid", concept_boost, sections="best-chunk"),
            Method(NAMED_ONLY_METHOD, "hybrid", concept_boost, nearest=0),
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
    study_queries: int = 0
    courses_above: int = 0
    course_queries: int = 0
    course_first: float = 0.0
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


def _sections(hits: list[DocumentHit]) -> list[str]:
    return [s.section_id for s in sorted((s for d in hits for s in d.sections), key=lambda s: -s.score)]


def ranking_of(snapshot: Snapshot, query: str, method: Method) -> tuple[list[str], list[str]]:
    """The first K documents of `results` for a query, as the service ranks them, and the
    sections shown (those of the results and of the courses beside them) by score."""
    found = snapshot.search(query.strip(), K, method.mode, method.concept_boost,
                            by_kind=method.by_kind, section_ranking=method.sections,
                            nearest=method.nearest).ranking
    return [d.document_id for d in found.results], _sections(found.results + found.courses)


def _course_above(ranked: list[str], studies: dict[str, int], kinds: dict[str, str]) -> bool:
    for item in ranked:
        if studies.get(item, 0) >= ANSWER:
            return False
        if kinds[item] == COURSE:
            return True
    return False


def evaluate_method(snapshot: Snapshot, method: Method, queries: list[dict]) -> MethodReport:
    report = MethodReport(method.name)
    kinds = snapshot.kinds
    sectioned = 0
    for query in queries:
        ranked, sections = ranking_of(snapshot, query["query"], method)
        if query["type"] == "course":
            report.course_queries += 1
            first = ranked[0] if ranked else ""
            report.course_first += kinds.get(first) == COURSE and query["studies"].get(first, 0) >= ANSWER
            continue
        sectioned += 1
        report.section_ndcg10 += ndcg(sections, query["sections"])
        judged = {d: g for d, g in query["studies"].items() if kinds[d] != COURSE}
        if not any(g >= ANSWER for g in judged.values()):
            continue
        report.study_queries += 1
        report.courses_above += _course_above(ranked, judged, kinds)
        report.ndcg10 += ndcg(ranked, judged)
        report.recall1 += recall(ranked, judged, 1)
        report.recall3 += recall(ranked, judged, 3)
        report.recall10 += recall(ranked, judged, 10)
        report.mrr += reciprocal_rank(ranked, judged)
        if recall(ranked, judged, 3) < 1:
            report.misses.append(Miss(query["id"], query["query"], ranked[:3],
                                      [s for s, g in judged.items() if g >= ANSWER]))
    for name in ("ndcg10", "recall1", "recall3", "recall10", "mrr"):
        setattr(report, name, round(getattr(report, name) / max(report.study_queries, 1), 4))
    report.section_ndcg10 = round(report.section_ndcg10 / max(sectioned, 1), 4)
    report.course_first = round(report.course_first / max(report.course_queries, 1), 4)
    return report


def evaluate_search(snapshot: Snapshot, compared: tuple[Method, ...],
                    gold: Path = GOLD) -> list[MethodReport]:
    queries = load_queries(gold)
    return [evaluate_method(snapshot, method, queries) for method in compared]
