"""Every concept discovered on both corpora, with its sources, documents, confidence and the
judgments any sample gave it (matched by name): what a rule would drop, right and wrong.

    python -m eval.discovery_listing              # both corpora
    python -m eval.discovery_listing primer
    python -m eval.discovery_listing --pooled     # precision over every judged concept

`--pooled` scores the whole discovered list with the judgments of every sample: a concept counts
as judged when a sample called it "not a concept", or judged it with the type it has now (a
"wrong type" given under another type says nothing of the type it has now), and as right when
every such judgment says right. Most of these judgments are tuning data: it is a check on the
fresh samples' figures, not one of them.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from eval.discovery_precision import CORPORA, discovered, read

SAMPLES = Path(__file__).parent


def _samples(corpus: str) -> list[dict]:
    loaded = (yaml.safe_load(path.read_text(encoding="utf-8"))
              for path in sorted(SAMPLES.glob("discovered_*.yaml")))
    return [sample for sample in loaded if sample["corpus"] == corpus]


def judgments(corpus: str) -> dict[str, list[str]]:
    """Name (lower case) → the judgments the corpus's samples gave it, each with its file's seed."""
    found: dict[str, list[str]] = defaultdict(list)
    for judged in _samples(corpus):
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


@dataclass(frozen=True)
class Pooled:
    discovered: int
    judged: int
    right: int

    @property
    def precision(self) -> float:
        return round(self.right / self.judged, 3) if self.judged else 0.0


def pooled(concepts: Iterable[tuple[str, str]], samples: Iterable[dict]) -> Pooled:
    """Precision of the discovered (name, type) pairs under every judgment that still applies."""
    judged: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for sample in samples:
        for entry in sample["concepts"]:
            if entry.get("judgment"):
                judged[entry["name"].lower()].append((entry["type"], entry["judgment"]))
    concepts = list(concepts)
    verdicts = [[j for t, j in judged.get(name.lower(), []) if j == "not a concept" or t == type_]
                for name, type_ in concepts]
    applying = [v for v in verdicts if v]
    return Pooled(len(concepts), len(applying), sum(all(j == "right" for j in v) for v in applying))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m eval.discovery_listing")
    parser.add_argument("corpora", nargs="*", help=f"any of {', '.join(sorted(CORPORA))} (default: all)")
    parser.add_argument("--pooled", action="store_true", help="only the precision over every "
                                                               "judged concept")
    args = parser.parse_args(argv)
    chosen = args.corpora or sorted(CORPORA)
    unknown = sorted(set(chosen) - set(CORPORA))
    if unknown:
        parser.error(f"unknown corpus {', '.join(unknown)}; choose from {', '.join(sorted(CORPORA))}")
    for corpus in chosen:
        if args.pooled:
            found = pooled(((c.name, c.type) for c in discovered(read(corpus))), _samples(corpus))
            print(f"{corpus}: {found.discovered} discovered, {found.judged} judged, "  # noqa: T201
                  f"{found.right} right, precision {found.precision}")
        else:
            print("\n".join(listing(corpus)))  # noqa: T201


if __name__ == "__main__":
    main()
