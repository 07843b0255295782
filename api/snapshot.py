"""A snapshot loaded into memory: records, graph and a ready searcher. Immutable once loaded."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np

from api.settings import Settings
from api.store import (
    ENCODER_DIR,
    SnapshotError,
    current_version,
    read_json,
    read_manifest,
    snapshots_dir,
)
from graph.build import graph_from_json
from graph.profiles import ProfileIndex
from ingest.linker import Linker, surface_key
from ingest.records import Chunk, Concept, Document, Mention, Section
from search.dense import load_index
from search.encoder import Encoder
from search.engine import ChunkTable, HybridSearcher
from search.lexical import LexicalIndex
from search.onnx_encoder import INT8_FILE, MODEL_FILE, OnnxEncoder


def _profiles(folder: Path, kind: str) -> ProfileIndex:
    return ProfileIndex(read_json(folder / f"{kind}_vector_ids.json"),
                        np.load(folder / f"{kind}_vectors.npy"))


def _tuples(record: dict) -> dict:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in record.items()}


@dataclass
class Snapshot:
    version: str
    path: Path
    manifest: dict
    documents: dict[str, Document]
    sections: dict[str, Section]
    chunks: list[Chunk]
    concepts: dict[str, Concept]
    mentions_by_section: dict[str, list[Mention]]
    graph: nx.DiGraph
    searcher: HybridSearcher
    surface_index: dict[str, str] = field(default_factory=dict)  # surface key → concept id
    linker: Linker | None = None
    sections_by_concept: dict[str, set[str]] = field(default_factory=dict)
    concept_profiles: ProfileIndex | None = None
    document_profiles: ProfileIndex | None = None
    themes: list[dict] | None = None  # filled on first use

    @property
    def counts(self) -> dict[str, int]:
        return self.manifest["counts"]

    def concept_at(self, node: str) -> Concept:
        """The concept (or course) record behind a graph node."""
        return self.concepts[self.graph.nodes[node]["id"]]

    def document_at(self, node: str) -> Document:
        """The study or course record behind a graph node."""
        return self.documents[self.graph.nodes[node]["id"]]


def load_snapshot(settings: Settings, encoder: Encoder, version: str | None = None) -> Snapshot:
    """Load the published (or the named) snapshot; refuse one of another schema or model."""
    data = settings.data
    version = version or current_version(data)
    if version is None:
        raise SnapshotError(f"no snapshot in {data}; run `casegraph ingest CORPUS --data {data}`")
    folder = snapshots_dir(data) / version
    manifest = read_manifest(folder)
    if manifest["model"]["name"] != encoder.model_name:
        raise SnapshotError(f"snapshot {version} was embedded with '{manifest['model']['name']}' but "
                            f"the configured model is '{encoder.model_name}'; re-ingest or set "
                            "CASEGRAPH_MODEL to match")
    documents = {d["id"]: Document(**_tuples(d)) for d in read_json(folder / "documents.json")}
    sections = {s["id"]: Section(**_tuples(s)) for s in read_json(folder / "sections.json")}
    chunks = [Chunk(**c) for c in read_json(folder / "chunks.json")]
    concepts = {c["id"]: Concept(**_tuples(c)) for c in read_json(folder / "concepts.json")}
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for m in read_json(folder / "mentions.json"):
        mentions[m["section_id"]].append(Mention(**m))
    table = ChunkTable([c.section_id for c in chunks],
                       [sections[c.section_id].document_id for c in chunks])
    encode_query = encoder.encode_query
    wanted = {"onnx-int8": [INT8_FILE, MODEL_FILE], "onnx": [MODEL_FILE]}.get(
        settings.query_encoder, [])
    available = [name for name in wanted if (folder / ENCODER_DIR / name).is_file()]
    if available:  # else the snapshot has no faithful export: sentence-transformers encodes
        # One short query gains nothing from a second int8 thread (0.77 vs 1.19 ms measured).
        threads = 1 if available[0] == INT8_FILE else 0
        encode_query = OnnxEncoder(folder / ENCODER_DIR, settings.query_cache, threads,
                                   model_file=available[0]).encode_query
    searcher = HybridSearcher(table, load_index(folder / "dense.faiss"),
                              LexicalIndex.load(folder / "bm25"), encode_query, settings.candidates,
                              settings.rrf_k)
    surface_index = {}
    for concept in concepts.values():
        for form in (concept.name, *concept.aliases):
            surface_index.setdefault(surface_key(form), concept.id)
    sections_by_concept: dict[str, set[str]] = defaultdict(set)
    for section_mentions in mentions.values():
        for mention in section_mentions:
            sections_by_concept[mention.concept_id].add(mention.section_id)
    return Snapshot(version, folder, manifest, documents, sections, chunks, concepts,
                    dict(mentions), graph_from_json(read_json(folder / "graph.json")), searcher,
                    surface_index, Linker(concepts.values()), dict(sections_by_concept),
                    _profiles(folder, "concept"), _profiles(folder, "document"))
