"""Which of a study's matched sections it shows, and their scores: the section that answers.

Ranking a study's sections by their best chunk favours short lists of names (a study's
"Underlying Patterns" and "Sources"), which match most queries about the study and answer none;
"answer" ranking also counts a section's other matching chunks and weighs it by a prior that
prefers long prose to dense lists of concepts (docs/RETRIEVAL.md, "Section ranking").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from ingest.records import Mention, Section

SectionRanking = Literal["answer", "best-chunk"]
SECTION_RANKINGS: tuple[SectionRanking, ...] = ("answer", "best-chunk")

# Chosen on the even-hash half of eval/queries.yaml (docs/RETRIEVAL.md).
COVERAGE = 0.25  # weight of a section's matching chunks after its best
LENGTH_PIVOT = 200  # words: a section this long and free of concept names has prior 1
LENGTH_EXPONENT = 0.3
DENSITY_PIVOT = 10.0  # distinct concepts named per 100 words
DENSITY_EXPONENT = 0.3


@dataclass
class SectionMatch:
    """A section's chunks among the candidates: the best one's score and row, and the sum."""

    best: float
    row: int
    total: float


def match_sections(chunk_scores: Mapping[int, float], section_ids: list[str]) -> dict[str, SectionMatch]:
    """Chunk row → score, gathered by section (ties between chunks go to the lower row)."""
    matches: dict[str, SectionMatch] = {}
    for row, score in sorted(chunk_scores.items()):
        match = matches.get(section_ids[row])
        if match is None:
            matches[section_ids[row]] = SectionMatch(score, row, score)
            continue
        match.total += score
        if score > match.best:
            match.best, match.row = score, row
    return matches


def section_prior(words: int, concepts: int, length_exponent: float = LENGTH_EXPONENT,
                  density_exponent: float = DENSITY_EXPONENT) -> float:
    """(words / 200)^0.3 × (1 + concepts per 100 words / 10)^-0.3 for a section of `words`
    words that names `concepts` distinct concepts."""
    words = max(words, 1)
    density = 100 * concepts / words
    return (words / LENGTH_PIVOT) ** length_exponent * (1 + density / DENSITY_PIVOT) ** -density_exponent


def section_priors(sections: Iterable[Section], mentions: Mapping[str, Iterable[Mention]],
                   length_exponent: float = LENGTH_EXPONENT,
                   density_exponent: float = DENSITY_EXPONENT) -> dict[str, float]:
    """section_prior of each section, from its words and the concepts its mentions name."""
    return {s.id: section_prior(len(s.text.split()),
                                len({m.concept_id for m in mentions.get(s.id, ())}),
                                length_exponent, density_exponent) for s in sections}


def answer_relevance(match: SectionMatch, scored: float, boost: float, prior: float) -> float:
    """`scored` (the best chunk's score with the concept boost, in [0, 1]) plus COVERAGE × the
    section's other chunks' scores (scaled like the boost scales them), times the prior."""
    return (scored + COVERAGE * (match.total - match.best) / (1 + boost)) * prior


def shown_sections(matches: Mapping[str, SectionMatch], scored: Mapping[str, float],
                   document_score: float, ranking: SectionRanking, count: int, boost: float = 0.0,
                   priors: Mapping[str, float] | None = None) -> list[tuple[str, float]]:
    """One study's first `count` sections as (section, score). "best-chunk": by `scored`, the
    score shown. "answer": by answer_relevance; the first carries the study's score and the
    others that score in proportion to their relevance, so scores stay in [0, 1]."""
    if ranking == "best-chunk":
        ordered = sorted(matches, key=lambda s: (-scored[s], s))
        return [(s, scored[s]) for s in ordered[:count]]
    priors = priors or {}
    relevance = {s: answer_relevance(m, scored[s], boost, priors.get(s, 1.0))
                 for s, m in matches.items()}
    ordered = sorted(relevance, key=lambda s: (-relevance[s], s))[:count]
    top = relevance[ordered[0]] if ordered else 1.0
    return [(s, document_score * relevance[s] / top) for s in ordered]
