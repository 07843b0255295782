"""Snippets: the part of a chunk around the query's words, with highlight offsets.

A search builds up to 30 snippets, so the scan avoids Python's `re` over whole chunks (about
30 ns a character here): `str.find` looks for each term's first letters, and only the words found
that way are stemmed.
"""

from __future__ import annotations

import re

from search.lexical import query_tokens, stem

_WORD_END = re.compile(r"\w*")
SNIPPET_WORDS = 40
DENSE_SPAN = 150  # characters in which query terms count as one run
REACH = 8 * SNIPPET_WORDS  # characters either side of the run that are split into words


def query_terms(query: str) -> frozenset[str]:
    """The stems BM25 matches for a query (stop words dropped); compute once per search."""
    return frozenset(query_tokens(query))


def term_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """(start, end) of every word of `text` whose stem is a query term, in text order.

    A stem shares its first three letters with its word, so only words starting like a term are
    stemmed.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lengthen when lowered; keep the offsets
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    spans = []
    for prefix in {t[:3] for t in terms}:
        at = lowered.find(prefix)
        while at != -1:
            if at == 0 or not (lowered[at - 1].isalnum() or lowered[at - 1] == "_"):
                end = _WORD_END.match(lowered, at).end()
                if stem(lowered[at:end]) in terms:
                    spans.append((at, end))
            at = lowered.find(prefix, at + 1)
    return sorted(spans)


def densest_run(starts: list[int], span: int = DENSE_SPAN) -> int:
    """The offset that starts the most hits within `span` characters (0 with no hits)."""
    best, best_count, last = 0, 0, 0
    for first, start in enumerate(starts):
        while last < len(starts) and starts[last] < start + span:
            last += 1
        if last - first > best_count:
            best, best_count = start, last - first
    return best


def snippet(text: str, terms: frozenset[str], words: int = SNIPPET_WORDS
            ) -> tuple[str, list[tuple[int, int]]]:
    """A window of about `words` words around the densest run of query terms, whitespace
    collapsed, with "…" where the chunk goes on.

    Returns the snippet and the (start, end) offsets of the query terms inside it.
    """
    center = densest_run([start for start, _ in term_spans(text, terms)])
    low, high = max(0, center - REACH), center + REACH
    before = text[low:center].split()[1 if low > 0 else 0:]  # the first may be cut mid-word
    after = text[center:high].split()
    if high < len(text):
        after = after[:-1]
    lead = min(len(before), max(words // 4, words - len(after)))
    shown = before[len(before) - lead:] + after[: words - lead]
    if not shown:
        return "", []
    prefix = "" if low == 0 and lead == len(before) else "…"
    suffix = "" if high >= len(text) and words - lead >= len(after) else "…"
    out = prefix + " ".join(shown) + suffix
    return out, term_spans(out, terms)
