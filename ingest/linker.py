"""Entity linking without a model: find the surface forms of concepts (`ingest.surface`) in text.

Matching is case-, hyphen- and plural-insensitive at word boundaries, and the longest match wins.
A compound matches in any split: "web sockets" and "web-sockets" are both "WebSockets". A
one-word acronym ("CAP", "MVCC", "gRPC") and a one-word technology or company name ("Go",
"Rust", "Notion") are matched with their case (and a possessive: "Uber's"), so "go home" or "a
rate cap" link to nothing. One-word ids are left to the names they abbreviate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from ingest.records import Concept, Mention
from ingest.surface import TOKEN, SurfaceForm, compact_key, concept_forms, is_acronym, normalise

_GAP = re.compile(r"[\s\-–'’]{0,3}")
_POSSESSIVE = re.compile(r"['’]s$")
PROPER_NOUN_TYPES = ("technology", "company", "course")


def _is_proper(token: str, concept_type: str) -> bool:
    """An acronym, or a capitalised name of a product, company or course ("" for none: any case)."""
    return bool(concept_type) and (is_acronym(token) or (concept_type in PROPER_NOUN_TYPES
                                                         and token[0].isupper()))


@dataclass(frozen=True)
class _Form:
    concept_id: str
    keys: tuple[str, ...]
    compact: str
    exact: str | None  # the one token to match with its case, for capitalised one-word forms


def _lower(token: str) -> str:
    return token.lower().replace("'", "").replace("’", "")


class Linker:
    """Finds mentions of a fixed set of concepts in text; `keep_case=False` matches capitalised
    one-word names in any case too (for what people type)."""

    def __init__(self, concepts: Iterable[Concept], keep_case: bool = True) -> None:
        self._by_first: dict[str, list[_Form]] = {}
        self._by_compact: dict[str, _Form | None] = {}
        self._prefixes: set[str] = set()
        for concept in concepts:
            for surface in concept_forms(concept):
                form = _linked_form(surface, concept.type if keep_case else "")
                if form is not None:
                    self._add(form)
        for forms in self._by_first.values():
            forms.sort(key=lambda f: -len(f.keys))

    def _add(self, form: _Form) -> None:
        self._by_first.setdefault(form.keys[0], []).append(form)
        known = self._by_compact.get(form.compact, form)
        # a compact key of two concepts links to neither (`casegraph validate` names them)
        self._by_compact[form.compact] = form if known and known.concept_id == form.concept_id else None
        self._prefixes.update(form.compact[:n] for n in range(1, len(form.compact) + 1))

    def find(self, text: str, section_id: str) -> list[Mention]:
        """Every mention in `text`, left to right, longest match first, no overlaps."""
        tokens = _tokens(text)
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens.words):
            found = self._longest_at(tokens, i)
            if found is None:
                i += 1
                continue
            form, n = found
            start, end = tokens.spans[i][0], tokens.spans[i + n - 1][1]
            mentions.append(Mention(form.concept_id, section_id, start, end, text[start:end]))
            i += n
        return mentions

    def _longest_at(self, tokens: _Tokens, i: int) -> tuple[_Form, int] | None:
        """The longest form starting at token i, and how many tokens it spans."""
        spaced, joined = self._spaced_at(tokens, i), self._compact_at(tokens, i)
        if spaced is None or (joined is not None and joined[1] > spaced[1]):
            return joined
        return spaced

    def _spaced_at(self, tokens: _Tokens, i: int) -> tuple[_Form, int] | None:
        for form in self._by_first.get(tokens.keys[i], ()):
            n = len(form.keys)
            if (tuple(tokens.keys[i : i + n]) == form.keys and _cased(form, tokens.words[i])
                    and all(tokens.glued[i : i + n - 1])):
                return form, n
        return None

    def _compact_at(self, tokens: _Tokens, i: int) -> tuple[_Form, int] | None:
        """The longest form whose compact key the tokens from i, written together, have."""
        best, joined, j = None, tokens.lowered[i], i
        while True:  # one token's compact key is its key
            form = self._by_compact.get(tokens.keys[i] if j == i else normalise(joined))
            if form is not None and _cased(form, "".join(tokens.words[i : j + 1])):
                best = (form, j - i + 1)
            if (j + 1 == len(tokens.words) or not tokens.glued[j] or joined not in self._prefixes
                    or len(tokens.words[j + 1]) < 2):  # "a sequence number s" is no plural
                break
            j += 1
            joined += tokens.lowered[j]
        return best


@dataclass(frozen=True)
class _Tokens:
    """A text's tokens: as written, normalised, lowercased, and whether each is glued to the next
    by nothing but spaces, hyphens or apostrophes."""

    spans: list[tuple[int, int]]
    words: list[str]
    keys: list[str]
    lowered: list[str]
    glued: list[bool]

    @classmethod
    def of(cls, text: str) -> _Tokens:
        found = list(TOKEN.finditer(text))
        words = [m.group() for m in found]
        glued = [bool(_GAP.fullmatch(text, a.end(), b.start())) for a, b in pairwise(found)]
        return cls([m.span() for m in found], words, [normalise(w) for w in words],
                   [_lower(w) for w in words], glued)


@lru_cache(maxsize=4096)  # an ingest links each section three times: taxonomy, discovery, all
def _tokens(text: str) -> _Tokens:
    return _Tokens.of(text)


def _linked_form(surface: SurfaceForm, concept_type: str) -> _Form | None:
    """A form as the linker matches it, or None for one it leaves out."""
    tokens = TOKEN.findall(surface.text)
    if not tokens or (len(tokens) == 1 and (len(tokens[0]) < 2 or surface.kind == "id")):
        return None  # a lone letter would match every "a" and "I"
    exact = tokens[0] if len(tokens) == 1 and _is_proper(tokens[0], concept_type) else None
    return _Form(surface.concept_id, tuple(normalise(t) for t in tokens), compact_key(surface.text),
                 exact)


def _cased(form: _Form, written: str) -> bool:
    """Whether `written` has the case a capitalised one-word form needs (a plural or possessive
    too)."""
    return form.exact is None or _POSSESSIVE.sub("", written) in (form.exact, form.exact + "s")
