"""Text-mode synthetic corpus: markdown studies whose sections are shuffled sentences of the
bundled corpus, so section lengths and vocabulary look like the real thing; then ingest and query it.

    .venv/bin/python -m bench.synthetic --sections 2000 5000
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from api.service import open_service
from api.settings import BUNDLED_CORPUS, Settings, encoder_for
from ingest.corpus import read_corpus
from snapshot.build import build_snapshot

SECTIONS_PER_STUDY = 8
SEED = 5
QUERIES = ["consistent hashing", "why did Uber leave Postgres", "token bucket vs sliding window",
           "garbage collection latency spikes", "fan-out on write", "seat locking"]


def write_corpus(root: Path, sections: int) -> None:
    """`sections` sections in studies of SECTIONS_PER_STUDY, lengths drawn from the real ones."""
    corpus = read_corpus(BUNDLED_CORPUS)
    sentences = [s for section in corpus.sections for s in re.split(r"(?<=[.!?])\s+", section.text)
                 if len(s.split()) >= 5]
    lengths = [len(section.text.split()) for section in corpus.sections]
    rng = np.random.default_rng(SEED)
    (root / "studies").mkdir(parents=True)
    for study in range(0, sections, SECTIONS_PER_STUDY):
        parts = [f"# Synthetic study {study // SECTIONS_PER_STUDY}\n"]
        for n in range(min(SECTIONS_PER_STUDY, sections - study)):
            words, body = int(rng.choice(lengths)), []
            while sum(len(s.split()) for s in body) < words:
                body.append(sentences[int(rng.integers(len(sentences)))])
            parts.append(f"## Section {n}\n\n{' '.join(body)}\n")
        (root / "studies" / f"s{study // SECTIONS_PER_STUDY:06d}.md").write_text("\n".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, nargs="+", default=[2000, 5000])
    args = parser.parse_args()
    print("| sections | chunks | ingest | texts/s | search p50 | BM25 p50 | snapshot on disk |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for sections in args.sections:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "corpus"
            write_corpus(root, sections)
            settings = Settings(data=Path(tmp) / "data", taxonomy=BUNDLED_CORPUS / "taxonomy",
                                reload_interval=0, query_cache=0)
            encoder = encoder_for(settings)
            started = time.perf_counter()
            report = build_snapshot(root, settings, encoder)
            ingest = time.perf_counter() - started
            service = open_service(settings, encoder)
            lexical = service.snapshot.searcher.lexical
            search, bm25 = [], []
            for query in QUERIES * 3:
                t = time.perf_counter()
                service.search(query, k=10)
                search.append(time.perf_counter() - t)
                t = time.perf_counter()
                lexical.search(query, 100)
                bm25.append(time.perf_counter() - t)
            size = sum(p.stat().st_size for p in report.path.rglob("*") if p.is_file())
            chunks = report.manifest.counts.chunks
            print(f"| {sections:,} | {chunks:,} | {ingest:.0f} s | {report.encoded / ingest:.0f} | "
                  f"{statistics.median(search) * 1000:.1f} ms | {statistics.median(bm25) * 1000:.2f} ms"
                  f" | {size / 2**20:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
