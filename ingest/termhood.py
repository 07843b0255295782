"""How specific a term is to the field: rarity of its words in general English (wordfreq) and how
tightly its words stick together in the corpus. (Keyphrase methods, YAKE and KeyBERT-style
embeddings, were measured against these and did not help: docs/CONCEPTS.md, `eval.keyphrase`.)
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import numpy as np
from wordfreq import zipf_frequency

from ingest.candidates import tokens

COMMON_ZIPF = 6.0  # a word this frequent in English ("time", "first") is no sign of a term
RARE_ZIPF = 2.0  # a word this rare ("sharding", "idempotency") is a strong sign


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """The word's frequency in general English on the Zipf scale (0 unseen … 7 "the")."""
    return zipf_frequency(word, "en")


def rarity(surface: str) -> float:
    """In [0, 1]: how rare the rarest word of the surface is in general English."""
    words = tokens(surface)
    if not words:
        return 0.0
    rarest = min(zipf(w.lower()) for w in words)
    return float(np.clip((COMMON_ZIPF - rarest) / (COMMON_ZIPF - RARE_ZIPF), 0.0, 1.0))


def cohesion(key: str, phrase_count: int, word_counts: Counter) -> float:
    """For a multi-word key, the share of the uses of its least used word that are in the phrase."""
    words = key.split()
    if len(words) < 2:
        return 1.0
    rarest = min(word_counts.get(w, 0) for w in words)
    return min(1.0, phrase_count / rarest) if rarest else 0.0


def phrase_score(key: str, surface: str, phrase_count: int, word_counts: Counter) -> float:
    """In [0, 1]: how much an uncued phrase looks like a term of the field."""
    return rarity(surface) * cohesion(key, phrase_count, word_counts)
