"""The casegraph service: everything the API and CLI answer, over one loaded snapshot.

It knows nothing of HTTP and returns the API's response models. Reloading swaps the snapshot
reference in one assignment, so a request always reads one complete snapshot.
"""

from __future__ import annotations

from dataclasses import asdict

from api import graph_models, models
from api.answer_json import answer_json
from api.errors import InvalidParameter, NotFound, suggestions
from api.limits import LIMITS
from api.memo import SnapshotMemo
from api.render import render_markdown, sentence_around
from api.search_answers import search_response
from api.settings import Settings
from api.views import (
    concept_ref,
    concept_summary,
    named_hop,
    recommendation,
    related_why,
    study_ref,
)
from graph.build import concept_node, document_node, node_id
from graph.paths import Link, concept_links, document_links, typed_path
from ingest.markdown import slugify
from ingest.records import CONCEPT_TYPES, ORIGINS, RELATION_TYPES, Concept, Document
from ingest.resolver import Resolution
from ingest.surface import surface_key
from search.encoder import Encoder
from search.fusion import Mode
from snapshot.load import Snapshot, load_snapshot

MAX_EVIDENCE = 3  # distinct sentences shown per study on a concept page
MAX_PATH_HOPS = 12
MEMO_SIZE = 256  # snapshot-fixed answers kept: a related list is 9 KB of JSON at k=10, 60 at k=100


def open_service(settings: Settings, encoder: Encoder) -> CaseGraphService:
    """The service over the published snapshot in `settings.data`."""
    return CaseGraphService(load_snapshot(settings, encoder), settings)


class CaseGraphService:
    def __init__(self, snapshot: Snapshot, settings: Settings) -> None:
        self.snapshot = snapshot
        self.concept_boost = settings.concept_boost
        self.weak_match_similarity = settings.weak_match_similarity
        self.memo = SnapshotMemo(MEMO_SIZE)

    def swap(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def themes(self) -> graph_models.Themes:
        """Built once per snapshot: the answer depends on nothing else."""
        snap = self.snapshot
        return self.memo.get(snap, "themes", lambda: graph_models.Themes(themes=[
            graph_models.Theme(label=t.label,
                               patterns=[concept_ref(snap.concept_at(p)) for p in t.patterns],
                               studies=[study_ref(snap.document_at(d)) for d in t.studies])
            for t in snap.answers.themes]))

    def themes_json(self) -> bytes:
        """`themes()` serialised, once per snapshot (52 KB of JSON on the bundled corpus)."""
        return self.memo.get(self.snapshot, "themes.json",
                             lambda: answer_json(self.themes()))

    # ---- look-ups -----------------------------------------------------------------------------
    def _document(self, snap: Snapshot, document_id: str) -> Document:
        doc = snap.documents.get(document_id)
        if doc is None:
            raise NotFound(f"no study with id '{document_id}'",
                           suggestions=suggestions(document_id, snap.documents))
        return doc

    def _resolved(self, snap: Snapshot, name: str) -> tuple[Concept, Resolution]:
        """The concept an id or a name means, through the snapshot's resolver; 404 with the
        nearest names when it means none."""
        found = snap.resolver.resolve(name)
        if found is None:
            raise NotFound(f"no concept with id or name '{name}'",
                           suggestions=snap.resolver.suggestions(name))
        return snap.concepts[found.concept_id], found

    def _concept(self, snap: Snapshot, concept_id: str) -> Concept:
        return self._resolved(snap, concept_id)[0]

    def _node(self, snap: Snapshot, ref: str) -> str:
        """A graph node from "study:<id>", a study id, or a concept id or name."""
        if ref in snap.graph:
            return ref
        if ref in snap.documents:
            return document_node(snap.documents[ref])
        concept = self._concept(snap, ref)
        return node_id(concept.type, concept.id)

    # ---- health and stats ---------------------------------------------------------------------
    def health(self) -> models.Health:
        snap = self.snapshot
        manifest, counts = snap.manifest, snap.manifest.counts
        return models.Health(status="ok", snapshot=models.SnapshotInfo(
            version=snap.version, created=manifest.created, studies=counts.studies,
            courses=counts.courses, sections=counts.sections, chunks=counts.chunks,
            concepts=counts.concepts, edges=counts.edges,
            model=models.ModelInfo(name=manifest.model.name, path=manifest.model.path),
            corpus_hash=manifest.corpus.hash, problems=len(manifest.problems)))

    def stats(self) -> models.Stats:
        snap = self.snapshot
        by_type: dict[str, int] = {}
        for concept in snap.concepts.values():
            by_type[concept.type] = by_type.get(concept.type, 0) + 1
        by_kind: dict[str, int] = {}
        for doc in snap.documents.values():
            by_kind[doc.kind] = by_kind.get(doc.kind, 0) + 1
        return models.Stats(version=snap.version, counts=snap.manifest.counts.model_dump(),
                            concepts_by_type=by_type, documents_by_kind=by_kind,
                            model=models.EmbeddingModel(**snap.manifest.model.model_dump()),
                            problems=list(snap.manifest.problems))

    # ---- search -------------------------------------------------------------------------------
    def _filtered_documents(self, snap: Snapshot, company: str | None, category: str | None,
                            pattern: str | None, kind: str | None) -> set[str] | None:
        if not any((company, category, pattern, kind)):
            return None
        docs = list(snap.documents.values())
        if company:
            key = surface_key(company)
            matching = [d for d in docs if surface_key(d.company) == key or slugify(company) in d.companies]
            if not matching:
                companies = {d.company for d in docs if d.company}
                raise InvalidParameter(f"no study is about company '{company}'", field="company",
                                       suggestions=suggestions(company, companies))
            docs = matching
        if category:
            matching = [d for d in docs if d.category and slugify(d.category) == slugify(category)]
            if not matching:
                raise InvalidParameter(f"unknown category '{category}'", field="category",
                                       choices=sorted({d.category for d in snap.documents.values()
                                                       if d.category}))
            docs = matching
        if pattern:
            found = snap.resolver.resolve(pattern)
            concept = snap.concepts[found.concept_id] if found else None
            if concept is None or concept.type != "pattern":
                raise InvalidParameter(f"no pattern is named '{pattern}'", field="pattern",
                                       suggestions=snap.resolver.suggestions(pattern, kind="pattern"))
            linked = {snap.graph.nodes[link.node]["id"]
                      for link in document_links(snap.graph, concept_node(concept))}
            docs = [d for d in docs if d.id in linked]
        if kind:
            docs = [d for d in docs if d.kind == kind]
        return {d.id for d in docs}

    def search(self, query: str, k: int, company: str | None = None, category: str | None = None,
               pattern: str | None = None, kind: str | None = None,
               mode: Mode = "hybrid") -> models.SearchResponse:
        """Studies ranked among studies and the courses beside them, unless `kind` asks for one
        kind; a course-seeking query gets its best course first (search/kinds.py)."""
        snap = self.snapshot
        query = query.strip()
        if not query:
            raise InvalidParameter("the query is empty; pass some words in 'q'", field="q")
        allowed = self._filtered_documents(snap, company, category, pattern, kind)
        return search_response(snap, query, k, mode, allowed, by_kind=kind is None,
                               concept_boost=self.concept_boost, weak_match=self.weak_match)

    def weak_match(self, named: set[str], closest: float) -> bool:
        """Nothing is close to a query that names no concept: its results are only the nearest."""
        return not named and closest < self.weak_match_similarity

    # ---- studies ------------------------------------------------------------------------------
    def list_studies(self, kind: str | None = None) -> models.StudyList:
        docs = [d for d in self.snapshot.documents.values() if kind is None or d.kind == kind]
        docs.sort(key=lambda d: (d.kind == "course", d.title.lower()))
        return models.StudyList(studies=[
            models.StudySummary(**study_ref(d).model_dump(), headline=d.headline, level=d.level,
                                minutes=d.minutes) for d in docs], total=len(docs))

    def study(self, study_id: str) -> models.StudyDetail:
        snap = self.snapshot
        doc = self._document(snap, study_id)
        sections = [models.StudySection(id=s.id, heading=s.heading, heading_path=list(s.heading_path),
                                        line=s.line, text=s.text, html=render_markdown(s.markdown))
                    for s in snap.sections.values() if s.document_id == doc.id]
        concepts = [models.LinkedConcept(**concept_ref(snap.concept_at(link.node)).model_dump(),
                                         weight=link.weight, curated=link.curated,
                                         mentions=link.mentions)
                    for link in concept_links(snap.graph, document_node(doc))]
        return models.StudyDetail(
            **study_ref(doc).model_dump(), path=doc.path, level=doc.level, minutes=doc.minutes,
            headline=doc.headline, summary=doc.summary, sources=list(doc.sources),
            companies=list(doc.companies), sections=sections, concepts=concepts)

    def _recommendations(self, snap: Snapshot, seeds: list[Document],
                         k: int) -> list[models.Recommendation]:
        picks = snap.answers.recommend([document_node(d) for d in seeds], k)
        return [recommendation(snap.document_at(r.node), r, snap.concepts) for r in picks]

    def recommendations(self, study_id: str, k: int) -> models.Recommendations:
        snap = self.snapshot
        doc = self._document(snap, study_id)
        return models.Recommendations(study=study_ref(doc),
                                      recommendations=self._recommendations(snap, [doc], k))

    def recommend_after(self, read: list[str], k: int) -> models.HistoryRecommendations:
        snap = self.snapshot
        if not read:
            raise InvalidParameter("'read' must name at least one study", field="read")
        docs = [self._document(snap, study_id) for study_id in dict.fromkeys(read)]
        return models.HistoryRecommendations(read=[d.id for d in docs],
                                             recommendations=self._recommendations(snap, docs, k))

    # ---- concepts -----------------------------------------------------------------------------
    def list_concepts(self, type_: str | None, q: str | None, limit: int,
                      origin: str | None = None) -> models.ConceptList:
        snap = self.snapshot
        concepts = [c for c in snap.concepts.values() if (type_ is None or c.type == type_)
                    and (origin is None or c.origin == origin)]
        if q:
            needle = q.lower()
            concepts = [c for c in concepts if needle in c.name.lower() or needle in c.id
                        or any(needle in a.lower() for a in c.aliases)]
        concepts.sort(key=lambda c: c.name.lower())
        return models.ConceptList(concepts=[concept_summary(c) for c in concepts[:limit]],
                                  total=len(concepts))

    def resolve(self, name: str) -> models.ConceptDetail:
        """The concept a name means, with how it matched (`match`) and how sure (`confidence`)."""
        return self.concept(name)

    def _evidence(self, snap: Snapshot, link: Link) -> list[models.Evidence]:
        evidence, seen = [], set()
        for e in link.evidence:
            context = sentence_around(snap.sections[e.section].text, e.start, e.end)
            if context not in seen and len(evidence) < MAX_EVIDENCE:
                seen.add(context)
                evidence.append(models.Evidence(section=e.section, start=e.start, end=e.end,
                                                surface=e.surface, context=context))
        return evidence

    def concept(self, concept_id: str) -> models.ConceptDetail:
        snap = self.snapshot
        concept, found = self._resolved(snap, concept_id)
        studies = []
        for link in document_links(snap.graph, concept_node(concept)):
            doc = snap.document_at(link.node)
            studies.append(models.ConceptStudy(
                id=doc.id, title=doc.title, company=doc.company, kind=doc.kind, weight=link.weight,
                curated=link.curated, mentions=link.mentions, evidence=self._evidence(snap, link)))
        return models.ConceptDetail(**concept_summary(concept).model_dump(),
                                    category=concept.category, description=concept.description,
                                    studies=studies, match=found.match,
                                    match_confidence=found.confidence)

    def related(self, concept_id: str, k: int, type_: str | None = None) -> graph_models.RelatedResponse:
        snap = self.snapshot
        concept = self._concept(snap, concept_id)
        return self.memo.get(snap, ("related", concept.id, k, type_),
                             lambda: self._related(snap, concept, k, type_))

    def _related(self, snap: Snapshot, concept: Concept, k: int,
                 type_: str | None) -> graph_models.RelatedResponse:
        found = snap.answers.related(concept_node(concept), k, type_)
        return graph_models.RelatedResponse(concept=concept_ref(concept), related=[
            graph_models.RelatedItem(concept=concept_ref(snap.concept_at(r.node)), score=r.score,
                               breakdown=r.breakdown, why=related_why(r)) for r in found])

    def learning_path(self, concept_id: str, known: list[str]) -> graph_models.LearningPath:
        snap = self.snapshot
        concept = self._concept(snap, concept_id)
        known_nodes = {concept_node(self._concept(snap, k)) for k in known}
        steps = []
        for step in snap.answers.learning_path(concept_node(concept), known_nodes):
            study = snap.documents.get(step.study) if step.study else None
            lesson = step.lesson and graph_models.Lesson(
                course=step.lesson.course, title=step.lesson.title, section=step.lesson.section,
                heading=snap.sections[step.lesson.section].heading if step.lesson.section else None)
            steps.append(graph_models.LearningStep(concept=concept_ref(snap.concept_at(step.node)),
                                             study=study_ref(study) if study else None,
                                             lesson=lesson, why=step.why))
        return graph_models.LearningPath(concept=concept_ref(concept), known=sorted(known), steps=steps)

    def neighbourhood(self, concept_id: str, limit: int) -> graph_models.Neighbourhood:
        """The concept, its related concepts and its documents, laid out for drawing."""
        snap = self.snapshot
        concept = self._concept(snap, concept_id)
        found = snap.answers.neighbourhood(concept_node(concept), limit)
        return graph_models.Neighbourhood(
            concept=concept_ref(concept),
            nodes=[graph_models.GraphNode(key=n.key, id=n.id, name=n.name, kind=n.kind, x=n.x, y=n.y)
                   for n in found.nodes],
            edges=[graph_models.GraphEdge(source=e.source, target=e.target, type=e.type)
                   for e in found.edges])

    def facets(self) -> models.Facets:
        """The values the search filters accept, from the snapshot, and the request limits."""
        snap = self.snapshot
        docs = snap.documents.values()
        patterns = sorted((c for c in snap.concepts.values() if c.type == "pattern"),
                          key=lambda c: c.name.lower())
        return models.Facets(companies=sorted({d.company for d in docs if d.company}),
                             categories=sorted({d.category for d in docs if d.category}),
                             kinds=sorted({d.kind for d in docs}),
                             patterns=[concept_ref(c) for c in patterns],
                             concept_types=list(CONCEPT_TYPES), relation_types=list(RELATION_TYPES),
                             origins=list(ORIGINS),
                             limits=models.Limits(**asdict(LIMITS)))

    def path(self, source: str, target: str) -> graph_models.PathResponse:
        snap = self.snapshot
        nodes = [self._node(snap, source), self._node(snap, target)]
        hops = typed_path(snap.graph, *nodes, max_hops=MAX_PATH_HOPS)
        if hops is None:
            raise NotFound(f"no path between '{source}' and '{target}'")
        return graph_models.PathResponse(source=nodes[0], target=nodes[1],
                                   hops=[named_hop(snap.graph, h) for h in hops])
