"""Which sections the concept re-rank lifts, and how much it trusts each.

A section that mentions a concept the query names (the entity linker's find) is trusted with the
concept's confidence. Paraphrases name no concept ("stop one customer from hogging our API"), so
the concepts whose embedding profiles (the mean of the chunks that mention them, with their
description) lie nearest the query vector count too, at NEAREST_TRUST of their confidence: no
extra encoding, one product with the profiles. Chosen on the even-numbered half of
eval/queries.yaml (docs/RETRIEVAL.md, "Nearest concepts").
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np

NEAREST_CONCEPTS = 3  # concepts nearest the query whose sections the re-rank lifts
NEAREST_TRUST = 0.25  # their share of a named concept's trust


def nearest_concepts(query_vector: np.ndarray, keys: Sequence[str], profiles: np.ndarray,
                     n: int = NEAREST_CONCEPTS) -> list[str]:
    """The `n` keys whose L2-normalised profiles have the highest cosine with the query vector
    (ties by row)."""
    if n <= 0 or len(keys) == 0:
        return []
    similarity = np.einsum("ij,j->i", profiles, query_vector.reshape(-1))  # no BLAS threads
    return [keys[row] for row in np.argsort(-similarity, kind="stable")[:n]]


def boosted_sections(named: Iterable[str], nearest: Iterable[str],
                     confidence: Mapping[str, float],
                     sections_by_concept: Mapping[str, Collection[str]],
                     nearest_trust: float = NEAREST_TRUST) -> dict[str, float]:
    """Section → trust: the highest over the concepts it mentions, a named concept's confidence
    or a nearest one's times `nearest_trust`."""
    trusted: dict[str, float] = {}
    for concepts, share in ((nearest, nearest_trust), (named, 1.0)):
        for concept_id in concepts:
            trust = confidence[concept_id] * share
            for section_id in sections_by_concept.get(concept_id, ()):
                trusted[section_id] = max(trusted.get(section_id, 0.0), trust)
    return trusted
