"""Snippets: the part of a chunk around the query's words, with highlight offsets."""

from __future__ import annotations

import re

from search.lexical import stem, tokenize

_WORD = re.compile(r"\w+")
SNIPPET_WORDS = 40


def snippet(text: str, query: str, words: int = SNIPPET_WORDS) -> tuple[str, list[tuple[int, int]]]:
    """A window of about `words` words centred on the densest run of query terms.

    Returns the snippet and the (start, end) offsets of the query terms inside it.
    """
    terms = set(tokenize([query])[0])
    spans = [m.span() for m in _WORD.finditer(text)]
    if not spans:
        return "", []
    hits = [i for i, (a, b) in enumerate(spans) if stem(text[a:b]) in terms]
    best = 0
    if hits:
        best = max(hits, key=lambda i: sum(1 for h in hits if i <= h < i + words // 2))
    first = max(0, min(best - words // 4, len(spans) - words))
    last = min(len(spans), first + words) - 1
    start, end = spans[first][0], spans[last][1]
    prefix = "…" if first > 0 else ""
    suffix = "…" if last < len(spans) - 1 else ""
    body = re.sub(r"\s+", " ", text[start:end])
    out = prefix + body + suffix
    highlights = [m.span() for m in _WORD.finditer(out) if stem(m.group()) in terms]
    return out, highlights
