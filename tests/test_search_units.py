from pathlib import Path

import numpy as np
import pytest

from api.settings import BUNDLED_CORPUS
from ingest.chunking import chunk_section
from ingest.records import Section
from search.dense import build_index, load_index, save_index, search_index
from search.fusion import reciprocal_rank_fusion
from search.hashing_encoder import HashingEncoder
from search.lexical import LexicalIndex, query_tokens, tokenize
from search.onnx_encoder import MODEL_FILE, document_encoder, in_batches
from search.snippets import densest_run, query_terms, snippet


def test_rrf_matches_hand_computation():
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1]], k=60)
    assert fused[1] == 1 / 61 + 1 / 62
    assert fused[2] == 1 / 62
    assert fused[3] == 1 / 63 + 1 / 61
    assert sorted(fused, key=fused.get, reverse=True) == [1, 3, 2]


def test_rrf_weights():
    fused = reciprocal_rank_fusion([[1], [2]], k=1, weights=[2.0, 1.0])
    assert fused == {1: 1.0, 2: 0.5}


def test_in_batches_encodes_longest_first_and_answers_in_the_callers_order():
    texts = ["a b", "a b c d e f", "z", "a b c", "q r s t", "m"]
    calls: list[list[str]] = []

    def encode(batch: list[str]) -> np.ndarray:
        calls.append(batch)
        return HashingEncoder().encode(batch)

    vectors = in_batches(encode, 2, texts)
    assert calls == [["a b c d e f", "q r s t"], ["a b c", "a b"], ["z", "m"]]
    assert np.array_equal(vectors, HashingEncoder().encode(texts))


def test_documents_fall_back_to_the_model_without_a_faithful_fp32_export(tmp_path):
    model = HashingEncoder()
    for agreement, max_tokens in (({}, None), ({MODEL_FILE: 0.9998}, 256), ({MODEL_FILE: 1.0}, None)):
        assert document_encoder(model, tmp_path, agreement, max_tokens, threads=0) == model.encode


def test_exact_faiss_matches_numpy():
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(50, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    query = vectors[3] + 0.1
    hits = search_index(build_index(vectors), query.astype(np.float32), 5)
    expected = np.argsort(-(vectors @ query))[:5]
    assert [row for row, _ in hits] == expected.tolist()
    allowed = np.array([10, 20, 30])
    assert {row for row, _ in search_index(build_index(vectors), query.astype(np.float32), 5,
                                           allowed)} == {10, 20, 30}


def test_bm25_ranks_the_matching_text_first_and_honours_filters():
    texts = ["consistent hashing places keys on a ring", "garbage collection pauses stall go",
             "the ring of keys moves when hashing changes", "unrelated words only"]
    index = LexicalIndex.build(texts)
    hits = index.search("consistent hashing", 10)
    assert hits[0][0] == 0 and {row for row, _ in hits} == {0, 2}
    assert [row for row, _ in index.search("hashing", 10, np.array([2, 3]))] == [2]
    assert index.search("zzzz unknown", 10) == []


def test_chunk_windows_overlap_and_cover_the_text():
    words = [f"w{i}" for i in range(25)]
    section = Section("d#s", "d", "S", ("S",), " ".join(words), 1, "h")
    chunks = chunk_section(section, max_words=10, overlap=3)
    assert [c.id for c in chunks] == ["d#s", "d#s@2", "d#s@3", "d#s@4"]
    assert chunks[0].text.split() == words[:10] and chunks[1].text.split() == words[7:17]
    assert chunks[-1].text.split()[-1] == "w24"
    assert chunk_section(section, max_words=30, overlap=3)[0].text == section.text


def test_snippet_centres_on_query_terms():
    text = " ".join(["filler"] * 100 + ["consistent", "hashing", "rings"] + ["tail"] * 100)
    out, highlights = snippet(text, query_terms("consistent hashing"), words=20)
    assert out.startswith("…") and out.endswith("…")
    assert [out[a:b] for a, b in highlights] == ["consistent", "hashing"]


def test_snippet_of_a_short_text_is_the_whole_text_without_ellipses():
    text = "Consistent  hashing\nplaces keys on a ring."
    out, highlights = snippet(text, query_terms("hash ring"))
    assert out == "Consistent hashing places keys on a ring."
    assert [out[a:b] for a, b in highlights] == ["hashing", "ring"]


def test_snippet_offsets_survive_characters_that_lengthen_when_lowered():
    text = "İstanbul İİ riders: consistent hashing " + "filler " * 80
    out, highlights = snippet(text, query_terms("consistent hashing"))
    assert not out.startswith("…") and out.endswith("…")
    assert [out[a:b] for a, b in highlights] == ["consistent", "hashing"]


def test_densest_run_starts_where_most_hits_fall_within_the_span():
    assert densest_run([]) == 0
    assert densest_run([5, 400, 410, 420, 900], span=50) == 400


def test_query_tokens_match_the_bm25_tokenizer():
    texts = [path.read_text(encoding="utf-8") for path in sorted(BUNDLED_CORPUS.rglob("*.md"))]
    texts.append("Why did İstanbul's DNS fail? Don't re-shard, re-shard!")
    assert [query_tokens(t) for t in texts] == tokenize(texts)


def test_large_corpora_get_an_ivf_index_that_agrees_with_exact_search():
    import faiss

    rng = np.random.default_rng(3)
    topics = rng.normal(size=(40, 16))
    vectors = (topics[rng.integers(0, 40, 4000)] + rng.normal(0, 0.3, (4000, 16))).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    exact, approximate = build_index(vectors), build_index(vectors, exact_limit=1000)
    assert isinstance(exact, faiss.IndexFlatIP) and isinstance(approximate, faiss.IndexIVFFlat)
    overlap = []
    for q in vectors[:50]:
        want = {row for row, _ in search_index(exact, q, 10)}
        overlap.append(len(want & {row for row, _ in search_index(approximate, q, 10)}) / 10)
    assert np.mean(overlap) >= 0.95
    allowed = np.arange(0, 4000, 7)
    assert {row for row, _ in search_index(approximate, vectors[0], 10, allowed)} <= set(allowed)


def _anonymous_memory_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("RssAnon:")).split()[1]) / 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's /proc")
@pytest.mark.parametrize("exact_limit", [50_000, 1_000], ids=["flat", "ivf"])
def test_loaded_indexes_stay_in_the_page_cache(tmp_path, exact_limit):
    vectors = np.random.default_rng(5).normal(size=(30_000, 384)).astype(np.float32)  # 46 MB
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    built = build_index(vectors, exact_limit=exact_limit)
    save_index(built, tmp_path / "dense.faiss")
    want = [search_index(built, q, 10) for q in vectors[:20]]
    del built
    before = _anonymous_memory_mb()
    loaded = load_index(tmp_path / "dense.faiss")
    assert [search_index(loaded, q, 10) for q in vectors[:20]] == want
    assert _anonymous_memory_mb() - before < 10  # the vectors are mapped, not copied
