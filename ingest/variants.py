"""Variants of one concept merge into one group: by normalised spelling, by the pairs the text
itself states (an acronym and its long form, a name and its parenthetical, a vendor and its
product), by string similarity (rapidfuzz) and, given an encoder, by embedding similarity of the
names and of the sentences around them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import numpy as np
import Stemmer
from rapidfuzz import fuzz

from ingest.surface import normalise

VENDORS = frozenset(normalise(v) for v in ("Apache", "Amazon", "AWS", "Google", "Azure", "Microsoft"))
BRITISH = ((r"isation\b", "ization"), (r"is(e|ed|es|ing)\b", r"iz\1"), (r"our\b", "or"),
           (r"ys(e|ed|es|ing)\b", r"yz\1"), (r"ogue\b", "og"))
FUZZY_RATIO = 95.0  # rapidfuzz ratio of two keys that are one concept spelled twice
FUZZY_MIN_LENGTH = 10  # shorter keys differ in meaning by one letter ("shared" / "sharded")
NAME_SIMILARITY = 0.95  # cosine of two names, and of their contexts, to merge by embedding:
CONTEXT_SIMILARITY = 0.90  # high, because the model puts siblings ("write-through" and
# "write-behind": 0.92) closer than synonyms ("leader-follower" and "master-slave": 0.64)


class Groups:
    """Union-find over surface keys; the smallest key of a group names it."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._parent = {k: k for k in keys}

    def find(self, key: str) -> str:
        while self._parent[key] != key:
            self._parent[key] = self._parent[self._parent[key]]
            key = self._parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        if a in self._parent and b in self._parent:
            ra, rb = sorted((self.find(a), self.find(b)))
            self._parent[rb] = ra

    def groups(self) -> list[list[str]]:
        by_root: dict[str, list[str]] = {}
        for key in sorted(self._parent):
            by_root.setdefault(self.find(key), []).append(key)
        return sorted(by_root.values())


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def variant_key(key: str) -> str:
    """A key stemmed, with British spellings made American and word breaks removed:
    "eventually consistent" = "eventual consistency", "web sockets" = "WebSockets"."""
    for pattern, replacement in BRITISH:
        key = re.sub(pattern, replacement, key)
    return "".join(_stemmer().stemWords(key.split()))


def merge_spellings(groups: Groups, keys: Sequence[str]) -> None:
    """Keys of one variant key: "denormalisation" = "denormalization", "rate limiter" = "rate
    limiting"."""
    first: dict[str, str] = {}
    for key in sorted(keys):
        first.setdefault(variant_key(key), key)
        groups.union(first[variant_key(key)], key)


def merge_vendor_names(groups: Groups, keys: Sequence[str]) -> None:
    """"apache cassandra" = "cassandra", "amazon s3" = "s3"."""
    known = set(keys)
    for key in keys:
        first, _, rest = key.partition(" ")
        if first in VENDORS and rest in known:
            groups.union(key, rest)


def merge_qualified(groups: Groups, keys: Sequence[str], terms: set[str], named: set[str]) -> None:
    """A name and the same name with one more word after it: "garbage collection" = "garbage
    collection pauses". A one-word name merges only if it is in `terms`, the words that are terms
    on their own ("serverless"; "hash" ≠ "hash ring"); and not if both are in `named`, the keys
    the corpus names on their own again and again ("web server" ≠ "web server caching")."""
    known = set(keys)
    for key in keys:
        shorter = key.rsplit(" ", 1)[0]
        if (shorter != key and shorter in known and (" " in shorter or shorter in terms)
                and not {shorter, key} <= named):
            groups.union(shorter, key)


def merge_fuzzy(groups: Groups, keys: Sequence[str]) -> None:
    """Keys of one word count and one spelling, but for a letter or two ("geohash", "geo-hash")."""
    by_words: dict[int, list[str]] = {}
    for key in sorted(keys):
        if len(key) >= FUZZY_MIN_LENGTH:
            by_words.setdefault(key.count(" "), []).append(key)
    for same in by_words.values():
        for i, a in enumerate(same):
            for b in same[i + 1 :]:
                if a[0] == b[0] and fuzz.ratio(a, b) >= FUZZY_RATIO:
                    groups.union(a, b)


def merge_embeddings(groups: Groups, names: dict[str, str], contexts: dict[str, str],
                     encode: Callable[[list[str]], np.ndarray]) -> None:
    """Keys whose names and whose contexts both embed close together."""
    keys = sorted(names)
    if len(keys) < 2:
        return
    by_name = encode([names[k] for k in keys])
    by_context = encode([contexts.get(k, names[k]) for k in keys])
    close = (by_name @ by_name.T >= NAME_SIMILARITY) & (by_context @ by_context.T >= CONTEXT_SIMILARITY)
    for i, j in zip(*np.nonzero(np.triu(close, k=1)), strict=True):
        groups.union(keys[i], keys[j])
