"""Section ranking (search/sections.py): the pure functions by hand, and the searcher's roll-up
against a plain reference of the previous best-chunk roll-up, on the hashing encoder."""

import numpy as np
import pytest

from search.dense import build_index
from search.engine import ChunkTable, HybridSearcher
from search.hashing_encoder import HashingEncoder
from search.lexical import LexicalIndex
from search.sections import (
    COVERAGE,
    SectionMatch,
    match_sections,
    section_prior,
    shown_sections,
)

# Study "a": a short list of names, a long section whose two chunks both match, an unrelated one.
CHUNKS = [
    ("a#patterns", "a", "sharding replication caching queues hashing"),
    ("a#deep-dive", "a", "sharding the orders table by customer id keeps each order on one shard"),
    ("a#deep-dive", "a", "resharding moves customer ranges between shards while reads continue"),
    ("a#sources", "a", "a blog post about sharding"),
    ("b#intro", "b", "a cache in front of the database absorbs reads"),
    ("b#sharding", "b", "sharding by hash spreads the writes"),
]


def searcher(priors: dict[str, float] | None = None) -> HybridSearcher:
    encoder = HashingEncoder()
    texts = [text for _, _, text in CHUNKS]
    table = ChunkTable([s for s, _, _ in CHUNKS], [d for _, d, _ in CHUNKS], priors or {})
    return HybridSearcher(table, build_index(encoder.encode(texts)), LexicalIndex.build(texts),
                          encoder.encode_query, candidates=10, rrf_k=60)


def reference_best_chunk(chunk_scores: dict[int, float], boosted: dict[str, float],
                         boost: float, per: int) -> dict[str, list[str]]:
    """The roll-up before issue 17: a section scores its best chunk, a study shows its best."""
    best: dict[str, float] = {}
    for row, score in chunk_scores.items():
        section = CHUNKS[row][0]
        best[section] = max(best.get(section, 0.0), (score + boost * boosted.get(section, 0.0))
                            / (1 + boost))
    shown: dict[str, list[str]] = {}
    for section in sorted(best, key=lambda s: (-best[s], s)):
        document = section.split("#")[0]
        if len(shown.setdefault(document, [])) < per:
            shown[document].append(section)
    return shown


def test_match_sections_gathers_the_best_chunk_and_the_sum():
    matches = match_sections({0: 0.2, 1: 0.5, 2: 0.4, 4: 0.1}, [s for s, _, _ in CHUNKS])
    assert matches["a#deep-dive"] == SectionMatch(0.5, 1, pytest.approx(0.9))
    assert matches["a#patterns"] == SectionMatch(0.2, 0, 0.2)
    assert set(matches) == {"a#patterns", "a#deep-dive", "b#intro"}


def test_the_prior_prefers_long_prose_to_short_lists_of_names():
    assert section_prior(200, 0) == pytest.approx(1.0)
    assert section_prior(800, 0) > section_prior(200, 0) > section_prior(50, 0)
    assert section_prior(200, 20) < section_prior(200, 2) < section_prior(200, 0)
    assert section_prior(0, 0) > 0  # an empty section still gets a score


def test_answer_ranking_counts_every_matching_chunk_and_keeps_scores_in_range():
    matches = {"list": SectionMatch(0.9, 0, 0.9), "prose": SectionMatch(0.8, 1, 1.6)}
    scored = {"list": 0.9, "prose": 0.8}
    assert shown_sections(matches, scored, 0.9, "best-chunk", 3) == [("list", 0.9), ("prose", 0.8)]
    shown = shown_sections(matches, scored, 0.9, "answer", 3)
    assert shown[0] == ("prose", 0.9)  # 0.8 + COVERAGE × 0.8 beats 0.9
    assert shown[1] == ("list", pytest.approx(0.9 * 0.9 / (0.8 + COVERAGE * 0.8)))
    priors = {"list": 0.5, "prose": 1.0}
    assert [s for s, _ in shown_sections(matches, scored, 0.9, "answer", 1, priors=priors)] == ["prose"]


@pytest.mark.parametrize("boost", [0.0, 0.5])
def test_best_chunk_ranking_is_the_previous_roll_up(boost):
    engine = searcher()
    boosted = {"a#patterns": 1.0}
    chunk_scores, _ = engine.rank_chunks("sharding customer shards")
    ranking = engine.search("sharding customer shards", boost_sections=boosted, boost=boost,
                            sections_per_document=2, section_ranking="best-chunk")
    reference = reference_best_chunk(chunk_scores, boosted, boost, 2)
    assert {d.document_id: [s.section_id for s in d.sections] for d in ranking.documents} == reference


def test_answer_ranking_keeps_the_study_order_and_puts_the_answering_section_first():
    priors = {"a#patterns": section_prior(5, 5), "a#deep-dive": section_prior(25, 1),
              "a#sources": section_prior(5, 1)}
    engine = searcher(priors)
    before = engine.search("sharding", section_ranking="best-chunk")
    after = engine.search("sharding")
    assert [(d.document_id, d.score) for d in after.documents] == \
        [(d.document_id, d.score) for d in before.documents]
    assert before.documents[0].sections[0].section_id == "a#sources"  # the short mention wins
    study_a = after.documents[0]
    assert study_a.sections[0].section_id == "a#deep-dive"
    assert study_a.sections[0].score == study_a.score
    assert all(0 < s.score <= study_a.score for s in study_a.sections)
    assert np.all(np.diff([s.score for s in study_a.sections]) <= 0)


def test_a_loaded_snapshot_has_a_prior_for_every_section(tiny_service):
    snap = tiny_service.snapshot
    priors = snap.searcher.table.section_priors
    assert set(priors) == set(snap.sections) and all(p > 0 for p in priors.values())
