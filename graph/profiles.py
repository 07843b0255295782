"""Embedding profiles of graph nodes: a concept or a study as the mean of its texts' vectors."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

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

    def node_similarities(self, nodes: Mapping[str, dict]) -> Callable[[str, Sequence[str]], np.ndarray]:
        """The cosine similarity of a graph node to each of several (`nodes` is `graph.nodes`),
        profiled by their ids, as one matrix-vector product in double precision; 0 for an
        unprofiled node."""
        at = {n: self.row[d["id"]] for n, d in nodes.items() if d["id"] in self.row}
        # Double precision, and a zero row last for the unprofiled.
        profiles = np.vstack([self.profiles.astype(np.float64), np.zeros((1, self.profiles.shape[1]))])
        missing = len(profiles) - 1

        def similarities(node: str, others: Sequence[str]) -> np.ndarray:
            rows = np.array([at.get(o, missing) for o in others], dtype=np.int64)
            return profiles[rows] @ profiles[at.get(node, missing)]

        return similarities
