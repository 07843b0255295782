"""Concept discovery measured: rediscovery of held-out taxonomy concepts, and the cost.

    python -m eval.discovery rediscovery [--seeds 0 1 2] [--keyphrase none|yake|embedding]
    python -m eval.discovery timing

Rediscovery holds out a random 30% of the bundled taxonomy, reads the corpus with the rest, runs
discovery, and counts the held-out concepts that come back: a discovered concept with a name or
alias of the same surface key as one of the forms the linker knows the held-out concept by (its
name, with and without a parenthetical, aliases and id: `ingest.surface.concept_forms`) (found),
whose documents include every study whose text mentions the held-out concept when read with the
full taxonomy (linked). Held out means absent from the taxonomy and from the frontmatter tags.
Recall is linked / held-out concepts that some study's text mentions.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import yaml

from ingest.acceptance import Keyphrase
from ingest.corpus import Corpus, read_corpus
from ingest.discovery import Discovery, discover_concepts, known_by_surface_key
from ingest.records import DOCUMENT_KINDS, STUDY_KINDS, Concept
from ingest.surface import concept_forms, surface_key

BUNDLED = Path(__file__).resolve().parent.parent / "corpus"
PRIMER = BUNDLED.parent.parent / "shared" / "corpora" / "system-design-primer"
HELD_OUT = 0.3
SEEDS = (0, 1, 2)
RECALLS = ("recall", "found_recall", "strict_recall")


@dataclass
class SeedResult:
    seed: int
    held_out: int
    mentioned: int  # held-out concepts whose forms the text of a study mentions (full taxonomy)
    found: int  # of those, rediscovered by name or alias
    linked: int  # of those found, with every mentioning study among its documents
    linked_everywhere: int  # of those found, with every mentioning study *and course* too
    discovered: int  # new concepts discovered in the reduced corpus
    missed: list[str]

    @property
    def recall(self) -> float:
        return self.linked / max(self.mentioned, 1)

    @property
    def found_recall(self) -> float:
        return self.found / max(self.mentioned, 1)

    @property
    def strict_recall(self) -> float:
        return self.linked_everywhere / max(self.mentioned, 1)


def held_out_ids(concepts: dict[str, Concept], seed: int) -> list[str]:
    """A fixed random 30% of the taxonomy's own concepts (courses are not in the taxonomy)."""
    ids = sorted(c.id for c in concepts.values() if c.type != "course")
    return sorted(random.Random(seed).sample(ids, round(HELD_OUT * len(ids))))


def reduced_corpus(root: Path, held_out: set[str], folder: Path) -> Path:
    """A corpus folder that links to `root`'s documents and holds the taxonomy less `held_out`."""
    corpus = folder / "corpus"
    (corpus / "taxonomy").mkdir(parents=True)
    for child in sorted(root.iterdir()):
        if child.is_dir() and child.name != "taxonomy":
            (corpus / child.name).symlink_to(child.resolve(), target_is_directory=True)
    for path in sorted((root / "taxonomy").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["concepts"] = [c for c in data["concepts"] if c["id"] not in held_out]
        (corpus / "taxonomy" / path.name).write_text(yaml.safe_dump(data, sort_keys=False),
                                                     encoding="utf-8")
    return corpus


def without_tag_concepts(corpus: Corpus, held_out: set[str]) -> Corpus:
    """The corpus less the concepts that ingest creates from the frontmatter tags that name
    held-out concepts: held out means absent from the taxonomy and the tags alike."""
    concepts = {k: c for k, c in corpus.concepts.items() if not (c.origin == "tag" and k in held_out)}
    return replace(corpus, concepts=concepts)


def mentioning(corpus: Corpus, kinds: tuple[str, ...]) -> dict[str, set[str]]:
    """Concept id → the documents of these kinds whose text mentions it."""
    document_of = {s.id: s.document_id for s in corpus.sections}
    found: dict[str, set[str]] = {}
    for mention in corpus.mentions:
        document = corpus.documents[document_of[mention.section_id]]
        if document.kind in kinds:
            found.setdefault(mention.concept_id, set()).add(document.id)
    return found


def score_seed(full: Corpus, discovery: Discovery, held_out: list[str], seed: int) -> SeedResult:
    mentioned = mentioning(full, STUDY_KINDS)
    everywhere = mentioning(full, DOCUMENT_KINDS)
    by_key: dict[str, list] = {}
    for concept in discovery.concepts:
        for form in (concept.name, *concept.aliases):
            by_key.setdefault(surface_key(form), []).append(concept)
    found = linked = linked_everywhere = 0
    missed = []
    eligible = [c for c in held_out if mentioned.get(c)]
    for concept_id in eligible:
        concept = full.concepts[concept_id]
        matches = {d.id: d for form in concept_forms(concept)
                   for d in by_key.get(surface_key(form.text), [])}
        found += bool(matches)
        linked_everywhere += any(everywhere[concept_id] <= set(d.documents) for d in matches.values())
        if any(mentioned[concept_id] <= set(d.documents) for d in matches.values()):
            linked += 1
        else:
            missed.append(concept_id + ("" if matches else " (not found)"))
    return SeedResult(seed, len(held_out), len(eligible), found, linked, linked_everywhere,
                      len(discovery.concepts), missed)


def rediscovery(seeds: tuple[int, ...], keyphrase: Keyphrase | None = None,
                encode: Callable | None = None) -> list[SeedResult]:
    full = read_corpus(BUNDLED)
    results = []
    for seed in seeds:
        held_out = held_out_ids(full.concepts, seed)
        with tempfile.TemporaryDirectory() as folder:
            reduced = without_tag_concepts(read_corpus(reduced_corpus(BUNDLED, set(held_out),
                                                                      Path(folder))), set(held_out))
        discovery = discover_concepts(reduced, known_by_surface_key(reduced.concepts.values()),
                                      encode=encode, keyphrase=keyphrase)
        results.append(score_seed(full, discovery, held_out, seed))
    return results


def timing(corpus: Corpus, repeats: int = 3) -> float:
    """The median seconds of one discovery over an already-read corpus."""
    known = known_by_surface_key(corpus.concepts.values())
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        discover_concepts(corpus, known)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def _keyphrase(name: str) -> Keyphrase | None:
    if name == "yake":
        from eval.keyphrase import yake_keyphrase

        return yake_keyphrase
    if name == "embedding":
        from eval.keyphrase import embedding_keyphrase
        from search.encoder import DEFAULT_MODEL, SentenceTransformerEncoder

        return embedding_keyphrase(SentenceTransformerEncoder(DEFAULT_MODEL, 64, 0).encode)
    return None


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m eval.discovery")
    parser.add_argument("what", choices=("rediscovery", "timing"))
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--keyphrase", choices=("none", "yake", "embedding"), default="none")
    args = parser.parse_args(argv)
    if args.what == "timing":
        primer = read_corpus(PRIMER, fallback_taxonomy=BUNDLED / "taxonomy")
        report = {"bundled_s": timing(read_corpus(BUNDLED)), "primer_s": timing(primer)}
    else:
        results = rediscovery(tuple(args.seeds), _keyphrase(args.keyphrase))
        report = {"seeds": [asdict(r) | {name: round(getattr(r, name), 4) for name in RECALLS}
                            for r in results]}
        for name in RECALLS:
            values = [getattr(r, name) for r in results]
            report[name] = {"mean": round(statistics.mean(values), 4),
                            "stdev": round(statistics.pstdev(values), 4),
                            "min": round(min(values), 4), "max": round(max(values), 4)}
    print(json.dumps(report, indent=2))  # noqa: T201
    return report


if __name__ == "__main__":
    main()
