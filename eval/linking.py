"""Entity-linking evaluation: concepts linked from each study's text against its curated tags."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ingest.corpus import Corpus
from ingest.records import STUDY_KINDS, TAXONOMY_TYPES


@dataclass
class LinkingReport:
    studies: int
    precision: float  # linked concepts that are also curated tags
    recall: float  # curated tags that the text links
    per_type: dict[str, dict[str, float]]
    never_linked: list[str]  # curated tags the linker missed, with counts


def evaluate_linking(corpus: Corpus) -> LinkingReport:
    """Micro-averaged precision and recall of text links against frontmatter tags."""
    linked: dict[str, set[str]] = {}
    by_section = {s.id: s.document_id for s in corpus.sections}
    for mention in corpus.mentions:
        linked.setdefault(by_section[mention.section_id], set()).add(mention.concept_id)
    counts = {t: Counter() for t in (*TAXONOMY_TYPES, "all")}
    missed: Counter = Counter()
    studies = [d for d in corpus.documents.values() if d.kind in STUDY_KINDS]
    for doc in studies:
        found, curated = linked.get(doc.id, set()), set(doc.curated_concepts)
        for concept_id in found | curated:
            kind = corpus.concepts[concept_id].type
            if kind not in TAXONOMY_TYPES:  # courses are never tagged in frontmatter
                continue
            outcome = ("tp" if concept_id in found and concept_id in curated
                       else "fp" if concept_id in found else "fn")
            counts[kind][outcome] += 1
            counts["all"][outcome] += 1
            if outcome == "fn":
                missed[concept_id] += 1

    def rates(c: Counter) -> dict[str, float]:
        return {"precision": round(c["tp"] / max(c["tp"] + c["fp"], 1), 4),
                "recall": round(c["tp"] / max(c["tp"] + c["fn"], 1), 4)}

    overall = rates(counts["all"])
    return LinkingReport(len(studies), overall["precision"], overall["recall"],
                         {t: rates(counts[t]) for t in TAXONOMY_TYPES},
                         [f"{c} ({n})" for c, n in missed.most_common(15)])


def top_links(corpus: Corpus, n: int = 15) -> list[tuple[str, int]]:
    """The concepts a corpus mentions most (for spot-checking a foreign corpus)."""
    return Counter(m.concept_id for m in corpus.mentions).most_common(n)
