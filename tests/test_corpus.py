"""The bundled corpus validates and covers every entry of both seed catalogs."""

import re
from pathlib import Path

import pytest

from api.settings import BUNDLED_CORPUS
from ingest.surface import surface_key
from ingest.validate import validate_corpus

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_COMPANIES = ("Discord", "Shopify", "Notion", "GitHub", "Netflix", "Slack", "Uber",
                  "System Design Interview")


@pytest.fixture(scope="module")
def report():
    return validate_corpus(BUNDLED_CORPUS)


@pytest.fixture(scope="module")
def titles():
    from ingest.corpus import read_corpus

    corpus = read_corpus(BUNDLED_CORPUS)
    return {surface_key(t) for d in corpus.documents.values() for t in (d.title, *d.also_titles)}


def test_bundled_corpus_is_valid(report):
    assert report.problems == []
    counts = report.counts
    assert counts["studies"] >= 42 and 8 <= counts["courses"] <= 12
    assert counts["patterns"] >= 100 and counts["companies"] >= 7


def catalog_a_titles() -> list[str]:
    lines = [line.strip() for line in (SEEDS / "000_2df0bf0f7ca1c1a3.txt").read_text().splitlines()
             if line.strip()]
    return [lines[i + 1] for i, line in enumerate(lines[:-1]) if line in SEED_COMPANIES]


def catalog_b_titles() -> list[str]:
    rows = re.findall(r"^\| \d\d \| \[(.+?)\]\(.+?\) \| (.+?) \|$",
                      (SEEDS / "004_d026ea366e67aec5.txt").read_text(), flags=re.M)
    return [f"{system}: {focus}" for system, focus in rows]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repo")
def test_every_seed_entry_has_its_study(titles):
    a, b = catalog_a_titles(), catalog_b_titles()
    assert len(a) == 25 and len(b) == 24
    missing = [t for t in a + b if surface_key(t) not in titles]
    assert missing == []
