"""Forms that are instructions, not names: "Add MySQL read replicas", "Reduce clutter", "Fixes typos".

A word is a verb of the corpus when its prose often uses it as one, written in lower case after
"to" or before a determiner ("to add", "add a cache"); a form of two words or more that such a
verb opens is an instruction. Measured on the corpus itself, so "cache" (a noun in 135 of its
137 uses) leads names and "add" does not.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_WORD = re.compile(r"(?<![\w-])[a-z][a-z]+(?![\w-])")
_VERB_USE = re.compile(r"\bto ([a-z][a-z]+)(?![\w-])|(?<![\w-])([a-z][a-z]+) (?:the|a|an|your|our|"
                       r"its|their|this|these|each|every|some|any)\b")
MIN_VERB_USES = 2
MIN_VERB_SHARE = 0.3  # of the word's lower-case uses


def corpus_verbs(texts: Iterable[str]) -> frozenset[str]:
    """The words the texts use as verbs in at least MIN_VERB_SHARE of their lower-case uses."""
    words: Counter = Counter()
    verbs: Counter = Counter()
    for text in texts:
        words.update(_WORD.findall(text))
        verbs.update(a or b for a, b in _VERB_USE.findall(text))
    return frozenset(w for w, n in verbs.items() if n >= MIN_VERB_USES and n >= MIN_VERB_SHARE * words[w]
                     and not w.endswith(("ing", "ed", "ly")))


def instruction(form: str, verbs: frozenset[str]) -> bool:
    """A form of two words or more opened by a verb of the corpus, bare or in its third person
    ("Add autoscaling", "Removes markup")."""
    words = form.split()
    if len(words) < 2:
        return False
    first = words[0].lower()
    return first in verbs or (first.endswith("s") and (first[:-1] in verbs or first[:-2] in verbs))
