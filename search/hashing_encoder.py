"""A small deterministic encoder for tests and tiny corpora: words hashed into a signed vector.

Texts that share words get close vectors, and nothing needs torch or a model file, so a snapshot
of a small corpus builds in well under a second. It is no model of meaning.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from search.encoder import cached_query_encoder

_WORD = re.compile(r"\w+")


def _bucket(word: str, dimension: int) -> tuple[int, float]:
    digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dimension, 1.0 if value >> 63 else -1.0


class HashingEncoder:
    """Bag of lower-cased words, each word added with its hashed sign to its hashed dimension."""

    batch_size = 64

    def __init__(self, dimension: int = 256, query_cache: int = 0) -> None:
        self.dimension = dimension
        self.model_name = f"hashing-{dimension}"
        self.model_path = ""
        self.encode_query = cached_query_encoder(self.encode, query_cache)

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                column, sign = _bucket(word, self.dimension)
                vectors[row, column] += sign
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)
