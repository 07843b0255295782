"""The casegraph service: everything the API and CLI answer, over one loaded snapshot.

It knows nothing of HTTP. Reloading swaps the snapshot reference in one assignment, so a request
always reads one complete snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from api.errors import InvalidParameter, NotFound, suggestions
from api.render import render_markdown, sentence_around
from api.settings import Settings
from api.snapshot import Snapshot, load_snapshot
from graph.build import concept_node, document_node, node_id
from graph.layout import neighbourhood
from graph.learning import learning_path
from graph.paths import concepts_of, documents_of, typed_path
from graph.profiles import ProfileIndex
from graph.recommend import recommend
from graph.related import related_concepts
from graph.themes import themes
from ingest.linker import surface_key
from ingest.markdown import slugify
from ingest.records import Concept, Document
from search.encoder import Encoder
from search.engine import Mode
from search.snippets import query_terms, snippet

MAX_RESULT_CONCEPTS = 8


def study_ref(doc: Document) -> dict[str, Any]:
    return {"id": doc.id, "title": doc.title, "company": doc.company,
            "also_titles": list(doc.also_titles), "kind": doc.kind, "category": doc.category}


def concept_ref(concept: Concept) -> dict[str, Any]:
    return {"id": concept.id, "name": concept.name, "type": concept.type}


def node_similarity(graph, profiles: ProfileIndex) -> Callable[[str, str], float]:
    """Cosine similarity of two graph nodes' embedding profiles."""
    return lambda a, b: profiles.similarity(graph.nodes[a]["id"], graph.nodes[b]["id"])


def open_service(settings: Settings, encoder: Encoder) -> CaseGraphService:
    """The service over the published snapshot in `settings.data`."""
    return CaseGraphService(load_snapshot(settings, encoder), settings.concept_boost,
                            settings.weak_match_similarity)


class CaseGraphService:
    def __init__(self, snapshot: Snapshot, concept_boost: float = 0.5,
                 weak_match_similarity: float = 0.3) -> None:
        self.snapshot = snapshot
        self.concept_boost = concept_boost
        self.weak_match_similarity = weak_match_similarity

    def swap(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    # ---- look-ups -----------------------------------------------------------------------------
    def _document(self, snap: Snapshot, document_id: str) -> Document:
        doc = snap.documents.get(document_id)
        if doc is None:
            raise NotFound(f"no study with id '{document_id}'",
                           suggestions=suggestions(document_id, snap.documents))
        return doc

    def _concept(self, snap: Snapshot, concept_id: str) -> Concept:
        concept = snap.concepts.get(concept_id) or snap.concepts.get(
            snap.surface_index.get(surface_key(concept_id), ""))
        if concept is None:
            names = [*snap.concepts, *(c.name for c in snap.concepts.values())]
            raise NotFound(f"no concept with id or name '{concept_id}'",
                           suggestions=suggestions(concept_id, names))
        return concept

    # ---- health and stats ---------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        snap = self.snapshot
        manifest = snap.manifest
        return {"status": "ok", "snapshot": {
            "version": snap.version, "created": manifest["created"],
            "studies": manifest["counts"]["studies"], "courses": manifest["counts"]["courses"],
            "sections": manifest["counts"]["sections"], "chunks": manifest["counts"]["chunks"],
            "concepts": manifest["counts"]["concepts"], "edges": manifest["counts"]["edges"],
            "model": {"name": manifest["model"]["name"], "path": manifest["model"]["path"]},
            "corpus_hash": manifest["corpus"]["hash"], "problems": len(manifest["problems"])}}

    def stats(self) -> dict[str, Any]:
        snap = self.snapshot
        by_type: dict[str, int] = {}
        for concept in snap.concepts.values():
            by_type[concept.type] = by_type.get(concept.type, 0) + 1
        by_kind: dict[str, int] = {}
        for doc in snap.documents.values():
            by_kind[doc.kind] = by_kind.get(doc.kind, 0) + 1
        return {"version": snap.version, "counts": snap.counts, "concepts_by_type": by_type,
                "documents_by_kind": by_kind, "model": snap.manifest["model"],
                "problems": snap.manifest["problems"]}

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
            concept = snap.concepts.get(snap.surface_index.get(surface_key(pattern), pattern))
            if concept is None or concept.type != "pattern":
                names = [c.name for c in snap.concepts.values() if c.type == "pattern"]
                raise InvalidParameter(f"no pattern is named '{pattern}'", field="pattern",
                                       suggestions=suggestions(pattern, names))
            linked = {snap.graph.nodes[n]["id"] for n in documents_of(snap.graph, concept_node(concept))}
            docs = [d for d in docs if d.id in linked]
        if kind:
            docs = [d for d in docs if d.kind == kind]
        return {d.id for d in docs}

    def _result_concepts(self, snap: Snapshot, doc: Document, section_ids: list[str]) -> list[dict]:
        ordered: list[str] = []
        for section_id in section_ids:
            ordered += [m.concept_id for m in snap.mentions_by_section.get(section_id, [])]
        ordered += list(doc.curated_concepts)
        unique = [c for c in dict.fromkeys(ordered) if c in snap.concepts]
        return [concept_ref(snap.concepts[c]) for c in unique[:MAX_RESULT_CONCEPTS]]

    def search(self, query: str, k: int = 10, company: str | None = None,
               category: str | None = None, pattern: str | None = None, kind: str | None = None,
               mode: Mode = "hybrid") -> dict[str, Any]:
        snap = self.snapshot
        query = query.strip()
        if not query:
            raise InvalidParameter("the query is empty; pass some words in 'q'", field="q")
        allowed = self._filtered_documents(snap, company, category, pattern, kind)
        named = {m.concept_id for m in snap.linker.find(query, "query")}
        boosted = set().union(*(snap.sections_by_concept.get(c, set()) for c in named))
        ranking = snap.searcher.search(query, k=k, mode=mode, documents=allowed,
                                       boost_sections=boosted, boost=self.concept_boost)
        terms = query_terms(query)
        results = []
        for hit in ranking.documents:
            doc = snap.documents[hit.document_id]
            sections = []
            for section_hit in hit.sections:
                section = snap.sections[section_hit.section_id]
                text, highlights = snippet(snap.chunks[section_hit.chunk_row].text, terms)
                sections.append({"id": section.id, "heading": section.heading,
                                 "heading_path": list(section.heading_path), "snippet": text,
                                 "highlights": [list(h) for h in highlights],
                                 "score": section_hit.score})
            results.append({"study": study_ref(doc), "score": hit.score, "sections": sections,
                            "concepts": self._result_concepts(snap, doc,
                                                              [s["id"] for s in sections])})
        closest = ranking.closest_similarity
        return {"query": query, "mode": mode, "total": ranking.found,
                "query_concepts": [concept_ref(snap.concepts[c]) for c in sorted(named)],
                "closest_similarity": closest,
                "weak_match": not named and closest < self.weak_match_similarity,
                "results": results}

    # ---- studies ------------------------------------------------------------------------------
    def list_studies(self, kind: str | None = None) -> dict[str, Any]:
        docs = [d for d in self.snapshot.documents.values() if kind is None or d.kind == kind]
        docs.sort(key=lambda d: (d.kind == "course", d.title.lower()))
        return {"studies": [{**study_ref(d), "headline": d.headline, "level": d.level,
                             "minutes": d.minutes} for d in docs], "total": len(docs)}

    def study(self, study_id: str) -> dict[str, Any]:
        snap = self.snapshot
        doc = self._document(snap, study_id)
        node = document_node(doc)
        linked = concepts_of(snap.graph, node)
        concepts = sorted(linked, key=lambda n: (-linked[n]["weight"], n))
        return {
            **study_ref(doc), "path": doc.path, "level": doc.level, "minutes": doc.minutes,
            "headline": doc.headline, "summary": doc.summary, "sources": list(doc.sources),
            "companies": list(doc.companies),
            "sections": [{"id": s.id, "heading": s.heading, "heading_path": list(s.heading_path),
                          "line": s.line, "text": s.text, "html": render_markdown(s.markdown)}
                         for s in snap.sections.values() if s.document_id == doc.id],
            "concepts": [{**concept_ref(snap.concept_at(n)),
                          "weight": linked[n]["weight"], "curated": linked[n]["curated"],
                          "mentions": linked[n]["mentions"]} for n in concepts],
        }

    def _recommendations(self, snap: Snapshot, seeds: list[Document], k: int) -> list[dict]:
        picks = recommend(snap.graph, [document_node(d) for d in seeds], k,
                          similarity=node_similarity(snap.graph, snap.document_profiles))
        return [{"study": study_ref(snap.document_at(r.node)),
                 "score": r.score, "breakdown": r.breakdown, "why": r.why} for r in picks]

    def recommendations(self, study_id: str, k: int = 5) -> dict[str, Any]:
        snap = self.snapshot
        doc = self._document(snap, study_id)
        return {"study": study_ref(doc), "recommendations": self._recommendations(snap, [doc], k)}

    def recommend_after(self, read: list[str], k: int = 5) -> dict[str, Any]:
        snap = self.snapshot
        if not read:
            raise InvalidParameter("'read' must name at least one study", field="read")
        docs = [self._document(snap, study_id) for study_id in dict.fromkeys(read)]
        return {"read": [d.id for d in docs], "recommendations": self._recommendations(snap, docs, k)}

    # ---- concepts -----------------------------------------------------------------------------
    def list_concepts(self, type_: str | None = None, q: str | None = None,
                      limit: int = 50) -> dict[str, Any]:
        snap = self.snapshot
        concepts = [c for c in snap.concepts.values() if type_ is None or c.type == type_]
        if q:
            needle = q.lower()
            concepts = [c for c in concepts if needle in c.name.lower() or needle in c.id
                        or any(needle in a.lower() for a in c.aliases)]
        concepts.sort(key=lambda c: c.name.lower())
        return {"concepts": [{**concept_ref(c), "aliases": list(c.aliases)} for c in concepts[:limit]],
                "total": len(concepts)}

    def resolve(self, name: str) -> dict[str, Any]:
        snap = self.snapshot
        concept_id = snap.surface_index.get(surface_key(name))
        if concept_id is None:
            names = [n for c in snap.concepts.values() for n in (c.name, *c.aliases)]
            raise NotFound(f"no concept is named '{name}'", suggestions=suggestions(name, names))
        return self.concept(concept_id)

    def concept(self, concept_id: str) -> dict[str, Any]:
        snap = self.snapshot
        concept = self._concept(snap, concept_id)
        linked = documents_of(snap.graph, concept_node(concept))
        ordered = sorted(linked, key=lambda n: (-linked[n]["weight"], n))
        studies = []
        for node in ordered:
            doc = snap.document_at(node)
            evidence, seen = [], set()
            for e in linked[node]["evidence"]:
                context = sentence_around(snap.sections[e["section"]].text, e["start"], e["end"])
                if context not in seen and len(evidence) < 3:
                    seen.add(context)
                    evidence.append({**e, "context": context})
            studies.append({"id": doc.id, "title": doc.title, "company": doc.company,
                            "kind": doc.kind, "weight": linked[node]["weight"],
                            "curated": linked[node]["curated"], "mentions": linked[node]["mentions"],
                            "evidence": evidence})
        return {**concept_ref(concept), "aliases": list(concept.aliases),
                "category": concept.category, "description": concept.description,
                "studies": studies}

    def related(self, concept_id: str, k: int = 10, type_: str | None = None) -> dict[str, Any]:
        snap = self.snapshot
        concept = self._concept(snap, concept_id)
        found = related_concepts(snap.graph, concept_node(concept), k=k, kind=type_,
                                 similarity=node_similarity(snap.graph, snap.concept_profiles))
        return {"concept": concept_ref(concept), "related": [
            {"concept": concept_ref(snap.concept_at(r.node)),
             "score": r.score, "breakdown": r.breakdown, "why": r.why} for r in found]}

    def learning_path(self, concept_id: str, known: list[str] | None = None) -> dict[str, Any]:
        snap = self.snapshot
        concept = self._concept(snap, concept_id)
        known_nodes = {concept_node(self._concept(snap, k)) for k in known or []}
        steps = []
        for step in learning_path(snap.graph, concept_node(concept), known_nodes):
            study = snap.documents.get(step["study"]) if step["study"] else None
            lesson = step["lesson"]
            if lesson and lesson["section"]:
                lesson = {**lesson, "heading": snap.sections[lesson["section"]].heading}
            steps.append({"concept": concept_ref(snap.concept_at(step["node"])),
                          "study": study_ref(study) if study else None,
                          "lesson": lesson, "why": step["why"]})
        return {"concept": concept_ref(concept), "known": sorted(known or []), "steps": steps}

    def themes(self) -> dict[str, Any]:
        snap = self.snapshot
        if snap.themes is None:
            snap.themes = themes(snap.graph)  # computed once per snapshot
        return {"themes": [
            {"label": t["label"],
             "patterns": [concept_ref(snap.concept_at(p)) for p in t["patterns"]],
             "studies": [study_ref(snap.document_at(d)) for d in t["studies"]]}
            for t in snap.themes]}

    def neighbourhood(self, concept_id: str, limit: int = 24) -> dict[str, Any]:
        """The concept, its related concepts and its documents, laid out for drawing."""
        snap = self.snapshot
        concept = self._concept(snap, concept_id)
        center = concept_node(concept)
        found = neighbourhood(snap.graph, center, limit,
                              node_similarity(snap.graph, snap.concept_profiles))
        return {"concept": concept_ref(concept), **found}

    def facets(self) -> dict[str, Any]:
        """The values the search filters accept, from the snapshot itself."""
        snap = self.snapshot
        docs = snap.documents.values()
        patterns = sorted((c for c in snap.concepts.values() if c.type == "pattern"),
                          key=lambda c: c.name.lower())
        return {"companies": sorted({d.company for d in docs if d.company}),
                "categories": sorted({d.category for d in docs if d.category}),
                "kinds": sorted({d.kind for d in docs}),
                "patterns": [concept_ref(c) for c in patterns]}

    def path(self, source: str, target: str) -> dict[str, Any]:
        snap = self.snapshot
        nodes = [self._node(snap, source), self._node(snap, target)]
        hops = typed_path(snap.graph, *nodes, max_hops=12)
        if hops is None:
            raise NotFound(f"no path between '{source}' and '{target}'")
        named = [{**h, "from_name": snap.graph.nodes[h["from"]]["name"],
                  "to_name": snap.graph.nodes[h["to"]]["name"]} for h in hops]
        return {"source": nodes[0], "target": nodes[1], "hops": named}

    def _node(self, snap: Snapshot, ref: str) -> str:
        """A graph node from "study:<id>", a study id, or a concept id or name."""
        if ref in snap.graph:
            return ref
        if ref in snap.documents:
            return document_node(snap.documents[ref])
        concept = self._concept(snap, ref)
        return node_id(concept.type, concept.id)
