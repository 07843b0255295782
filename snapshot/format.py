"""The snapshot on disk: one table of its files, the schema version and the typed manifest.

A snapshot folder holds plain files, written by `snapshot.build` and read by `snapshot.load`:
    manifest.json                Manifest: schema, model, corpus hash, counts (written last)
    documents.json … mentions.json   the ingest records, one JSON list each
    graph.json                   the concept graph (networkx node-link JSON)
    embedding_keys.json          content hash of every embedded text, row by row
    embeddings.npy               chunk vectors, then concept-description, then concept-name vectors
    {concept,document}_vector_ids.json / _vectors.npy   embedding profiles of graph nodes
    concept_name_vector_ids.json / concept_name_vectors.npy   each concept's name, embedded, for
                                 the resolver's semantic match
    dense.faiss                  the FAISS index over chunk vectors
    bm25/                        the bm25s index over the same chunks
    answers.json                 graph answers computed at ingest: related concepts per concept and
                                 type, neighbourhood layouts, learning paths, themes, and each
                                 document's first recommendations (graph/answers.py)
    layouts.json                 the neighbourhood layouts of answers.json by a hash of their input
                                 graph (graph/layout.py), which the next ingest reuses
    section_terms.json           each section's discovery cues and phrases by a hash of the
                                 section and the ingest code (ingest/section_terms.py), likewise
    ppr.npz / ppr_nodes.json     each document's top personalized-PageRank scores over studies
                                 (a scipy CSR matrix), and the nodes of its rows and columns
    encoder/                     the ONNX query encoders (when the model could be exported)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, ValidationError

from snapshot.errors import SnapshotError

SCHEMA_VERSION = 8  # 2: profiles; 3: section markdown; 4: int8 encoder; 5: encoder facts in manifest;
# 6: concept name vectors, 7: graph answers and the PPR table, 8: related reasons partly looked up per request

MANIFEST = "manifest.json"
DOCUMENTS = "documents.json"
SECTIONS = "sections.json"
CHUNKS = "chunks.json"
CONCEPTS = "concepts.json"
MENTIONS = "mentions.json"
GRAPH = "graph.json"
EMBEDDING_KEYS = "embedding_keys.json"
EMBEDDINGS = "embeddings.npy"
DENSE_INDEX = "dense.faiss"
LEXICAL_INDEX = "bm25"
QUERY_ENCODER = "encoder"
ANSWERS = "answers.json"
LAYOUTS = "layouts.json"
SECTION_TERMS = "section_terms.json"
PPR = "ppr.npz"
PPR_NODES = "ppr_nodes.json"


def profile_files(kind: str) -> tuple[str, str]:
    """The ids file and the vectors file of one kind of embedding profile ("concept", "document"),
    or of the concept names ("concept_name")."""
    return f"{kind}_vector_ids.json", f"{kind}_vectors.npy"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CorpusInfo(_Frozen):
    path: str
    hash: str
    files_read: int


class ModelInfo(_Frozen):
    name: str
    path: str
    dimension: int


class Chunking(_Frozen):
    words: int
    overlap: int


class Counts(_Frozen):
    documents: int
    studies: int
    courses: int
    sections: int
    chunks: int
    concepts: int
    relations: int
    mentions: int
    edges: int


class QueryEncoderInfo(_Frozen):
    """The ONNX exports kept in `encoder/`, each with its worst cosine to sentence-transformers
    (empty when the model could not be exported faithfully), and the tokens a query is cut to."""

    agreement: dict[str, float] = {}
    max_tokens: int | None = None


class Manifest(_Frozen):
    schema_version: int
    version: str
    created: str
    corpus: CorpusInfo
    model: ModelInfo
    chunking: Chunking
    counts: Counts
    problems: tuple[str, ...]
    query_encoder: QueryEncoderInfo


def write_json(path: Path, data: Any) -> None:
    """Compact UTF-8 JSON (orjson: the graph answers of a large corpus are tens of MB)."""
    path.write_bytes(orjson.dumps(data, default=str, option=orjson.OPT_NON_STR_KEYS))


def read_json(path: Path) -> Any:
    return orjson.loads(path.read_bytes())


def write_manifest(folder: Path, manifest: Manifest) -> None:
    write_json(folder / MANIFEST, manifest.model_dump(mode="json"))


def read_manifest(folder: Path) -> Manifest:
    """The manifest of a snapshot folder; refused when of another schema or malformed."""
    try:
        data = read_json(folder / MANIFEST)
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"snapshot {folder.name} has no readable {MANIFEST}: {exc}") from exc
    found = data.get("schema_version") if isinstance(data, dict) else None
    if found != SCHEMA_VERSION:
        raise SnapshotError(f"snapshot {folder.name} has schema version {found}, this casegraph reads "
                            f"{SCHEMA_VERSION}; rebuild it with `casegraph ingest --rebuild`")
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise SnapshotError(f"snapshot {folder.name}: {MANIFEST} field '{field}': {first['msg']}; "
                            "rebuild it with `casegraph ingest --rebuild`") from exc
