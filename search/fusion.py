"""Score fusion of ranked lists: small pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

RRF_K = 60
Mode = Literal["hybrid", "dense", "bm25"]  # both retrievers fused, or one of them alone


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], k: int = RRF_K,
                           weights: Sequence[float] | None = None) -> dict[int, float]:
    """Σ weight / (k + rank) over the lists each item appears in (rank counts from 1)."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused
