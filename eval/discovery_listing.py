"""Every concept discovered on both corpora, with its sources, documents, confidence and the
judgments any sample gave it (matched by name): what a rule would drop, right and wrong.

    python -m eval.discovery_listing              # both corpora
    python -m eval.discovery_listing primer
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import yaml

from eval.discovery_precision import CORPORA, discovered, read

SAMPLES = Path(__file__).parent


def judgments(corpus: str) -> dict[str, list[str]]:
    """Name (lower case) → the judgments the corpus's samples gave it, each with its file's seed."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(SAMPLES.glob("discovered_*.yaml")):
        judged = yaml.safe_load(path.read_text(encoding="utf-8"))
        if judged["corpus"] != corpus:
            continue
        for entry in judged["concepts"]:
            if entry.get("judgment"):
                found[entry["name"].lower()].append(f"{entry['judgment']}@{judged['seed']}")
    return found


def listing(corpus: str) -> list[str]:
    """One line per discovered concept, most confident first."""
    judged = judgments(corpus)
    lines = [f"== {corpus}"]
    for c in discovered(read(corpus)):
        verdicts = ",".join(sorted(set(judged.get(c.name.lower(), [])))) or "-"
        lines.append(f"{c.confidence:.3f} d={len(c.documents)} {c.type:10} {'+'.join(c.sources):28} "
                     f"{c.name}  [{verdicts}]")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m eval.discovery_listing")
    parser.add_argument("corpora", nargs="*", help=f"any of {', '.join(sorted(CORPORA))} (default: all)")
    chosen = parser.parse_args(argv).corpora or sorted(CORPORA)
    unknown = sorted(set(chosen) - set(CORPORA))
    if unknown:
        parser.error(f"unknown corpus {', '.join(unknown)}; choose from {', '.join(sorted(CORPORA))}")
    for corpus in chosen:
        print("\n".join(listing(corpus)))  # noqa: T201


if __name__ == "__main__":
    main()
