"""Section markdown → safe HTML for the explorer (raw HTML in a study is shown as text)."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def render_markdown(markdown: str) -> str:
    return _renderer().render(markdown)


def sentence_around(text: str, start: int, end: int, limit: int = 240) -> str:
    """The sentence (or line) holding text[start:end], cut to about `limit` characters."""
    left = max(text.rfind(mark, 0, start) for mark in (". ", "\n", "? ", "! "))
    right_candidates = [i for i in (text.find(mark, end) for mark in (". ", "\n", "? ", "! ")) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    sentence = text[left + 1 if left >= 0 else 0 : right].strip()
    if len(sentence) <= limit:
        return sentence
    middle = (start - (left + 1 if left >= 0 else 0))
    first = max(0, middle - limit // 2)
    return "…" + sentence[first : first + limit].strip() + "…"
