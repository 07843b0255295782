"""Kind-aware results: studies ranked among studies, and beside them the courses that go deeper.

One ranking of every document is split by kind, so a broad course never pushes the study that
answers down. A course-seeking query ("a course on consistency models", "learn X", "deep dive
into X", "lesson on …") names what it wants: its best course comes first instead. The cue words
and the panel's size and floor were chosen by measurement on eval/queries.yaml (docs/RETRIEVAL.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from search.engine import DocumentHit

COURSE = "course"
# "learning" only as a plan ("learning path"): "machine learning" names a topic, not a wish.
COURSE_CUES = re.compile(r"\b(courses?|lessons?|learn|learning (paths?|plans?|tracks?)|"
                         r"teach(es|ing)?|tutorials?|deep[- ]dives?)\b", re.IGNORECASE)
MAX_COURSES = 2  # courses beside the studies
COURSE_FLOOR = 0.7  # a course is shown beside studies when it scores this share of the top study


@dataclass
class KindRanking:
    results: list[DocumentHit]  # the first k: studies, or a course-seeking query's course first
    courses: list[DocumentHit]  # the courses beside them (none when they are in `results`)
    found: int  # documents of the kinds in `results` that the retrievers found
    course_seeking: bool


def is_course_seeking(query: str) -> bool:
    """The query asks for a course, a lesson or to learn something."""
    return COURSE_CUES.search(query) is not None


def split_by_kind(ranked: list[DocumentHit], kind_of: Mapping[str, str], query: str,
                  k: int) -> KindRanking:
    """Studies first k and the courses beside them, from `ranked` (every document found, best
    first); a course-seeking query gets the whole ranking with its best course moved first."""
    courses = [d for d in ranked if kind_of[d.document_id] == COURSE]
    studies = [d for d in ranked if kind_of[d.document_id] != COURSE]
    if is_course_seeking(query) and courses:
        rest = [d for d in ranked if d is not courses[0]]
        return KindRanking([courses[0], *rest][:k], [], len(ranked), True)
    floor = COURSE_FLOOR * studies[0].score if studies else 0.0
    beside = [d for d in courses if d.score >= floor][:MAX_COURSES]
    return KindRanking(studies[:k], beside, len(studies), False)
