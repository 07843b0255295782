"""Snippets: the part of a chunk around the query's words, with highlight offsets."""

from __future__ import annotations

import re

from search.lexical import stem, tokenize

_WORD = re.compile(r"\w+")
SNIPPET_WORDS = 40


def query_terms(query: str) -> frozenset[str]:
    """The stems BM25 matches for a query (stop words dropped); compute once per search."""
    return frozenset(tokenize([query])[0])


def _matches(word: str, terms: frozenset[str], prefixes: frozenset[str]) -> bool:
    # A stem shares its first three letters with its word, so most words skip the stemmer.
    return word[:3].lower() in prefixes and stem(word) in terms


def snippet(text: str, terms: frozenset[str], words: int = SNIPPET_WORDS
            ) -> tuple[str, list[tuple[int, int]]]:
    """A window of about `words` words centred on the densest run of query terms.

    Returns the snippet and the (start, end) offsets of the query terms inside it.
    """
    prefixes = frozenset(t[:3] for t in terms)
    spans = [m.span() for m in _WORD.finditer(text)]
    if not spans:
        return "", []
    hits = [i for i, (a, b) in enumerate(spans) if _matches(text[a:b], terms, prefixes)]
    best = 0
    if hits:
        best = max(hits, key=lambda i: sum(1 for h in hits if i <= h < i + words // 2))
    first = max(0, min(best - words // 4, len(spans) - words))
    last = min(len(spans), first + words) - 1
    prefix = "…" if first > 0 else ""
    suffix = "…" if last < len(spans) - 1 else ""
    out = prefix + re.sub(r"\s+", " ", text[spans[first][0] : spans[last][1]]) + suffix
    highlights = [m.span() for m in _WORD.finditer(out) if _matches(m.group(), terms, prefixes)]
    return out, highlights
