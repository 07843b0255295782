"""Entity linking without a model: find concept names and aliases in text.

Matching is case-, hyphen- and plural-insensitive at word boundaries, and the longest match wins.
A one-word acronym ("CAP", "MVCC", "gRPC") and a one-word technology or company name ("Go",
"Rust", "Notion") are matched with their case, so "go home" or "a rate cap" link to nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.records import Concept, Mention

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+|\+\+|#|\*)?")
_GAP = re.compile(r"[\s\-–'’]{0,3}")
PROPER_NOUN_TYPES = ("technology", "company", "course")


def normalise(token: str) -> str:
    """Lowercase, singular-ish form of one token: "Caches" → "cach", "queries" → "query"."""
    word = token.lower().replace("'", "").replace("’", "")
    if len(word) > 3:
        if word.endswith("ies"):
            word = word[:-3] + "y"
        elif word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word.endswith("e") and len(word) > 3:
            word = word[:-1]
    return word


def _is_proper(token: str, concept_type: str) -> bool:
    """An acronym, or a capitalised name of a product, company or course."""
    return token[1:] != token[1:].lower() or (concept_type in PROPER_NOUN_TYPES
                                              and token[0].isupper())


def surface_key(form: str) -> str:
    """The key under which two surface forms count as the same: "B-Trees" == "b tree"."""
    return " ".join(normalise(t) for t in _TOKEN.findall(form))


@dataclass(frozen=True)
class _Form:
    concept_id: str
    keys: tuple[str, ...]
    exact: str | None  # the one token to match with its case, for capitalised one-word forms


class Linker:
    """Finds mentions of a fixed set of concepts in text."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self._by_first: dict[str, list[_Form]] = {}
        for concept in concepts:
            for surface in dict.fromkeys((concept.name, *concept.aliases)):
                tokens = _TOKEN.findall(surface)
                if not tokens or (len(tokens) == 1 and len(tokens[0]) < 2):
                    continue  # a lone letter would match every "a" and "I"
                exact = tokens[0] if len(tokens) == 1 and _is_proper(tokens[0], concept.type) else None
                form = _Form(concept.id, tuple(normalise(t) for t in tokens), exact)
                self._by_first.setdefault(form.keys[0], []).append(form)
        for forms in self._by_first.values():
            forms.sort(key=lambda f: -len(f.keys))

    def find(self, text: str, section_id: str) -> list[Mention]:
        """Every mention in `text`, left to right, longest match first, no overlaps."""
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        keys = [normalise(t) for _, _, t in tokens]
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            form = self._longest_at(text, tokens, keys, i)
            if form is None:
                i += 1
                continue
            start, end = tokens[i][0], tokens[i + len(form.keys) - 1][1]
            mentions.append(Mention(form.concept_id, section_id, start, end, text[start:end]))
            i += len(form.keys)
        return mentions

    def _longest_at(self, text: str, tokens: list[tuple[int, int, str]], keys: list[str],
                    i: int) -> _Form | None:
        for form in self._by_first.get(keys[i], ()):
            n = len(form.keys)
            if tuple(keys[i : i + n]) != form.keys:
                continue
            if form.exact is not None and tokens[i][2] not in (form.exact, form.exact + "s"):
                continue
            if all(_GAP.fullmatch(text[tokens[j][1] : tokens[j + 1][0]]) for j in range(i, i + n - 1)):
                return form
        return None
