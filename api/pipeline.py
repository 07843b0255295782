"""corpus → ingest → graph + search indexes → a snapshot folder. The one place that wires them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from api.settings import Settings
from api.store import (
    ENCODER_DIR,
    SCHEMA_VERSION,
    clean_leftovers,
    current_version,
    new_version,
    prune,
    publish,
    read_json,
    snapshots_dir,
    staged_snapshot,
    write_json,
)
from graph.build import build_graph, graph_to_json
from graph.profiles import mean_profiles
from ingest.chunking import chunk_section
from ingest.corpus import Corpus, read_corpus
from ingest.documents import content_hash
from ingest.problems import CorpusError
from ingest.progress import NoProgress, Progress
from ingest.records import Chunk, Document, Section, to_json
from search.dense import build_index, save_index
from search.encoder import Encoder
from search.lexical import LexicalIndex
from search.onnx_encoder import AGREEMENT_FILE, export_onnx


@dataclass
class BuildReport:
    version: str
    path: Path
    manifest: dict
    problems: list[str]
    reused_embeddings: int
    encoded: int


def indexed_text(doc: Document, section: Section, chunk: Chunk) -> str:
    """What is embedded and BM25-indexed for a chunk: where it sits, then its words."""
    return f"{doc.title} › {section.path_label}\n{chunk.text}"


def _previous_embeddings(data: Path, model: str) -> dict[str, np.ndarray]:
    """Embeddings of the published snapshot keyed by text hash, when made with the same model."""
    version = current_version(data)
    if version is None:
        return {}
    folder = snapshots_dir(data) / version
    try:
        manifest = read_json(folder / "manifest.json")
        if manifest.get("schema_version") != SCHEMA_VERSION or manifest["model"]["name"] != model:
            return {}
        keys = read_json(folder / "embedding_keys.json")
        vectors = np.load(folder / "embeddings.npy", mmap_mode="r")
    except (OSError, ValueError, KeyError):
        return {}
    return {key: vectors[i] for i, key in enumerate(keys)}


def embed_texts(texts: list[str], encoder: Encoder, previous: dict[str, np.ndarray],
                 progress: Progress) -> tuple[np.ndarray, list[str], int]:
    """Vectors for `texts`, reusing `previous` ones by content hash; returns (vectors, keys, reused)."""
    keys = [content_hash(encoder.model_name, text) for text in texts]
    # Longest first, as sentence-transformers orders one call: batches of like lengths pad least.
    missing = sorted((i for i, key in enumerate(keys) if key not in previous),
                     key=lambda i: -len(texts[i]))
    progress.phase("embed", len(missing))
    fresh: dict[int, np.ndarray] = {}
    batch = max(encoder.batch_size * 4, 64)
    for start in range(0, len(missing), batch):
        rows = missing[start : start + batch]
        for row, vector in zip(rows, encoder.encode([texts[i] for i in rows]), strict=True):
            fresh[row] = vector
        progress.advance(len(rows))
    vectors = np.zeros((len(texts), encoder.dimension), dtype=np.float32)
    for i, key in enumerate(keys):
        vectors[i] = fresh[i] if i in fresh else previous[key]
    return vectors, keys, len(texts) - len(missing)


def _rows_by(chunks: list[Chunk], keys_of) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for row, chunk in enumerate(chunks):
        for key in set(keys_of(chunk)):
            groups.setdefault(key, []).append(row)
    return groups


def _onnx_encoder(data: Path, encoder: Encoder, folder: Path) -> dict:
    """The ONNX query encoder for this snapshot: linked from the published snapshot when it was
    exported from the same model, else exported and checked now."""
    version = current_version(data)
    previous = snapshots_dir(data) / version / ENCODER_DIR if version else None
    if previous is not None and (previous / AGREEMENT_FILE).is_file():
        manifest = read_json(previous.parent / "manifest.json")
        if manifest["model"]["name"] == encoder.model_name:
            folder.mkdir()
            for file in previous.iterdir():
                os.link(file, folder / file.name)
            return {"agreement": read_json(folder / AGREEMENT_FILE)}
    return {"agreement": export_onnx(encoder, folder)}


def _counts(corpus: Corpus, chunks: list[Chunk], edges: int) -> dict[str, int]:
    kinds = [d.kind for d in corpus.documents.values()]
    return {"documents": len(kinds), "studies": sum(k != "course" for k in kinds),
            "courses": kinds.count("course"), "sections": len(corpus.sections),
            "chunks": len(chunks), "concepts": len(corpus.concepts), "relations": len(corpus.relations),
            "mentions": len(corpus.mentions), "edges": edges}


def build_snapshot(corpus_dir: Path, settings: Settings, encoder: Encoder, *, strict: bool = False,
                   rebuild: bool = False, progress: Progress | None = None) -> BuildReport:
    """Ingest `corpus_dir` into a new snapshot and publish it; the previous one is untouched on error."""
    progress = progress or NoProgress()
    if not corpus_dir.is_dir():
        raise CorpusError([], f"corpus folder {corpus_dir} does not exist or is not a folder")
    data = settings.data
    data.mkdir(parents=True, exist_ok=True)
    clean_leftovers(data)
    corpus = read_corpus(corpus_dir, settings.taxonomy, settings.max_file_bytes, progress)
    problems = [str(p) for p in corpus.problems]
    if strict and corpus.problems:
        raise CorpusError(corpus.problems, f"strict ingest refused {corpus_dir}: "
                                           f"{len(corpus.problems)} problem(s); the snapshot in "
                                           "service is unchanged")
    if not corpus.documents:
        raise CorpusError(corpus.problems, f"nothing could be ingested from {corpus_dir} "
                                           f"({corpus.files_read} markdown file(s) read)")

    docs = corpus.documents
    sections = {s.id: s for s in corpus.sections}
    chunks = [c for s in corpus.sections
              for c in chunk_section(s, settings.chunk_words, settings.chunk_overlap)]
    texts = [indexed_text(docs[sections[c.section_id].document_id], sections[c.section_id], c)
             for c in chunks]
    concept_texts = {c.id: f"{c.name}: {c.description}" for c in corpus.concepts.values()
                     if c.description}
    previous = {} if rebuild else _previous_embeddings(data, encoder.model_name)
    all_vectors, keys, reused = embed_texts(texts + list(concept_texts.values()), encoder,
                                             previous, progress)
    vectors = all_vectors[: len(texts)]
    mentioned: dict[str, list[str]] = {}  # a chunk inherits its section's mentions
    for mention in corpus.mentions:
        mentioned.setdefault(mention.section_id, []).append(mention.concept_id)
    concept_ids, concept_vectors = mean_profiles(
        _rows_by(chunks, lambda c: mentioned.get(c.section_id, [])), vectors,
        dict(zip(concept_texts, all_vectors[len(texts):], strict=True)))
    document_ids, document_vectors = mean_profiles(
        _rows_by(chunks, lambda c: [sections[c.section_id].document_id]), vectors)

    graph = build_graph(docs.values(), corpus.concepts, corpus.relations, corpus.mentions,
                        {s.id: s.document_id for s in corpus.sections})
    lexical = LexicalIndex.build(texts)
    version = new_version(corpus.content_hash)
    manifest = {
        "schema_version": SCHEMA_VERSION, "version": version,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "corpus": {"path": str(corpus.root), "hash": corpus.content_hash,
                   "files_read": corpus.files_read},
        "model": {"name": encoder.model_name, "path": encoder.model_path,
                  "dimension": encoder.dimension},
        "chunking": {"words": settings.chunk_words, "overlap": settings.chunk_overlap},
        "counts": _counts(corpus, chunks, graph.number_of_edges()),
        "problems": problems,
    }
    progress.phase("write", 1)
    with staged_snapshot(data, version) as folder:
        write_json(folder / "documents.json", [to_json(d) for d in docs.values()])
        write_json(folder / "sections.json", [to_json(s) for s in corpus.sections])
        write_json(folder / "chunks.json", [to_json(c) for c in chunks])
        write_json(folder / "concepts.json", [to_json(c) for c in corpus.concepts.values()])
        write_json(folder / "mentions.json", [to_json(m) for m in corpus.mentions])
        write_json(folder / "graph.json", graph_to_json(graph))
        write_json(folder / "embedding_keys.json", keys)
        np.save(folder / "embeddings.npy", all_vectors)
        write_json(folder / "concept_vector_ids.json", concept_ids)
        np.save(folder / "concept_vectors.npy", concept_vectors)
        write_json(folder / "document_vector_ids.json", document_ids)
        np.save(folder / "document_vectors.npy", document_vectors)
        save_index(build_index(vectors), folder / "dense.faiss")
        (folder / "bm25").mkdir()
        lexical.save(folder / "bm25")
        manifest["query_encoder"] = _onnx_encoder(data, encoder, folder / ENCODER_DIR)
        write_json(folder / "manifest.json", manifest)
    publish(data, version)
    prune(data, settings.keep_snapshots)
    progress.advance()
    return BuildReport(version, snapshots_dir(data) / version, manifest, problems, reused,
                       len(keys) - reused)
