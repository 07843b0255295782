"""Lexical retrieval: BM25 with bm25s, English stop words and a Snowball stemmer."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The stem BM25 indexes for one word."""
    return _stemmer().stemWord(word.lower())


def tokenize(texts: list[str]) -> list[list[str]]:
    return bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), return_ids=False,
                          show_progress=False)


class LexicalIndex:
    """A BM25 index over a list of texts, addressed by row."""

    def __init__(self, model: bm25s.BM25, size: int) -> None:
        self._model = model
        self.size = size
        self._vocab = set(model.vocab_dict)

    @classmethod
    def build(cls, texts: list[str]) -> LexicalIndex:
        model = bm25s.BM25()
        model.index(tokenize(texts), show_progress=False)
        return cls(model, len(texts))

    def save(self, folder: Path) -> None:
        self._model.save(str(folder), show_progress=False)
        (folder / "size.txt").write_text(str(self.size))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        model = bm25s.BM25.load(str(folder), mmap=True, show_progress=False)
        return cls(model, int((folder / "size.txt").read_text()))

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top `k` rows as (row, BM25 score); rows with score 0 are left out."""
        tokens = [t for t in tokenize([query])[0] if t in self._vocab]
        if not tokens or self.size == 0 or k <= 0:
            return []
        mask = None
        if allowed is not None:
            mask = np.zeros(self.size, dtype=np.float32)
            mask[allowed] = 1.0
        rows, scores = self._model.retrieve([tokens], k=min(k, self.size), show_progress=False,
                                            weight_mask=mask)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if s > 0]
