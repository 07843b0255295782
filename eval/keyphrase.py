"""Keyphrase methods measured against discovery's own statistics, on the bundled corpus.

    python -m eval.keyphrase            # ranking quality and cost of each method (needs yake; the
                                        # embedding method loads the model)

The candidates are the phrases that recur in two or more documents with no cue (the ones a
keyphrase method would be asked about); the positives are those that name a taxonomy concept.
Each method ranks the candidates; average precision and precision at 50 and 100 say how well it
puts the taxonomy's concepts first.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence

import numpy as np

from ingest.acceptance import Keyphrase, document_texts, uncued_phrases
from ingest.corpus import read_corpus
from ingest.surface import surface_key
from ingest.termhood import phrase_score
from ingest.terms import gather_terms

BUNDLED_ROOT = "corpus"


def yake_keyphrase(names: Sequence[str], documents: Sequence[str]) -> dict[str, float]:
    """YAKE on each document; a name scores by its best rank in any document (1 = first)."""
    import yake

    extractor = yake.KeywordExtractor(n=4, top=300, dedup_lim=1.0)
    best: dict[str, float] = {}
    for text in documents:
        ranked = extractor.extract_keywords(text)
        for rank, (phrase, _) in enumerate(ranked):
            key = surface_key(phrase)
            best[key] = max(best.get(key, 0.0), 1.0 - rank / len(ranked))
    return {n: best.get(surface_key(n), 0.0) for n in names}


def embedding_keyphrase(encode: Callable[[list[str]], np.ndarray]) -> Keyphrase:
    """KeyBERT-style on our own model: the cosine of each name with the centroid of the
    documents' openings, rescaled to [0, 1]."""

    def score(names: Sequence[str], documents: Sequence[str]) -> dict[str, float]:
        if not names:
            return {}
        centroid = encode([" ".join(text.split()[:64]) for text in documents]).mean(axis=0)
        similarity = encode(list(names)) @ (centroid / (np.linalg.norm(centroid) or 1.0))
        low, high = float(similarity.min()), float(similarity.max())
        return {n: float((s - low) / ((high - low) or 1.0)) for n, s in zip(names, similarity, strict=True)}

    return score


def ranking_quality(scores: dict[str, float], positives: set[str]) -> dict[str, float]:
    """Average precision, P@50 and P@100 of the names ranked by score (ties by name)."""
    ranked = sorted(scores, key=lambda n: (-scores[n], n))
    hits, total = 0, 0.0
    for rank, name in enumerate(ranked, 1):
        if name in positives:
            hits += 1
            total += hits / rank
    return {"average_precision": round(total / max(len(positives), 1), 3),
            "p_at_50": sum(n in positives for n in ranked[:50]) / 50,
            "p_at_100": sum(n in positives for n in ranked[:100]) / 100}


def compare(encode: Callable[[list[str]], np.ndarray] | None) -> dict:
    """Each method's ranking quality and seconds on the bundled corpus."""
    from pathlib import Path

    corpus = read_corpus(Path(__file__).resolve().parent.parent / BUNDLED_ROOT)
    terms = gather_terms(corpus)
    known = {surface_key(f) for c in corpus.concepts.values() for f in (c.name, *c.aliases)}
    names = [n for n in uncued_phrases(terms) if len(terms.by_key[surface_key(n)].documents) >= 2]
    positives = {n for n in names if surface_key(n) in known}
    stats = {n: phrase_score(surface_key(n), n, terms.by_key[surface_key(n)].occurrences, terms.word_counts)
             for n in names}
    texts = document_texts(corpus, terms)
    methods: dict[str, Keyphrase] = {"yake": yake_keyphrase}
    if encode is not None:
        methods["embedding"] = embedding_keyphrase(encode)
    report = {"candidates": len(names), "positives": len(positives),
              "statistics (rarity x cohesion)": ranking_quality(stats, positives)}
    for label, method in methods.items():
        start = time.perf_counter()
        scores = method(names, texts)
        seconds = round(time.perf_counter() - start, 2)
        report[label] = {**ranking_quality(scores, positives), "seconds": seconds}
        report[f"{label} x statistics"] = ranking_quality({n: scores[n] * stats[n] for n in names},
                                                          positives)
    return report


def main() -> dict:
    from search.encoder import DEFAULT_MODEL, SentenceTransformerEncoder

    encoder = SentenceTransformerEncoder(DEFAULT_MODEL, batch_size=64, query_cache=0)
    encoder.encode(["load the model before timing"])
    report = compare(encoder.encode)
    print(json.dumps(report, indent=2))  # noqa: T201
    return report


if __name__ == "__main__":
    main()
