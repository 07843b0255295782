"""txtai as a peer: the same chunk texts, model and gold queries, side by side with casegraph.

txtai is installed only for this benchmark (`make bench-peer` installs it into .venv).
Both index exactly the texts casegraph embeds (title › heading path, then the chunk); txtai's
chunk hits are rolled up to studies the same way casegraph's are (a study scores its best chunk).

    .venv/bin/python -m bench.peer_txtai
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from api.service import open_service
from api.settings import BUNDLED_CORPUS, Settings, encoder_for
from eval.search_quality import DEFAULT_METHOD, evaluate_method, load_queries, methods, ndcg, recall
from snapshot.build import build_snapshot, indexed_text

CANDIDATES = 100


def txtai_rankings(embeddings, table: list[str], queries: list[dict]) -> tuple[dict, list[float]]:
    ranked, times = {}, []
    for query in queries:
        started = time.perf_counter()
        hits = embeddings.search(query["query"], CANDIDATES)
        times.append(time.perf_counter() - started)
        studies: list[str] = []
        for row, _ in hits:
            if table[int(row)] not in studies:
                studies.append(table[int(row)])
        ranked[query["id"]] = studies[:10]
    return ranked, times


def main() -> None:
    from txtai import Embeddings

    queries = load_queries()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data=Path(tmp), reload_interval=0, query_cache=0)
        encoder = encoder_for(settings)
        started = time.perf_counter()
        build_snapshot(BUNDLED_CORPUS, settings, encoder, rebuild=True)
        ours_index_s = time.perf_counter() - started
        service = open_service(settings, encoder)
        snap = service.snapshot
        texts = [indexed_text(snap.documents[snap.sections[c.section_id].document_id],
                              snap.sections[c.section_id], c) for c in snap.chunks]
        table = [snap.sections[c.section_id].document_id for c in snap.chunks]
        ours = {m.name: evaluate_method(snap, m, queries) for m in methods(settings.concept_boost)}
        ours_times = []
        for query in queries:
            t = time.perf_counter()
            service.search(query["query"], k=10)
            ours_times.append(time.perf_counter() - t)
    print("| system | index time | query p50 | nDCG@10 | R@3 |\n| --- | --- | --- | --- | --- |")
    default = ours[DEFAULT_METHOD]
    print(f"| casegraph ({DEFAULT_METHOD}, full ingest) | {ours_index_s:.1f} s | "
          f"{statistics.median(ours_times) * 1000:.1f} ms | {default.ndcg10:.3f} | "
          f"{default.recall3:.3f} |")
    for hybrid in (False, True):
        embeddings = Embeddings(path=encoder.model_path, hybrid=hybrid, content=False)
        started = time.perf_counter()
        embeddings.index([(i, text, None) for i, text in enumerate(texts)])
        index_s = time.perf_counter() - started
        ranked, times = txtai_rankings(embeddings, table, queries)
        scores = [ndcg(ranked[q["id"]], q["studies"]) for q in queries]
        recalls = [recall(ranked[q["id"]], q["studies"], 3) for q in queries]
        print(f"| txtai ({'hybrid' if hybrid else 'dense'}, index only) | {index_s:.1f} s | "
              f"{statistics.median(times) * 1000:.1f} ms | {sum(scores) / len(scores):.3f} | "
              f"{sum(recalls) / len(recalls):.3f} |")


if __name__ == "__main__":
    main()
