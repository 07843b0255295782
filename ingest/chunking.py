"""Sections → overlapping word windows (chunks), the unit that is embedded and indexed."""

from __future__ import annotations

import re

from ingest.documents import content_hash
from ingest.records import Chunk, Section

_WORD = re.compile(r"\S+")


def chunk_section(section: Section, max_words: int, overlap: int) -> list[Chunk]:
    """One chunk for a short section; overlapping windows of `max_words` for a long one.

    Windows are slices of the original text (cut at word boundaries), so snippets read naturally.
    """
    if not 0 <= overlap < max_words:
        raise ValueError(f"chunk overlap must be in [0, {max_words}), got {overlap}")
    spans = [m.span() for m in _WORD.finditer(section.text)]
    if len(spans) <= max_words:
        return [Chunk(section.id, section.id, section.text, section.content_hash)]
    chunks: list[Chunk] = []
    step = max_words - overlap
    for n, first in enumerate(range(0, len(spans), step), start=1):
        window = spans[first : first + max_words]
        text = section.text[window[0][0] : window[-1][1]]
        chunk_id = section.id if n == 1 else f"{section.id}@{n}"
        chunks.append(Chunk(chunk_id, section.id, text, content_hash(section.content_hash, text)))
        if first + max_words >= len(spans):
            break
    return chunks
