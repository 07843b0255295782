"""Build the concept graph: typed nodes (study, course, pattern, technology, company, category)
and typed, weighted edges that keep their evidence."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import networkx as nx

from ingest.markdown import slugify
from ingest.records import Concept, Document, Mention, Relation

# The edge a document gets to a concept, by the concept's type.
DOCUMENT_EDGE_TYPES = {"pattern": "applies", "technology": "uses", "company": "about",
                       "course": "mentions"}
COURSE_EDGE_TYPES = {"pattern": "teaches", "technology": "teaches"}
MAX_EVIDENCE = 12  # mentions kept per edge (the count is kept in full)


def node_id(kind: str, key: str) -> str:
    """Graph node key: "<type>:<id>", so a study and a concept may share an id."""
    return f"{kind}:{key}"


def document_node(doc: Document) -> str:
    return node_id("course" if doc.kind == "course" else "study", doc.id)


def concept_node(concept: Concept) -> str:
    return node_id(concept.type, concept.id)


def _document_edge(graph: nx.DiGraph, source: str, target: str, edge_type: str) -> dict:
    if not graph.has_edge(source, target):
        graph.add_edge(source, target, type=edge_type, curated=False, mentions=0, evidence=[], sections={})
    return graph.edges[source, target]


def build_graph(documents: Iterable[Document], concepts: dict[str, Concept],
                relations: Iterable[Relation], mentions: Iterable[Mention],
                section_documents: dict[str, str]) -> nx.DiGraph:
    """One directed graph; `section_documents` maps each section id to its document id."""
    graph = nx.DiGraph()
    for concept in concepts.values():
        graph.add_node(concept_node(concept), kind=concept.type, id=concept.id, name=concept.name,
                       category=concept.category, origin=concept.origin,
                       confidence=concept.confidence)
    docs = {doc.id: doc for doc in documents}
    for doc in docs.values():
        node = document_node(doc)
        graph.add_node(node, kind="course" if doc.kind == "course" else "study", id=doc.id,
                       name=doc.title, doc_kind=doc.kind, company=doc.company, category=doc.category)
        if doc.category:
            category = node_id("category", slugify(doc.category))
            graph.add_node(category, kind="category", id=slugify(doc.category), name=doc.category)
            graph.add_edge(node, category, type="in_category", weight=0.3, curated=True, mentions=0,
                           evidence=[], sections={})
        edge_types = COURSE_EDGE_TYPES if doc.kind == "course" else DOCUMENT_EDGE_TYPES
        for concept_id in doc.curated_concepts:
            concept = concepts[concept_id]
            _document_edge(graph, node, concept_node(concept),
                           edge_types.get(concept.type, "mentions"))["curated"] = True
        for study_id in doc.studies:
            if study_id in docs:
                _document_edge(graph, node, document_node(docs[study_id]), "features")["curated"] = True

    by_pair: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_pair[(section_documents[mention.section_id], mention.concept_id)].append(mention)
    for (doc_id, concept_id), found in by_pair.items():
        doc, concept = docs[doc_id], concepts[concept_id]
        source, target = document_node(doc), concept_node(concept)
        if source == target:
            continue
        edge_types = COURSE_EDGE_TYPES if doc.kind == "course" else DOCUMENT_EDGE_TYPES
        edge = _document_edge(graph, source, target, edge_types.get(concept.type, "mentions"))
        edge["mentions"] = len(found)
        edge["evidence"] = [{"section": m.section_id, "start": m.start, "end": m.end,
                             "surface": m.surface} for m in found[:MAX_EVIDENCE]]
        edge["sections"] = dict(Counter(m.section_id for m in found))
    for _, target, data in graph.edges(data=True):
        if "weight" not in data:  # a concept found by discovery counts as much as it is trusted
            strength = (1.0 if data["curated"] else 0.0) + min(0.5, 0.1 * data["mentions"])
            data["weight"] = round(strength * graph.nodes[target].get("confidence", 1.0), 3)

    for relation in relations:
        source, target = concepts[relation.source], concepts[relation.target]
        graph.add_edge(concept_node(source), concept_node(target), type=relation.type,
                       weight=1.0, curated=True, mentions=0, evidence=[], sections={})
    return graph


def graph_to_json(graph: nx.DiGraph) -> dict:
    return nx.node_link_data(graph, edges="edges", name="node")


def graph_from_json(data: dict) -> nx.DiGraph:
    return nx.node_link_graph(data, directed=True, multigraph=False, edges="edges", name="node")
