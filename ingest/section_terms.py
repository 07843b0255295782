"""Each section's cues and phrases, kept for the next ingest: both are pure functions of the
section and of the ingest code, so a re-ingest reads those of unchanged sections from the
published snapshot instead of parsing them again, as it reuses their embeddings."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import astuple
from functools import cache
from pathlib import Path

import markdown_it

from ingest.candidates import Candidate, phrases, section_cues
from ingest.kept import Kept
from ingest.records import Section

PhraseCount = tuple[str, str, bool, int]  # surface, key, opens its clause, occurrences


@cache
def code_digest() -> str:
    """A hash of every ingest module's source and of the markdown parser's version: what other
    code computed is not reused."""
    digest = hashlib.sha1(markdown_it.__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _key(*inputs: object) -> str:
    return hashlib.sha1(json.dumps([code_digest(), *inputs]).encode()).hexdigest()


class SectionTerms(Kept[list]):
    """`section_cues` and the counted `phrases` of a text, stored as JSON lists."""

    def cues(self, section: Section, title: str) -> tuple[str, list[Candidate]]:
        key = _key("cues", section.id, section.heading, section.heading == title,
                   section.markdown, section.text)

        def compute() -> list:
            text, found = section_cues(section, title)
            return [text, [list(astuple(c)) for c in found]]

        text, found = self.get(key, compute)
        return text, [Candidate(*fields) for fields in found]

    def phrase_counts(self, text: str) -> list[PhraseCount]:
        """Each distinct (surface, key, first) of `phrases(text)` with its count, in the order
        of first occurrence."""
        return self.get(_key("phrases", text), lambda: [
            [surface, key, first, n] for (surface, key, first), n in Counter(phrases(text)).items()])
