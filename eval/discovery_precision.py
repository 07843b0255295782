"""Precision of concept discovery: a fixed random sample of discovered concepts, judged by a person.

    python -m eval.discovery_precision sample bundled --out eval/discovered_bundled.yaml
    python -m eval.discovery_precision sample primer --out eval/discovered_primer.yaml
    python -m eval.discovery_precision score eval/discovered_bundled.yaml eval/discovered_primer.yaml

`sample` writes each sampled concept with its evidence and an empty judgment; a person fills in
`judgment` (right: a real engineering concept with the right type; wrong type: a real concept
typed wrongly; not a concept) and a `note`. `score` counts the judgments and says which sampled
concepts the current code no longer discovers, so a changed figure is never silently re-used, and
the precision of the sampled concepts it still discovers (a re-score of an old sample, which is
no fresh sample: the concepts the code now adds are not in it). `--seed` draws another sample.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

import yaml

from eval.discovery import BUNDLED, PRIMER
from ingest.corpus import Corpus, read_corpus
from ingest.discovery import DiscoveredConcept, discover_concepts, known_by_surface_key

SAMPLE_SIZE = 50
SAMPLE_SEED = 13
JUDGMENTS = ("right", "wrong type", "not a concept")
SNIPPET = 90  # characters either side of the evidence span
CORPORA = {"bundled": (BUNDLED, None), "primer": (PRIMER, BUNDLED / "taxonomy")}


def read(name: str) -> Corpus:
    root, fallback = CORPORA[name]
    return read_corpus(root, fallback_taxonomy=fallback)


def discovered(corpus: Corpus) -> list[DiscoveredConcept]:
    return list(discover_concepts(corpus, known_by_surface_key(corpus.concepts.values())).concepts)


def snippet(corpus: Corpus, concept: DiscoveredConcept) -> str:
    """The text around the concept's first evidence span, the span in [brackets]."""
    evidence = concept.evidence[0]
    text = next(s.text for s in corpus.sections if s.id == evidence.section_id)
    before = text[max(0, evidence.start - SNIPPET) : evidence.start]
    after = text[evidence.end : evidence.end + SNIPPET]
    return " ".join(f"{before}[{text[evidence.start:evidence.end]}]{after}".split())


def sample(name: str, size: int = SAMPLE_SIZE, seed: int = SAMPLE_SEED) -> dict:
    """A fixed random sample of the concepts discovered on a corpus, ready to judge."""
    corpus = read(name)
    concepts = discovered(corpus)
    chosen = sorted(random.Random(seed).sample(range(len(concepts)), min(size, len(concepts))))
    return {"corpus": name, "seed": seed, "discovered": len(concepts), "concepts": [
        {"id": c.id, "name": c.name, "type": c.type, "aliases": list(c.aliases),
         "documents": len(c.documents), "confidence": c.confidence, "sources": list(c.sources),
         "evidence": f"{c.evidence[0].section_id}: {snippet(corpus, c)}",
         "judgment": None, "note": ""}
        for c in (concepts[i] for i in chosen)]}


def score(path: Path) -> dict:
    """The judged sample's precision, and the sampled concepts the code no longer discovers."""
    judged = yaml.safe_load(path.read_text(encoding="utf-8"))
    counts = Counter(entry["judgment"] for entry in judged["concepts"])
    unknown = sorted(set(counts) - set(JUDGMENTS))
    if unknown:
        raise SystemExit(f"{path}: judgments must be one of {', '.join(JUDGMENTS)}; found {unknown}")
    current = {(c.id, c.name, c.type) for c in discovered(read(judged["corpus"]))}
    drifted = [e["id"] for e in judged["concepts"] if (e["id"], e["name"], e["type"]) not in current]
    total = sum(counts.values())
    still = Counter(e["judgment"] for e in judged["concepts"] if e["id"] not in drifted)
    return {"file": str(path), "judged": total, **{j: counts.get(j, 0) for j in JUDGMENTS},
            "precision": round(counts.get("right", 0) / max(total, 1), 3),
            "real_concepts": round((counts.get("right", 0) + counts.get("wrong type", 0))
                                   / max(total, 1), 3),
            "no_longer_discovered": drifted,
            "still_discovered": {**{j: still.get(j, 0) for j in JUDGMENTS},
                                 "precision": round(still.get("right", 0) / max(sum(still.values()), 1), 3)}}


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(prog="python -m eval.discovery_precision")
    commands = parser.add_subparsers(dest="command", required=True)
    sampling = commands.add_parser("sample")
    sampling.add_argument("corpus", choices=sorted(CORPORA))
    sampling.add_argument("--out", type=Path, required=True)
    sampling.add_argument("--seed", type=int, default=SAMPLE_SEED)
    scoring = commands.add_parser("score")
    scoring.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if args.command == "sample":
        drawn = sample(args.corpus, seed=args.seed)
        args.out.write_text(yaml.safe_dump(drawn, sort_keys=False, allow_unicode=True, width=100),
                            encoding="utf-8")
        return []
    reports = [score(path) for path in args.files]
    print(json.dumps(reports, indent=2))  # noqa: T201
    return reports


if __name__ == "__main__":
    main()
