"""Search answers: one ranking of the snapshot's documents turned into the API's response, with
studies ranked among studies and the courses that go deeper beside them (search/kinds.py)."""

from __future__ import annotations

from collections.abc import Callable

from api import models
from api.views import concept_ref, study_ref
from ingest.records import Document
from search.engine import DocumentHit
from search.fusion import Mode
from search.snippets import query_terms, snippet
from snapshot.load import Snapshot

MAX_RESULT_CONCEPTS = 8


def _result_concepts(snap: Snapshot, doc: Document,
                     section_ids: list[str]) -> list[models.ConceptRef]:
    ordered: list[str] = []
    for section_id in section_ids:
        ordered += [m.concept_id for m in snap.mentions_by_section.get(section_id, [])]
    ordered += list(doc.curated_concepts)
    unique = [c for c in dict.fromkeys(ordered) if c in snap.concepts]
    return [concept_ref(snap.concepts[c]) for c in unique[:MAX_RESULT_CONCEPTS]]


def _sections(snap: Snapshot, hit: DocumentHit, terms: frozenset[str]) -> list[models.SectionResult]:
    found = []
    for section_hit in hit.sections:
        section = snap.sections[section_hit.section_id]
        text, highlights = snippet(snap.chunks[section_hit.chunk_row].text, terms)
        found.append(models.SectionResult(
            id=section.id, heading=section.heading, heading_path=list(section.heading_path),
            snippet=text, highlights=highlights, score=section_hit.score))
    return found


def _result(snap: Snapshot, hit: DocumentHit, terms: frozenset[str]) -> models.SearchResult:
    doc = snap.documents[hit.document_id]
    sections = _sections(snap, hit, terms)
    return models.SearchResult(study=study_ref(doc), score=hit.score, sections=sections,
                               concepts=_result_concepts(snap, doc, [s.id for s in sections]))


def teaches(snap: Snapshot, doc: Document, named: set[str]) -> list[str]:
    """The named concepts a document curates or mentions in any of its sections, by name."""
    def mentioned(concept_id: str) -> bool:
        return any(snap.sections[s].document_id == doc.id
                   for s in snap.sections_by_concept.get(concept_id, ()))

    taught = [c for c in named if c in doc.curated_concepts or mentioned(c)]
    return sorted(taught, key=lambda c: snap.concepts[c].name.lower())


def _course(snap: Snapshot, hit: DocumentHit, terms: frozenset[str],
            named: set[str]) -> models.CourseResult:
    result = _result(snap, hit, terms)
    taught = [concept_ref(snap.concepts[c]) for c in teaches(snap, snap.documents[hit.document_id],
                                                            named)]
    why = (f"teaches {', '.join(c.name for c in taught)}" if taught else
           f"its lessons match the query (score {hit.score:.2f})")
    return models.CourseResult(**dict(result), teaches=taught, why=why)


def search_response(snap: Snapshot, query: str, k: int, mode: Mode, allowed: set[str] | None,
                    by_kind: bool, concept_boost: float,
                    weak_match: Callable[[set[str], float], bool]) -> models.SearchResponse:
    """Studies among studies with the courses beside them (`by_kind`), or every document allowed
    in one ranking (a search that asks for a kind)."""
    found = snap.search(query, k, mode, concept_boost, allowed, by_kind)
    named, split = found.named, found.ranking
    terms = query_terms(query)
    return models.SearchResponse(
        query=query, mode=mode, total=split.found,
        query_concepts=[concept_ref(snap.concepts[c]) for c in sorted(named)],
        closest_similarity=found.closest_similarity,
        weak_match=weak_match(named, found.closest_similarity),
        course_seeking=split.course_seeking,
        results=[_result(snap, hit, terms) for hit in split.results],
        courses=[_course(snap, hit, terms, named) for hit in split.courses])
