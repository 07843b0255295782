"""corpus → ingest → graph + search indexes → a snapshot folder: assemble the records, then write.

The one place that wires the stages below the API together. An ingest holds the data folder's
lock, writes into a staging folder and publishes only a complete snapshot. Where the texts are
encoded is a BatchEncoder's business: here, by default, or on a cluster (snapshot.cluster).
"""

from __future__ import annotations

import gc
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.answers import compute_answers
from graph.build import build_graph, graph_to_json
from graph.layout import Layouts, Positions
from graph.ppr import PPRTable
from graph.profiles import ProfileIndex, mean_profiles
from graph.recommend import Recommender
from ingest.chunking import chunk_section
from ingest.corpus import Corpus, read_corpus
from ingest.enrich import with_discovered
from ingest.problems import CorpusError
from ingest.progress import NoProgress, Progress
from ingest.records import Chunk, Document, Section, to_json
from ingest.resolver import name_text
from ingest.section_terms import SectionTerms
from search.dense import build_index, save_index
from search.encoder import Encoder, SentenceTransformerEncoder
from search.lexical import LexicalIndex
from search.onnx_encoder import document_encoder, export_onnx
from snapshot import format as fmt
from snapshot.embeddings import BatchEncoder, LocalBatches, embed_texts, published_embeddings
from snapshot.errors import SnapshotError
from snapshot.options import BuildOptions
from snapshot.store import (
    TMP_PREFIX,
    clean_leftovers,
    current_version,
    ingest_lock,
    new_version,
    prune,
    publish,
    snapshot_path,
    snapshots_dir,
    staged_snapshot,
)

Profiles = tuple[list[str], np.ndarray]


@dataclass(frozen=True)
class BuildReport:
    version: str
    path: Path
    manifest: fmt.Manifest
    reused_embeddings: int
    encoded: int


@dataclass(frozen=True)
class Records:
    """Everything a snapshot holds, assembled in memory before any file is written."""

    corpus: Corpus
    chunks: list[Chunk]
    graph: nx.DiGraph
    embedding_keys: list[str]
    embeddings: np.ndarray  # one row per chunk, then one per described concept, one per concept name
    concept_profiles: Profiles
    document_profiles: Profiles
    name_vectors: Profiles  # each concept's name_text, for the resolver
    lexical: LexicalIndex
    reused: int
    answers: dict  # graph/answers.py
    ppr: PPRTable
    layouts: dict[str, Positions]  # the neighbourhood layouts by layout_key, for the next ingest


def graph_answers(graph: nx.DiGraph, concept_profiles: Profiles, document_profiles: Profiles,
                  layouts: Layouts | None = None) -> tuple[dict, PPRTable]:
    """The graph work of an ingest: the stored answers (laid out through `layouts`) and the PPR
    table."""
    recommender = Recommender.build(graph, ProfileIndex(*document_profiles))
    similarity = ProfileIndex(*concept_profiles).node_similarities(graph.nodes)
    return compute_answers(graph, similarity, recommender, layouts), recommender.ppr


def published_kept(data: Path, name: str) -> dict:
    """What the published snapshot kept for the next ingest in file `name` (layouts.json,
    section_terms.json), by key; {} for none."""
    version = current_version(data)
    if version is None:
        return {}
    try:
        return fmt.read_json(snapshot_path(data, version) / name)
    except (OSError, ValueError):  # a snapshot from before the file, or a damaged one
        return {}


def indexed_text(doc: Document, section: Section, chunk: Chunk) -> str:
    """What is embedded and BM25-indexed for a chunk: where it sits, then its words."""
    return f"{doc.title} › {section.path_label}\n{chunk.text}"


def chunk_texts(corpus: Corpus, chunks: list[Chunk]) -> list[str]:
    """The indexed text of each chunk, in order: what an ingest embeds first."""
    sections = {s.id: s for s in corpus.sections}
    return [indexed_text(corpus.documents[sections[c.section_id].document_id],
                         sections[c.section_id], c) for c in chunks]


def concept_embedded(corpus: Corpus) -> tuple[dict[str, str], dict[str, str]]:
    """What an ingest embeds after the chunks, in this order: the text of each concept that has
    a description and each concept's name (for the resolver), by concept id."""
    concepts = corpus.concepts.values()
    return ({c.id: f"{c.name}: {c.description}" for c in concepts if c.description},
            {c.id: name_text(c) for c in concepts})


def read_checked(corpus_dir: Path, options: BuildOptions, strict: bool,
                 progress: Progress) -> Corpus:
    """The corpus as read (concepts not yet discovered), or CorpusError when it is missing,
    empty, or (strict) has any problem."""
    if not corpus_dir.is_dir():
        raise CorpusError([], f"corpus folder {corpus_dir} does not exist or is not a folder")
    corpus = read_corpus(corpus_dir, options.taxonomy, options.max_file_bytes, progress,
                         tuple(options.tag_keys))
    if strict and corpus.problems:
        raise CorpusError(corpus.problems, f"strict ingest refused {corpus_dir}: "
                                           f"{len(corpus.problems)} problem(s); the snapshot in "
                                           "service is unchanged")
    if not corpus.documents:
        raise CorpusError(corpus.problems, f"nothing could be ingested from {corpus_dir} "
                                           f"({corpus.files_read} markdown file(s) read)")
    return corpus


def discovered(corpus: Corpus, options: BuildOptions, progress: Progress,
               kept: SectionTerms | None = None) -> Corpus:
    """`corpus` with its discovered concepts and its mentions found again (when `options`
    discover), reading sections' cues and phrases through `kept`."""
    return with_discovered(corpus, progress, kept)[0] if options.discover else corpus


def _rows_by(chunks: list[Chunk], keys_of) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for row, chunk in enumerate(chunks):
        for key in set(keys_of(chunk)):
            groups.setdefault(key, []).append(row)
    return groups


def assemble(corpus: Corpus, options: BuildOptions, encoder: Encoder, previous: dict,
             batches: BatchEncoder, progress: Progress, layouts: Layouts | None = None,
             kept: SectionTerms | None = None) -> Records:
    """Discovered concepts, chunks, embeddings, embedding profiles, the graph, its answers and
    the BM25 index of a corpus as read; `previous` embeddings, `layouts` and sections' terms
    (`kept`) a previous snapshot lends are reused.

    Chunks do not depend on the concepts, so discovery runs in a thread while they are encoded
    (it holds the GIL, the encoder mostly does not); it reports no progress of its own."""
    sections = {s.id: s for s in corpus.sections}
    chunks = [c for s in corpus.sections
              for c in chunk_section(s, options.chunk_words, options.chunk_overlap)]
    texts = chunk_texts(corpus, chunks)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="discovery") as pool:
        discovering = pool.submit(discovered, corpus, options, NoProgress(), kept)
        chunk_vectors, chunk_keys, chunks_reused = embed_texts(texts, encoder, previous, batches,
                                                               progress)
        corpus = discovering.result()
    docs = corpus.documents
    described, names = concept_embedded(corpus)
    concept_vectors, concept_keys, concepts_reused = embed_texts(
        list(described.values()) + list(names.values()), encoder, previous, batches, progress)
    embeddings = np.concatenate([chunk_vectors, concept_vectors])
    keys, reused = chunk_keys + concept_keys, chunks_reused + concepts_reused
    vectors = embeddings[: len(texts)]
    name_vectors = (list(names), embeddings[len(embeddings) - len(names):])
    mentioned: dict[str, list[str]] = {}  # a chunk inherits its section's mentions
    for mention in corpus.mentions:
        mentioned.setdefault(mention.section_id, []).append(mention.concept_id)
    concept_profiles = mean_profiles(
        _rows_by(chunks, lambda c: mentioned.get(c.section_id, [])), vectors,
        dict(zip(described, embeddings[len(texts): len(texts) + len(described)], strict=True)))
    document_profiles = mean_profiles(
        _rows_by(chunks, lambda c: [sections[c.section_id].document_id]), vectors)
    graph = build_graph(docs.values(), corpus.concepts, corpus.relations, corpus.mentions,
                        {s.id: s.document_id for s in corpus.sections})
    layouts = layouts or Layouts()
    answers, ppr = graph_answers(graph, concept_profiles, document_profiles, layouts)
    return Records(corpus, chunks, graph, keys, embeddings, concept_profiles, document_profiles,
                   name_vectors, LexicalIndex.build(texts), reused, answers, ppr, layouts.used)


def write_records(folder: Path, records: Records) -> None:
    """Every file of the snapshot table but the manifest and the query encoder."""
    corpus = records.corpus
    for name, items in ((fmt.DOCUMENTS, corpus.documents.values()), (fmt.SECTIONS, corpus.sections),
                        (fmt.CHUNKS, records.chunks), (fmt.CONCEPTS, corpus.concepts.values()),
                        (fmt.MENTIONS, corpus.mentions)):
        fmt.write_json(folder / name, [to_json(item) for item in items])
    fmt.write_json(folder / fmt.GRAPH, graph_to_json(records.graph))
    fmt.write_json(folder / fmt.ANSWERS, records.answers)
    fmt.write_json(folder / fmt.LAYOUTS, records.layouts)
    sp.save_npz(folder / fmt.PPR, records.ppr.scores, compressed=False)
    fmt.write_json(folder / fmt.PPR_NODES, {"rows": list(records.ppr.rows),
                                            "studies": list(records.ppr.studies)})
    fmt.write_json(folder / fmt.EMBEDDING_KEYS, records.embedding_keys)
    np.save(folder / fmt.EMBEDDINGS, records.embeddings)
    for kind, (ids, vectors) in (("concept", records.concept_profiles),
                                 ("document", records.document_profiles),
                                 ("concept_name", records.name_vectors)):
        ids_file, vectors_file = fmt.profile_files(kind)
        fmt.write_json(folder / ids_file, ids)
        np.save(folder / vectors_file, vectors)
    save_index(build_index(records.embeddings[: len(records.chunks)]), folder / fmt.DENSE_INDEX)
    (folder / fmt.LEXICAL_INDEX).mkdir()
    records.lexical.save(folder / fmt.LEXICAL_INDEX)


@contextmanager
def query_export(data: Path, encoder: Encoder) -> Iterator[tuple[Path, fmt.QueryEncoderInfo]]:
    """The ONNX export of `encoder`'s model for this snapshot's queries (and document batches):
    the published snapshot's when it was exported from the same model, else one exported and
    checked now into a temporary folder beside the snapshots, which the next ingest removes if
    this one dies (sentence-transformers only; no files otherwise)."""
    version = current_version(data)
    if version is not None:
        previous = snapshot_path(data, version)
        try:
            manifest = fmt.read_manifest(previous)
        except SnapshotError:
            manifest = None
        if manifest and manifest.model.name == encoder.model_name and manifest.query_encoder.agreement:
            yield previous / fmt.QUERY_ENCODER, manifest.query_encoder
            return
    snapshots_dir(data).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=TMP_PREFIX, dir=snapshots_dir(data)) as tmp:
        folder = Path(tmp) / fmt.QUERY_ENCODER
        export = export_onnx(encoder, folder) if isinstance(encoder, SentenceTransformerEncoder) \
            else None
        yield folder, (fmt.QueryEncoderInfo() if export is None else fmt.QueryEncoderInfo(
            agreement=export.agreement, max_tokens=export.max_tokens))


def write_query_encoder(export: Path, info: fmt.QueryEncoderInfo, folder: Path) -> None:
    """The export's files in the snapshot, hard-linked (one copy on disk per model)."""
    if not info.agreement:
        return
    folder.mkdir()
    for file in export.iterdir():
        os.link(file, folder / file.name)


def local_batches(encoder: Encoder, export: Path, info: fmt.QueryEncoderInfo) -> LocalBatches:
    """Encoding in this process, with the fp32 export where it is faithful, else the model."""
    return LocalBatches(document_encoder(encoder, export, info.agreement, info.max_tokens,
                                         threads=0))


def _counts(records: Records) -> fmt.Counts:
    corpus = records.corpus
    kinds = [d.kind for d in corpus.documents.values()]
    return fmt.Counts(documents=len(kinds), studies=sum(k != "course" for k in kinds),
                      courses=kinds.count("course"), sections=len(corpus.sections),
                      chunks=len(records.chunks), concepts=len(corpus.concepts),
                      relations=len(corpus.relations), mentions=len(corpus.mentions),
                      edges=records.graph.number_of_edges())


def describe(records: Records, version: str, options: BuildOptions, encoder: Encoder,
             query_encoder: fmt.QueryEncoderInfo) -> fmt.Manifest:
    corpus = records.corpus
    return fmt.Manifest(
        schema_version=fmt.SCHEMA_VERSION, version=version,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        corpus=fmt.CorpusInfo(path=str(corpus.root), hash=corpus.content_hash,
                              files_read=corpus.files_read),
        model=fmt.ModelInfo(name=encoder.model_name, path=encoder.model_path,
                            dimension=encoder.dimension),
        chunking=fmt.Chunking(words=options.chunk_words, overlap=options.chunk_overlap),
        counts=_counts(records), problems=tuple(str(p) for p in corpus.problems),
        query_encoder=query_encoder)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the block: an ingest makes millions of short-lived
    objects, and each full collection walks every live one (the corpus, the model), which cost
    about a fifth of a re-ingest of corpus/. The cycles the block leaves wait for the next
    collection after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_snapshot(corpus_dir: Path, options: BuildOptions, encoder: Encoder, *,
                   strict: bool = False, rebuild: bool = False, progress: Progress | None = None,
                   batches: BatchEncoder | None = None) -> BuildReport:
    """Ingest `corpus_dir` into a new snapshot and publish it; the previous one is untouched on
    error. The texts to embed go to `batches` (default: encoded here). IngestRunning when
    another ingest into the same data folder is running."""
    progress = progress or NoProgress()
    data = options.data
    with ingest_lock(data), collector_paused():
        clean_leftovers(data)
        section_terms = SectionTerms({} if rebuild else published_kept(data, fmt.SECTION_TERMS))
        corpus = read_checked(corpus_dir, options, strict, progress)
        previous = {} if rebuild else published_embeddings(data, encoder.model_name)
        layouts = Layouts({} if rebuild else published_kept(data, fmt.LAYOUTS))
        with query_export(data, encoder) as (export, query_encoder):
            records = assemble(corpus, options, encoder, previous,
                               batches or local_batches(encoder, export, query_encoder), progress,
                               layouts, section_terms)
            version = new_version(corpus.content_hash)
            progress.phase("write", 1)
            with staged_snapshot(data, version) as folder:
                write_records(folder, records)
                fmt.write_json(folder / fmt.SECTION_TERMS, section_terms.used)
                write_query_encoder(export, query_encoder, folder / fmt.QUERY_ENCODER)
                manifest = describe(records, version, options, encoder, query_encoder)
                fmt.write_manifest(folder, manifest)
        publish(data, version)
        prune(data, options.keep_snapshots)
        progress.advance()
    return BuildReport(version, snapshot_path(data, version), manifest, records.reused,
                       len(records.embedding_keys) - records.reused)
