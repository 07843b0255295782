"""A snapshot loaded into memory: records, graph, a ready searcher and the look-ups over them.

Frozen once loaded; derived answers that depend only on the snapshot are computed once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.answers import StoredAnswers
from graph.build import graph_from_json
from graph.ppr import PPRTable
from graph.profiles import ProfileIndex
from graph.recommend import Recommender
from graph.related import Similarities
from ingest.linker import Linker
from ingest.records import Chunk, Concept, Document, Mention, Section
from ingest.resolver import ConceptResolver
from ingest.surface import TOKEN, normalise
from search.concept_boost import NEAREST_CONCEPTS, boosted_sections, nearest_concepts
from search.dense import load_index
from search.encoder import Encoder
from search.engine import ChunkTable, HybridSearcher
from search.fusion import Mode
from search.kinds import KindRanking, split_by_kind
from search.lexical import LexicalIndex
from search.onnx_encoder import INT8_FILE, OnnxEncoder
from search.sections import SectionRanking, section_priors
from snapshot import format as fmt
from snapshot.errors import SnapshotError
from snapshot.options import QUERY_ENCODERS, LoadOptions
from snapshot.store import current_version, snapshot_path


@dataclass(frozen=True)
class Found:
    """A search as the service answers it: the concepts the query names, the cosine of its
    nearest chunk, and the documents in `results` with the courses beside them."""

    named: set[str]
    closest_similarity: float
    ranking: KindRanking


@dataclass(frozen=True)
class Snapshot:
    version: str
    path: Path
    manifest: fmt.Manifest
    documents: dict[str, Document]
    sections: dict[str, Section]
    chunks: list[Chunk]
    concepts: dict[str, Concept]
    mentions_by_section: dict[str, list[Mention]]
    graph: nx.DiGraph
    searcher: HybridSearcher
    resolver: ConceptResolver  # names → concepts, for every route, filter and the CLI
    linker: Linker
    sections_by_concept: dict[str, set[str]]
    concept_profiles: ProfileIndex
    document_profiles: ProfileIndex
    answers: StoredAnswers  # related, neighbourhoods, learning paths, themes, recommendations

    def concept_at(self, node: str) -> Concept:
        """The concept (or course) record behind a graph node."""
        return self.concepts[self.graph.nodes[node]["id"]]

    def document_at(self, node: str) -> Document:
        """The study or course record behind a graph node."""
        return self.documents[self.graph.nodes[node]["id"]]

    @cached_property
    def concept_similarities(self) -> Similarities:
        """Cosine similarity of a concept node's embedding profile to others', as ingest scored
        related concepts."""
        return self.concept_profiles.node_similarities(self.graph.nodes)

    @cached_property
    def _profiled_concepts(self) -> list[str]:
        """The concept ids of the concept profiles' rows, in row order."""
        return sorted(self.concept_profiles.row, key=self.concept_profiles.row.__getitem__)

    def named_concepts(self, text: str, vector: np.ndarray | None = None,
                       nearest: int = NEAREST_CONCEPTS) -> tuple[set[str], dict[str, float]]:
        """The concepts `text` names, and the sections the concept re-rank lifts, each with its
        trust (search/concept_boost.py): those that mention a named concept or one of the
        `nearest` concepts to the query's vector (`vector`, else `text` encoded)."""
        named = {m.concept_id for m in self.linker.find(text, "query")}
        near: list[str] = []
        if nearest > 0:
            vector = self.searcher.encode_query(text) if vector is None else vector
            near = nearest_concepts(vector, self._profiled_concepts,
                                    self.concept_profiles.profiles, nearest)
        confidence = {c: self.concepts[c].confidence for c in named.union(near)}
        return named, boosted_sections(named, near, confidence, self.sections_by_concept)

    @cached_property
    def kinds(self) -> dict[str, str]:
        """Each document's kind, by id."""
        return {d.id: d.kind for d in self.documents.values()}

    def search(self, query: str, k: int, mode: Mode = "hybrid", boost: float = 0.0,
               documents: set[str] | None = None, by_kind: bool = True,
               sections_per_document: int = 3,
               section_ranking: SectionRanking = "answer",
               nearest: int = NEAREST_CONCEPTS) -> Found:
        """The sections that mention a concept the query names or one of its `nearest` concepts
        boosted by `boost` (named_concepts), then studies ranked among studies with the courses
        beside them (`by_kind`, search/kinds.py), or the first k of every document allowed in
        one ranking. The query is encoded once, for both."""
        vector = self.searcher.encode_query(query)
        named, boosted = self.named_concepts(query, vector, nearest)
        ranking = self.searcher.search(query, k=len(self.documents) if by_kind else k, mode=mode,
                                       documents=documents, boost_sections=boosted, boost=boost,
                                       sections_per_document=sections_per_document,
                                       section_ranking=section_ranking, query_vector=vector)
        split = (split_by_kind(ranking.documents, self.kinds, query, k) if by_kind
                 else KindRanking(ranking.documents, [], ranking.found, False))
        return Found(named, ranking.closest_similarity, split)


def _records(folder: Path, name: str, record: type) -> list:
    def value(v):
        return tuple(v) if isinstance(v, list) else v

    return [record(**{k: value(v) for k, v in item.items()}) for item in fmt.read_json(folder / name)]


def _profiles(folder: Path, kind: str) -> ProfileIndex:
    ids_file, vectors_file = fmt.profile_files(kind)
    return ProfileIndex(fmt.read_json(folder / ids_file), np.load(folder / vectors_file))


def _resolver(folder: Path, concepts: dict[str, Concept], sections: dict[str, Section],
              encode_query: Callable[[str], np.ndarray]) -> ConceptResolver:
    """The resolver over the snapshot's concepts, with their name vectors, the query encoder and
    the words of the corpus."""
    ids_file, vectors_file = fmt.profile_files("concept_name")
    words = {normalise(w) for s in sections.values() for w in TOKEN.findall(s.text)}
    return ConceptResolver([concepts[i] for i in fmt.read_json(folder / ids_file)], encode_query,
                           np.load(folder / vectors_file), words)


def _answers(folder: Path, graph: nx.DiGraph, documents: ProfileIndex) -> StoredAnswers:
    nodes = fmt.read_json(folder / fmt.PPR_NODES)
    table = PPRTable({n: i for i, n in enumerate(nodes["rows"])}, tuple(nodes["studies"]),
                     sp.csr_array(sp.load_npz(folder / fmt.PPR)))
    return StoredAnswers(graph, fmt.read_json(folder / fmt.ANSWERS),
                         Recommender.build(graph, documents, table))


def _query_encoder(folder: Path, manifest: fmt.Manifest, options: LoadOptions, encoder: Encoder):
    """The snapshot's ONNX export the settings ask for, else the model itself."""
    info = manifest.query_encoder
    available = [name for name in QUERY_ENCODERS[options.query_encoder] if name in info.agreement]
    if not available or info.max_tokens is None:
        return encoder.encode_query
    # One short query gains nothing from a second int8 thread (0.77 vs 1.19 ms measured).
    threads = 1 if available[0] == INT8_FILE else 0
    return OnnxEncoder(folder / fmt.QUERY_ENCODER, available[0], info.max_tokens,
                       options.query_cache, threads).encode_query


def load_snapshot(options: LoadOptions, encoder: Encoder, version: str | None = None) -> Snapshot:
    """Load the published (or the named) snapshot; refuse one of another schema or model."""
    version = version or current_version(options.data)
    if version is None:
        raise SnapshotError(f"no snapshot in {options.data}; run `casegraph ingest CORPUS --data "
                            f"{options.data}`")
    folder = snapshot_path(options.data, version)
    manifest = fmt.read_manifest(folder)
    if manifest.model.name != encoder.model_name:
        raise SnapshotError(f"snapshot {version} was embedded with '{manifest.model.name}' but "
                            f"the configured model is '{encoder.model_name}'; re-ingest or set "
                            "CASEGRAPH_MODEL to match")
    documents = {d.id: d for d in _records(folder, fmt.DOCUMENTS, Document)}
    sections = {s.id: s for s in _records(folder, fmt.SECTIONS, Section)}
    chunks = _records(folder, fmt.CHUNKS, Chunk)
    concepts = {c.id: c for c in _records(folder, fmt.CONCEPTS, Concept)}
    mentions: dict[str, list[Mention]] = defaultdict(list)
    sections_by_concept: dict[str, set[str]] = defaultdict(set)
    for mention in _records(folder, fmt.MENTIONS, Mention):
        mentions[mention.section_id].append(mention)
        sections_by_concept[mention.concept_id].add(mention.section_id)
    table = ChunkTable([c.section_id for c in chunks],
                       [sections[c.section_id].document_id for c in chunks],
                       section_priors(sections.values(), mentions))
    searcher = HybridSearcher(table, load_index(folder / fmt.DENSE_INDEX),
                              LexicalIndex.load(folder / fmt.LEXICAL_INDEX),
                              _query_encoder(folder, manifest, options, encoder),
                              options.candidates, options.rrf_k)
    graph = graph_from_json(fmt.read_json(folder / fmt.GRAPH))
    profiles = _profiles(folder, "concept"), _profiles(folder, "document")
    resolver = _resolver(folder, concepts, sections, searcher.encode_query)
    return Snapshot(version, folder, manifest, documents, sections, chunks, concepts,
                    dict(mentions), graph, searcher, resolver, resolver.linker,
                    dict(sections_by_concept), *profiles, _answers(folder, graph, profiles[1]))
