"""Embedding profiles of graph nodes: a concept or a study as the mean of its texts' vectors."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np


def mean_profiles(groups: dict[str, list[int]], vectors: np.ndarray,
                  extra: dict[str, np.ndarray] | None = None) -> tuple[list[str], np.ndarray]:
    """One L2-normalised vector per key: the mean of its rows of `vectors`, plus `extra[key]`
    (e.g. the embedding of a concept's description) weighted like the whole mean."""
    extra = extra or {}
    keys = sorted(set(groups) | set(extra))
    profiles = np.zeros((len(keys), vectors.shape[1]), dtype=np.float32)
    for i, key in enumerate(keys):
        rows = groups.get(key, [])
        if rows:
            profiles[i] += vectors[rows].mean(axis=0)
        if key in extra:
            profiles[i] += extra[key]
    norms = np.linalg.norm(profiles, axis=1, keepdims=True)
    return keys, profiles / np.where(norms == 0, 1, norms)


class ProfileIndex:
    """Cosine similarity between profiled keys."""

    def __init__(self, keys: list[str], profiles: np.ndarray) -> None:
        self.row = {key: i for i, key in enumerate(keys)}
        self.profiles = profiles

    def similarity(self, a: str, b: str) -> float:
        if a not in self.row or b not in self.row:
            return 0.0
        return float(self.profiles[self.row[a]] @ self.profiles[self.row[b]])

    def node_similarity(self, nodes: Mapping[str, dict]) -> Callable[[str, str], float]:
        """`similarity` between graph nodes (`nodes` is `graph.nodes`), profiled by their ids:
        the same product of the same two rows, their look-up done once per node."""
        vectors = {n: self.profiles[self.row[d["id"]]] for n, d in nodes.items() if d["id"] in self.row}

        def similarity(a: str, b: str) -> float:
            if a not in vectors or b not in vectors:
                return 0.0
            return float(vectors[a] @ vectors[b])

        return similarity
