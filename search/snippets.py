"""Snippets: the part of a chunk around the query's words, with highlight offsets."""

from __future__ import annotations

import re
from functools import lru_cache

from search.lexical import stem, tokenize

_WORD = re.compile(r"\w+")
SNIPPET_WORDS = 40
DENSE_SPAN = 150  # characters in which query terms count as one run
REACH = 8 * SNIPPET_WORDS  # characters either side of the run that are split into words


def query_terms(query: str) -> frozenset[str]:
    """The stems BM25 matches for a query (stop words dropped); compute once per search."""
    return frozenset(tokenize([query])[0])


@lru_cache(maxsize=4096)
def _candidates(prefixes: frozenset[str]) -> re.Pattern | None:
    """Words starting like a term: a stem shares its first three letters with its word."""
    if not prefixes:
        return None
    return re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(prefixes))) + r")\w*", re.I)


def _term_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    matcher = _candidates(frozenset(t[:3] for t in terms))
    if matcher is None:
        return []
    return [m.span() for m in matcher.finditer(text) if stem(m.group()) in terms]


def snippet(text: str, terms: frozenset[str], words: int = SNIPPET_WORDS
            ) -> tuple[str, list[tuple[int, int]]]:
    """A window of about `words` words around the densest run of query terms.

    Returns the snippet and the (start, end) offsets of the query terms inside it.
    """
    hits = [start for start, _ in _term_spans(text, terms)]
    center = max(hits, key=lambda h: sum(1 for o in hits if h <= o < h + DENSE_SPAN)) if hits else 0
    low = text.rfind(" ", 0, max(0, center - REACH)) + 1
    spans = [m.span() for m in _WORD.finditer(text, low, center + REACH)]
    if not spans:
        return "", []
    at = next((i for i, (a, _) in enumerate(spans) if a >= center), 0)
    first = max(0, min(at - words // 4, len(spans) - words))
    last = min(len(spans), first + words) - 1
    prefix = "…" if spans[first][0] > 0 else ""
    suffix = "…" if text[spans[last][1]:].strip() else ""
    out = prefix + re.sub(r"\s+", " ", text[spans[first][0] : spans[last][1]]) + suffix
    return out, _term_spans(out, terms)
