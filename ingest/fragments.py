"""Words that are pieces of longer names, not names of their own: a word whose uses are mostly
inside one recurring longer phrase (the nested-term idea of C-value: "Hilbert" of "Hilbert
curve", "Herding" of "Herding elephants"), and a one-word parenthetical that qualifies the name
before it ("CNAME (canonical)", "ranking (multi-stage)") and is never used on its own."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ingest.terms import Term, Terms
from ingest.variants import VENDORS

NESTED_SHARE = 0.75  # of a word's uses inside one longer phrase, for the word to be its fragment
MIN_USES = 2  # a word used once says nothing of what it is usually part of
NAME_SPELLING = re.compile(r"^[A-Z0-9/-]+s?$|\d|[a-z][A-Z]")  # "BGP", "fMP4", "FasterTransformer"


@dataclass(frozen=True)
class Nesting:
    """For each key, the uses of the most used term one word longer that contains it: any such
    term, and a fixed phrase (one whose added word, too, is mostly used inside it)."""

    longer: dict[str, int]
    fixed: dict[str, int]


def nested_uses(terms: Terms) -> Nesting:
    """Key → the uses of the terms one word longer that open or close with it ("hilbert" →
    "hilbert curve", fixed; "flink" → "flink window", not fixed: windows are also tumbling and
    sliding). A vendor before a name makes no longer name ("Apache Flink" is Flink:
    `variants.merge_vendor_names`)."""
    longer: dict[str, int] = defaultdict(int)
    fixed: dict[str, int] = defaultdict(int)
    for key, term in terms.by_key.items():
        words = key.split()
        if len(words) < 2:
            continue
        ends = [(" ".join(words[:-1]), words[-1])]
        if words[0] not in VENDORS:
            ends.append((" ".join(words[1:]), words[0]))
        for part, added in ends:
            longer[part] = max(longer[part], term.occurrences)
            if term.occurrences >= NESTED_SHARE * terms.word_counts.get(added, 0):
                fixed[part] = max(fixed[part], term.occurrences)
    return Nesting(longer, fixed)


def fragment(term: Term, name: str, nesting: Nesting) -> bool:
    """A piece of a longer name: an uncued phrase never used outside one longer term ("SQL Read"
    of "SQL Read Replicas": its C-value is nil); a word, not an acronym nor a product's spelling,
    used mostly inside one fixed phrase ("Herding" of "Herding elephants"); or a one-word
    parenthetical aside that the prose uses nowhere but there ("canonical")."""
    if " " in name:
        return not term.cues and nesting.longer.get(term.key, 0) >= term.occurrences
    if NAME_SPELLING.search(name):
        return False  # an acronym or a product modifies ("BGP routes", "fMP4 segments") and names a thing
    if term.occurrences >= MIN_USES and nesting.fixed.get(term.key, 0) >= NESTED_SHARE * term.occurrences:
        return True
    cues = sum(term.cues.values())
    return cues > 0 and term.asides == cues and term.occurrences <= cues
