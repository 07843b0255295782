"""The context pack: the best sections for a question that fit a token budget, ready to cite,
with the concepts they share and the typed relations among those concepts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations
from pathlib import Path

from api.errors import InvalidParameter
from api.mcp_models import ConceptRelation, ContextPack, PackSection, SharedConcept
from api.service import CaseGraphService
from api.views import concept_ref, study_ref
from graph.build import concept_node
from ingest.records import RELATION_TYPES
from search.onnx_encoder import TOKENIZER_FILE
from snapshot import format as fmt
from snapshot.load import Snapshot

SECTIONS_PER_STUDY = 3  # so one long study cannot fill the pack alone
# Sections scoring under this share of the best are left out, whatever the budget: past it the
# ranking's tail is off the question (on the bundled corpus, e.g. video encoding and LLM batching
# for "fan-out on write"). A section ranked first by one retriever alone scores about 0.5.
MIN_SHARE_OF_BEST = 0.5
MAX_CONCEPTS = 15


@dataclass(frozen=True)
class TokenCounter:
    name: str
    count: Callable[[str], int]


def _words(text: str) -> int:
    return len(text.split())


@lru_cache(maxsize=4)
def token_counter(snapshot_folder: Path, model_name: str, model_path: str) -> TokenCounter:
    """Counts tokens as the snapshot's model does, with its tokenizer.json (the copy in the
    snapshot's encoder/ folder, else the model folder's), without special tokens or truncation;
    counts words for a model that has no tokenizer (the hashing encoder)."""
    from tokenizers import Tokenizer

    folders = [snapshot_folder / fmt.QUERY_ENCODER] + ([Path(model_path)] if model_path else [])
    found = next((f / TOKENIZER_FILE for f in folders if (f / TOKENIZER_FILE).is_file()), None)
    if found is None:
        return TokenCounter("words", _words)
    tokenizer = Tokenizer.from_file(str(found))
    tokenizer.no_truncation()
    tokenizer.no_padding()

    def count(text: str) -> int:
        return len(tokenizer.encode(text, add_special_tokens=False).ids)

    return TokenCounter(f"{model_name} tokenizer", count)


def _shared_concepts(snap: Snapshot, packed: list[tuple[PackSection, int]]) -> list[SharedConcept]:
    """Concepts named inside the packed text of at least two sections (of the one, if only one)."""
    sections_of: dict[str, list[str]] = {}
    for section, offset in packed:
        end = offset + len(section.text)
        for mention in snap.mentions_by_section.get(section.id, []):
            if offset <= mention.start and mention.end <= end:
                named = sections_of.setdefault(mention.concept_id, [])
                if section.id not in named:
                    named.append(section.id)
    least = min(2, len(packed))
    shared = [(snap.concepts[c], ids) for c, ids in sections_of.items() if len(ids) >= least]
    shared.sort(key=lambda item: (-len(item[1]), item[0].name.lower()))
    return [SharedConcept(**concept_ref(c).model_dump(), sections=ids)
            for c, ids in shared[:MAX_CONCEPTS]]


def _relations(snap: Snapshot, concepts: list[SharedConcept]) -> list[ConceptRelation]:
    found = []
    for a, b in permutations(concepts, 2):
        nodes = concept_node(snap.concepts[a.id]), concept_node(snap.concepts[b.id])
        if snap.graph.has_edge(*nodes) and snap.graph.edges[nodes]["type"] in RELATION_TYPES:
            found.append(ConceptRelation(source=a.id, target=b.id, type=snap.graph.edges[nodes]["type"]))
    return found


def context_pack(service: CaseGraphService, question: str, budget_tokens: int) -> ContextPack:
    """Sections in search order, each whole if it fits the budget left, else its best-matching
    window if that fits, else skipped; at most SECTIONS_PER_STUDY per study, none under
    MIN_SHARE_OF_BEST of the best score."""
    snap = service.snapshot
    question = question.strip()
    if not question:
        raise InvalidParameter("the question is empty; ask something", field="question")
    counter = token_counter(snap.path, snap.manifest.model.name, snap.manifest.model.path)
    found = snap.search(question, len(snap.documents), boost=service.concept_boost, by_kind=False,
                        sections_per_document=SECTIONS_PER_STUDY)
    hits = sorted((s for d in found.ranking.results for s in d.sections), key=lambda s: -s.score)
    floor = hits[0].score * MIN_SHARE_OF_BEST if hits else 0.0
    packed: list[tuple[PackSection, int]] = []  # each section and where its text starts
    used = 0
    for hit in (h for h in hits if h.score >= floor):
        section = snap.sections[hit.section_id]
        text = section.text
        tokens = counter.count(text)
        if used + tokens > budget_tokens:
            text = snap.chunks[hit.chunk_row].text
            tokens = counter.count(text)
            if text == section.text or used + tokens > budget_tokens:
                continue
        used += tokens
        packed.append((PackSection(
            study=study_ref(snap.documents[section.document_id]), id=section.id,
            heading_path=list(section.heading_path), text=text, tokens=tokens, score=hit.score,
            excerpt=text != section.text), section.text.find(text)))
    concepts = _shared_concepts(snap, packed)
    return ContextPack(question=question, budget_tokens=budget_tokens, tokens=used,
                       tokenizer=counter.name,
                       weak_match=service.weak_match(found.named, found.closest_similarity),
                       sections=[s for s, _ in packed], concepts=concepts,
                       relations=_relations(snap, concepts))
