"""The context pack: the token budget, excerpts, shared concepts and relations; the token counter."""

from __future__ import annotations

from pathlib import Path

import pytest
from tokenizers import Tokenizer, models, pre_tokenizers, processors

from api.context_pack import MIN_SHARE_OF_BEST, context_pack, token_counter
from api.errors import InvalidParameter
from api.service import open_service
from snapshot.build import build_snapshot

from .conftest import TINY, make_settings

QUESTION = "how to shard a database with consistent hashing"


def pack(service, question: str = QUESTION, budget: int = 2000):
    return context_pack(service, question, budget)


def counter_of(service):
    snap = service.snapshot
    return token_counter(snap.path, snap.manifest.model.name, snap.manifest.model.path)


@pytest.mark.parametrize("budget", [20, 40, 120, 2000])
def test_the_sections_fit_the_budget_as_counted(tiny_service, budget):
    found = pack(tiny_service, budget=budget)
    count = counter_of(tiny_service).count
    assert found.sections and found.tokens <= budget
    assert found.tokens == sum(s.tokens for s in found.sections)
    assert all(s.tokens == count(s.text) for s in found.sections)
    assert all(s.text == tiny_service.snapshot.sections[s.id].text for s in found.sections)


def test_a_larger_budget_packs_more_sections_best_first(tiny_service):
    sizes = [len(pack(tiny_service, budget=b).sections) for b in (40, 80, 2000)]
    assert sizes[0] < sizes[1] < sizes[2]
    best = pack(tiny_service, budget=120).sections
    assert [s.id for s in best[:2]] == ["shop-shards#choosing-a-shard-key",
                                        "url-design#component-deep-dive-key-generation"]
    assert best[0].study.id == "shop-shards" and best[0].heading_path == ["Choosing a Shard Key"]
    assert [s.score for s in best] == sorted((s.score for s in best), reverse=True)


def test_the_tail_of_the_ranking_stays_out_whatever_the_budget(tiny_service):
    found = pack(tiny_service, budget=2000)
    best = found.sections[0].score
    assert found.tokens < 2000 and all(s.score >= best * MIN_SHARE_OF_BEST for s in found.sections)
    assert "gc-rewrite" not in {s.study.id for s in found.sections}  # GC pauses, not sharding


def test_weak_match_follows_the_search_rule(tiny_data, hashing_encoder):
    strict = open_service(make_settings(tiny_data, weak_match_similarity=0.99), hashing_encoder)
    for question, weak in ((QUESTION, False), ("chocolate cake recipe", True)):  # names no concept
        assert pack(strict, question).weak_match is weak
        assert strict.search(question, k=1).weak_match is weak


def test_shared_concepts_and_the_relations_among_them(tiny_service):
    found = pack(tiny_service, budget=120)
    packed = {s.id: s.text for s in found.sections}
    shared = {c.id: c.sections for c in found.concepts}
    assert set(shared) == {"cap-theorem", "consistent-hashing", "sharding"}
    assert all(len(ids) >= 2 and set(ids) <= set(packed) for ids in shared.values())
    assert [(r.source, r.target, r.type) for r in found.relations] == [
        ("consistent-hashing", "sharding", "related_to")]


def test_a_section_too_long_for_the_budget_left_comes_as_its_best_window(tmp_path, hashing_encoder):
    data = tmp_path / "data"
    build_snapshot(TINY, make_settings(data, chunk_words=20, chunk_overlap=5), hashing_encoder)
    service = open_service(make_settings(data), hashing_encoder)
    found = pack(service, "key generation service codes consistent hashing", budget=25)
    first = found.sections[0]
    whole = service.snapshot.sections[first.id].text
    assert first.id == "url-design#component-deep-dive-key-generation"
    assert first.excerpt and first.text in whole and first.tokens <= 25 < len(whole.split())
    assert found.tokens <= 25


def test_an_empty_question_is_refused(tiny_service):
    with pytest.raises(InvalidParameter, match="the question is empty") as refused:
        pack(tiny_service, "  ")
    assert refused.value.details.field == "question"


def _tokenizer_json(folder: Path) -> Path:
    """A WordPiece tokenizer that adds special tokens and truncates to 3, as model exports do."""
    vocab = {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "un": 3, "##happi": 4, "##ness": 5, "shard": 6,
             "##ing": 7}
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 1), ("[SEP]", 2)])
    tokenizer.enable_truncation(3)
    folder.mkdir(parents=True)
    tokenizer.save(str(folder / "tokenizer.json"))
    return folder


def test_tokens_are_counted_with_the_models_tokenizer_in_full(tmp_path):
    snapshot = tmp_path / "snapshot"
    _tokenizer_json(snapshot / "encoder")
    counter = token_counter(snapshot, "some-model", "")
    assert counter.name == "some-model tokenizer"
    assert counter.count("unhappiness sharding") == 5  # un ##happi ##ness shard ##ing


def test_the_model_folder_tokenizer_serves_when_the_snapshot_has_none(tmp_path):
    model = _tokenizer_json(tmp_path / "model")
    counter = token_counter(tmp_path / "snapshot", "some-model", str(model))
    assert counter.count("sharding") == 2


def test_a_model_without_a_tokenizer_counts_words(tmp_path, tiny_service):
    counter = counter_of(tiny_service)
    assert counter.name == "words" and counter.count("unhappiness  sharding\nnow") == 3
    assert token_counter(tmp_path, "hashing-256", "").name == "words"


@pytest.mark.slow
def test_the_real_models_tokenizer_counts_word_pieces(model_tiny_data, model_encoder):
    service = open_service(make_settings(model_tiny_data), model_encoder)
    found = pack(service, budget=200)
    assert found.tokenizer == f"{model_encoder.model_name} tokenizer"
    assert found.tokens <= 200 and found.sections
    assert counter_of(service).count("unhappiness") > 1
