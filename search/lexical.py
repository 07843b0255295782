"""Lexical retrieval: BM25 with bm25s, its 179-word English stop list (`en_plus`) and a Snowball stemmer."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # bm25s.tokenize's default token pattern
_STOPWORDS = frozenset(STOPWORDS_EN_PLUS)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The stem BM25 indexes for one word."""
    return _stemmer().stemWord(word.lower())


def tokenize(texts: list[str]) -> list[list[str]]:
    """The stems BM25 indexes for each text (lower-cased, English stop words dropped)."""
    return bm25s.tokenize(texts, stopwords="en_plus", stemmer=_stemmer(), return_ids=False,
                          show_progress=False)


def query_tokens(text: str) -> list[str]:
    """`tokenize` for one short text, without the progress-bar set-up bm25s does on every call
    (about 50 µs here)."""
    return [stem(word) for word in _TOKEN.findall(text.lower()) if word not in _STOPWORDS]


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

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        model = bm25s.BM25.load(str(folder), mmap=True, show_progress=False)
        return cls(model, int(model.scores["num_docs"]))

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top `k` rows as (row, BM25 score); rows with score 0 are left out."""
        tokens = [t for t in query_tokens(query) if t in self._vocab]
        if not tokens or self.size == 0 or k <= 0:
            return []
        mask = None
        if allowed is not None:
            mask = np.zeros(self.size, dtype=np.float32)
            mask[allowed] = 1.0
        scores = self._model.get_scores(tokens, weight_mask=mask)
        top = np.argpartition(-scores, k - 1)[:k] if k < self.size else np.arange(self.size)
        top = top[np.lexsort((top, -scores[top]))]  # best first, ties by row
        return [(int(row), float(scores[row])) for row in top if scores[row] > 0]
