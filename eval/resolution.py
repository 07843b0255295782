"""Resolution evaluation: forms a person types, and the concept each must resolve to, or none.

Runs on any `ConceptResolver`: a snapshot's (`snapshot.resolver`, with its query encoder and
name vectors), or one built from a concept list. Each case is right (the expected concept, or no
answer when none is expected), wrong (another concept, or an answer where none is expected) or
missed (no answer where one is expected).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import yaml

from ingest.resolver import ConceptResolver, Resolution

CASES_FILE = "resolution.yaml"
Verdict = Literal["right", "wrong", "missed"]


@dataclass(frozen=True)
class Case:
    form: str
    expect: str | None
    kind: str
    split: str  # "dev", "test", "holdout" (tuned on) or "holdout2" (held out): eval/resolution.yaml


@dataclass(frozen=True)
class Outcome:
    case: Case
    got: Resolution | None
    verdict: Verdict


@dataclass(frozen=True)
class SplitScore:
    split: str
    cases: int
    right: float
    wrong: float
    missed: float


@dataclass(frozen=True)
class ResolutionReport:
    scores: list[SplitScore]
    failures: list[Outcome]


def load_cases() -> list[Case]:
    """The cases of eval/resolution.yaml."""
    text = resources.files("eval").joinpath(CASES_FILE).read_text(encoding="utf-8")
    return [Case(**item) for item in yaml.safe_load(text)["cases"]]


def judge(case: Case, got: Resolution | None) -> Verdict:
    if got is None:
        return "right" if case.expect is None else "missed"
    return "right" if got.concept_id == case.expect else "wrong"


def _score(split: str, outcomes: list[Outcome]) -> SplitScore:
    counts = Counter(o.verdict for o in outcomes)
    n = len(outcomes)
    return SplitScore(split, n, *(round(counts[v] / max(n, 1), 4) for v in ("right", "wrong", "missed")))


def evaluate_resolution(resolver: ConceptResolver, cases: list[Case] | None = None) -> ResolutionReport:
    """Right, wrong and missed rates per split, and every case that was not right."""
    outcomes = []
    for case in cases if cases is not None else load_cases():
        got = resolver.resolve(case.form)
        outcomes.append(Outcome(case, got, judge(case, got)))
    splits = sorted({o.case.split for o in outcomes})
    return ResolutionReport([_score(s, [o for o in outcomes if o.case.split == s]) for s in splits],
                            [o for o in outcomes if o.verdict != "right"])
