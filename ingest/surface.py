"""Surface forms: every way a concept may be written, derived from its id, name and aliases.

A form is matched under two keys. The spaced key normalises each token ("B-Trees" == "b tree");
the compact key joins the tokens first, so a compound matches in any split ("web sockets" ==
"WebSockets", "quad-tree" == "Quadtree", "Dynamo DB" == "DynamoDB").

From a name such as "Trie (prefix tree)" come "Trie" (a name) and "prefix tree" (an alias); from
"Surge (dynamic) pricing", "Surge pricing" and "dynamic pricing"; from "Amazon / AWS", both parts.
A parenthetical that qualifies rather than renames ("(metrics, logs, traces)", "(no garbage
collector)", "(multi-stage)") gives no alias. An acronym is derived from a name's initials only
when the concept's own text uses it ("MVCC" from "Multi-version concurrency control"): initials
alone are too often another word ("GB", "DB", "WAF", "SDP" all occur in the corpus meaning
something else).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

from ingest.records import Concept

FormKind = Literal["id", "name", "alias", "derived"]
KIND_RANK: dict[FormKind, int] = {"name": 0, "alias": 1, "id": 2, "derived": 3}  # best first

TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+|\+\+|#|\*)?")
_PAREN = re.compile(r"\s*\(([^()]*)\)\s*")
_NOT_ALIAS = re.compile(r"[,;]|\b(?:vs|versus|e\.g|i\.e|no|without|not)\b", re.IGNORECASE)
_MINOR_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to",
                          "with"})


@lru_cache(maxsize=65_536)
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


def surface_key(form: str) -> str:
    """The key under which two surface forms count as the same: "B-Trees" == "b tree"."""
    return " ".join(normalise(t) for t in TOKEN.findall(form))


def compact_key(form: str) -> str:
    """The key of a form written in any split: "web sockets" == "WebSockets" == "web-socket"."""
    return normalise("".join(TOKEN.findall(form)))


def is_acronym(token: str) -> bool:
    """At least two capitals and no more small letters than capitals: "MVCC", "gRPC", "SLOs"."""
    upper = sum(c.isupper() for c in token)
    return upper >= 2 and upper >= sum(c.islower() for c in token)


@dataclass(frozen=True)
class SurfaceForm:
    """One way of writing a concept, and where it comes from."""

    concept_id: str
    text: str
    kind: FormKind

    @cached_property
    def key(self) -> str:
        return surface_key(self.text)

    @cached_property
    def compact(self) -> str:
        return compact_key(self.text)


def _renames(inner: str) -> bool:
    """Whether a parenthetical is another name, not a list or a qualification."""
    return bool(TOKEN.search(inner)) and not _NOT_ALIAS.search(inner) and " / " not in inner


def _trailing_aliases(inner: str) -> list[str]:
    """What a trailing parenthetical names: "(prefix tree)", "(Facebook)", "(STUN/TURN/ICE)"."""
    if not _renames(inner) or len(inner) < 2:
        return []  # "Twitter (X)": a lone letter would match every "x"
    parts = inner.split("/")
    if len(parts) > 1 and all(is_acronym(p) for p in parts):
        return parts
    if " " not in inner and "/" not in inner and not (is_acronym(inner) or inner[0].isupper()):
        return []  # "(multi-stage)" qualifies the name, it is not one
    return [inner]


def split_parenthetical(text: str) -> tuple[str, list[str]]:
    """A form with a parenthetical → (the form without it, what the parenthetical names).

    "Trie (prefix tree)" → ("Trie", ["prefix tree"]); "Surge (dynamic) pricing" →
    ("Surge pricing", ["dynamic pricing"]): inside a name, it replaces the word before it.
    """
    match = _PAREN.search(text)
    if match is None:
        return "", []
    before, inner, after = text[: match.start()].strip(), match.group(1).strip(), text[match.end() :].strip()
    outer = " ".join(p for p in (before, after) if p)
    if not (before and after):
        return outer, _trailing_aliases(inner)
    if not _renames(inner):
        return outer, []
    head = before.rsplit(" ", 1)[0] if " " in before else ""
    return outer, [" ".join(p for p in (head, inner, after) if p)]


def _slash_parts(text: str) -> list[str]:
    """The parts of a name written as alternatives: "Amazon / AWS", "H.264 / AVC"."""
    parts = [p.strip() for p in text.split(" / ")]
    return parts if len(parts) > 1 and all(parts) else []


def _initials(text: str) -> set[str]:
    """Acronyms a multi-word form could have: with and without its minor words."""
    words = [w for w in re.split(r"[\s\-]+", text) if w[:1].isalpha()]
    if len(words) < 2:
        return set()
    every = "".join(w[0] for w in words).upper()
    content = "".join(w[0] for w in words if w.lower() not in _MINOR_WORDS).upper()
    return {a for a in (every, content) if len(a) >= 3}


def _derived_acronyms(concept: Concept, texts: list[str]) -> list[str]:
    """Initials of the concept's forms that its own description uses as a word."""
    used = set(re.findall(r"\b[A-Z]{3,}\b", concept.description))
    return sorted({a for text in texts for a in _initials(text)} & used)


def _variants(text: str, kind: FormKind) -> Iterator[tuple[str, FormKind]]:
    """The form itself, its part outside a parenthetical, what the parenthetical names, and the
    parts of a name written as alternatives."""
    yield text, kind
    outer, inner = split_parenthetical(text)
    if outer:
        yield from _variants(outer, kind)
    for part in inner:
        yield part, "alias"
    for part in _slash_parts(text) if not outer else ():
        yield part, kind


def concept_forms(concept: Concept) -> list[SurfaceForm]:
    """Every form of one concept, each once with its best kind: id, name, aliases, derived."""
    sources: list[tuple[str, FormKind]] = [(concept.name, "name"),
                                           *((a, "alias") for a in concept.aliases), (concept.id, "id")]
    best: dict[str, FormKind] = {}
    for text, kind in sources:
        for variant, variant_kind in _variants(text, kind):
            known = best.get(variant)
            if TOKEN.search(variant) and (known is None or KIND_RANK[variant_kind] < KIND_RANK[known]):
                best[variant] = variant_kind
    names = [t for t, k in best.items() if k in ("name", "alias")]
    for acronym in _derived_acronyms(concept, names):
        best.setdefault(acronym, "derived")
    return [SurfaceForm(concept.id, text, kind) for text, kind in best.items()]


def all_forms(concepts: Iterable[Concept]) -> list[SurfaceForm]:
    """The forms of every concept, concept by concept."""
    return [form for concept in concepts for form in concept_forms(concept)]
