"""How the prose uses a phrase, read from the word before each use: the tail of an "A to B"
compound ("write ratio" of "read to write ratio"), or a gerund's clause after a conjunction or a
preposition ("while evaluating alternatives", "with replicating writes"): a piece of a longer
name, or a verb with its object, not a name. And names of an outcome: a quality with a word of
degree or change before it ("Increased scalability", "Maximal throughput")."""

from __future__ import annotations

import re

COMPOUND_SHARE = 0.75  # of a phrase's uses after "A to", for it to be the tail of that compound
GERUND_SHARE = 0.5  # of an "-ing" phrase's uses after a subordinator, for it to be a verb's clause
SUBORDINATORS = frozenset("while when whilst by before after without with since until".split())
DEGREE = frozenset("""increased decreased reduced improved enhanced better worse higher lower greater
faster slower maximal minimal maximum minimum optimal acceptable sufficient""".split())
_WORD_BEFORE = re.compile(r"(?:(\w[\w-]*)[ \t]+)?(\w[\w-]*)[ \t]+$")  # on the same line


def words_before(phrase: str, prose: str) -> list[tuple[str, str]]:
    """The two words before each use of the phrase in the lower-case prose ("" when none)."""
    needle, pairs, start = phrase.lower(), [], prose.find(phrase.lower())
    while start >= 0:
        end = start + len(needle)
        if not (_word_char(prose, start - 1) or _word_char(prose, end)):
            match = _WORD_BEFORE.search(prose[max(0, start - 60) : start])
            pairs.append((match.group(1) or "", match.group(2)) if match else ("", ""))
        start = prose.find(needle, end)
    return pairs


def _word_char(text: str, i: int) -> bool:
    """Whether text[i] continues a word (a letter, a digit, "_" or "-"); False off the ends."""
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] in "_-")


def compound_tail(before: list[tuple[str, str]]) -> bool:
    """Most uses follow a word and "to": "read to write ratio" (the phrase is its tail)."""
    tails = sum(bool(first) and second == "to" for first, second in before)
    return bool(before) and tails >= COMPOUND_SHARE * len(before)


def gerund_clause(phrase: str, before: list[tuple[str, str]]) -> bool:
    """Opened by an "-ing" word that half the uses or more put after a conjunction or a
    preposition: a verb with its object ("while evaluating alternatives"), not "typing
    indicators" ("presence and typing indicators")."""
    if not phrase.split()[0].lower().endswith("ing"):
        return False
    clauses = sum(second in SUBORDINATORS for _, second in before)
    return bool(before) and clauses >= GERUND_SHARE * len(before)


def outcome(name: str) -> bool:
    """A name of two words or more opened by a word of degree or change: an outcome to want
    ("Increased scalability", "Acceptable latency"), not a technique."""
    words = name.split()
    return len(words) >= 2 and words[0].lower() in DEGREE
