"""Words that are pieces of longer names, not names of their own: a word whose uses are mostly
inside one recurring longer phrase (the nested-term idea of C-value: "Hilbert" of "Hilbert
curve", "Herding" of "Herding elephants"), and a one-word parenthetical that qualifies the name
before it ("CNAME (canonical)", "ranking (multi-stage)") and is never used on its own."""

from __future__ import annotations

import re
from collections import defaultdict

from ingest.terms import Term, Terms
from ingest.variants import VENDORS

NESTED_SHARE = 0.75  # of a word's uses inside one longer phrase, for the word to be its fragment
MIN_USES = 2  # a word used once says nothing of what it is usually part of
NAME_SPELLING = re.compile(r"^[A-Z0-9/-]+s?$|\d|[a-z][A-Z]")  # "BGP", "fMP4", "FasterTransformer"


def nested_uses(terms: Terms) -> dict[str, int]:
    """Key of one word → the uses of the most used fixed phrase one word longer that opens or
    closes with it: a phrase whose added word, too, is mostly used inside it ("hilbert" →
    "hilbert curve"; not "flink" → "flink window": windows are also tumbling and sliding). A
    vendor before the word makes no longer name ("Apache Flink" is Flink: `merge_vendor_names`)."""
    most: dict[str, int] = defaultdict(int)
    for key, term in terms.by_key.items():
        words = key.split()
        if len(words) < 2:
            continue
        ends = [(" ".join(words[:-1]), words[-1])]
        if words[0] not in VENDORS:
            ends.append((" ".join(words[1:]), words[0]))
        for part, added in ends:
            if term.occurrences >= NESTED_SHARE * terms.word_counts.get(added, 0):
                most[part] = max(most[part], term.occurrences)
    return most


def fragment(term: Term, name: str, nested: dict[str, int]) -> bool:
    """A word, not an acronym, used mostly inside one longer recurring phrase; or a one-word
    parenthetical aside that the prose uses nowhere but there."""
    if " " in name or NAME_SPELLING.search(name):
        return False  # an acronym or a product modifies ("BGP routes", "fMP4 segments") and names a thing
    if term.occurrences >= MIN_USES and nested.get(term.key, 0) >= NESTED_SHARE * term.occurrences:
        return True
    cues = sum(term.cues.values())
    return cues > 0 and term.asides == cues and term.occurrences <= cues
