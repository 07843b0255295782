"""Section ranking options side by side (issue 17): quality on the gold set and cost per query.

Every option ranks the documents as the default does (studies in `results`, courses beside them,
search.kinds) and differs only in the sections each shows and their scores; the metrics are
`casegraph eval`'s (section nDCG@10 ranks the shown sections by score over the queries that do
not seek a course). Reported on those queries and on their halves split by the parity of
sha256(query id) (the section ranking's constants were chosen on the even half). Also prints
the ten queries whose section nDCG@10 changed most between the previous ranking (best chunk)
and the default.
Milliseconds are per query, in-process, the median of each query's fastest of three runs (the
query vector is cached after the first, so they time the ranking, not the encoder).

    .venv/bin/python -m bench.sections --data D [--late-interaction]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import numpy as np

from api.service import open_service
from api.settings import Settings, encoder_for
from eval.search_quality import ANSWER, K, load_queries, ndcg, recall, reciprocal_rank
from search import sections as ranking
from search.engine import DocumentHit
from search.fusion import reciprocal_rank_fusion
from search.kinds import COURSE
from search.lexical import LexicalIndex
from snapshot import format as fmt
from snapshot.build import indexed_text
from snapshot.load import Snapshot

Ranked = tuple[list[str], list[str]]  # the results, then the sections shown, by score
Option = Callable[[str], Ranked]
REPEATS = 3


def even_half(query_id: str) -> bool:
    return int(hashlib.sha256(query_id.encode()).hexdigest(), 16) % 2 == 0


def shown_documents(snap: Snapshot, query: str, boost: float,
                    section_ranking: ranking.SectionRanking = "answer",
                    per: int = 3) -> tuple[list[str], list[DocumentHit]]:
    """The results' ids, and the documents whose sections are shown (results, then courses)."""
    found = snap.search(query, K, boost=boost, sections_per_document=per,
                        section_ranking=section_ranking).ranking
    return [d.document_id for d in found.results], found.results + found.courses


def engine_option(snap: Snapshot, boost: float, section_ranking: ranking.SectionRanking,
                  by_study: bool = False) -> Option:
    """The searcher's own ranking; `by_study` lists sections document by document instead of by
    score."""
    def run(query: str) -> Ranked:
        results, shown = shown_documents(snap, query, boost, section_ranking)
        sections = [s for d in shown for s in d.sections]
        if not by_study:
            sections.sort(key=lambda s: -s.score)
        return results, [s.section_id for s in sections]
    return run


def whole_section_option(snap: Snapshot, boost: float, heading_repeats: int) -> Option:
    """Sections scored whole: RRF of the cosine to the mean of their chunk vectors and BM25 over
    title › heading path + the section's text (the heading path repeated `heading_repeats` more
    times), plus the concept boost; each study shows its best three by that score."""
    ids = list(snap.sections)
    vectors = np.load(snap.path / fmt.EMBEDDINGS)[: len(snap.chunks)]
    of_chunk = np.array([ids.index(c.section_id) for c in snap.chunks])
    means = np.zeros((len(ids), vectors.shape[1]), dtype=np.float32)
    np.add.at(means, of_chunk, vectors)
    means /= np.linalg.norm(means, axis=1, keepdims=True)
    texts = []
    for section in snap.sections.values():
        path = section.path_label
        texts.append(f"{snap.documents[section.document_id].title} › {path}\n"
                     + f"{path}\n" * heading_repeats + section.text)
    lexical = LexicalIndex.build(texts)

    def run(query: str) -> Ranked:
        results, documents = shown_documents(snap, query, boost)
        _, boosted = snap.named_concepts(query)
        dense = list(np.argsort(-(means @ snap.searcher.encode_query(query)), kind="stable"))
        fused = reciprocal_rank_fusion([dense, [r for r, _ in lexical.search(query, len(ids))]])
        score = {ids[r]: (s * 61 / 2 + boost * boosted.get(ids[r], 0.0)) / (1 + boost)
                 for r, s in fused.items()}
        shown = []
        for document in documents:
            own = sorted((s for s in score if snap.sections[s].document_id == document.document_id),
                         key=lambda s: -score[s])
            shown += own[:3]
        return results, sorted(shown, key=lambda s: -score[s])
    return run


def late_interaction_options(snap: Snapshot, boost: float, model) -> dict[str, Option]:
    """Max-sim (ColBERT's late interaction) of the query's MiniLM token embeddings against each
    chunk's, encoded here with torch and kept in memory, for every section the default matched in
    each of the first K studies; a section scores its best chunk's max-sim, alone or times its
    "answer" relevance. The query's token embeddings are encoded per query."""
    import torch

    texts = [indexed_text(snap.documents[snap.sections[c.section_id].document_id],
                          snap.sections[c.section_id], c) for c in snap.chunks]

    def token_vectors(batch: list[str]) -> list[np.ndarray]:
        found = model.encode(batch, output_value="token_embeddings", batch_size=32,
                             convert_to_numpy=False, show_progress_bar=False)
        return [torch.nn.functional.normalize(x.float(), dim=1).numpy() for x in found]

    started = time.perf_counter()
    chunks = [v.astype(np.float16) for v in token_vectors(texts)]
    print(f"late interaction: {len(texts)} chunks' token embeddings encoded in "
          f"{time.perf_counter() - started:.0f} s, {sum(v.nbytes for v in chunks) / 1e6:.0f} MB "
          "as float16")
    rows: dict[str, list[int]] = {}
    for row, chunk in enumerate(snap.chunks):
        rows.setdefault(chunk.section_id, []).append(row)

    def option(with_relevance: bool) -> Option:
        def run(query: str) -> Ranked:
            results, hits = shown_documents(snap, query, boost, per=len(snap.sections))
            tokens = token_vectors([query])[0]
            shown = []
            for hit in hits:
                score = {s.section_id: max(float((tokens @ chunks[r].T.astype(np.float32))
                                                 .max(axis=1).mean()) for r in rows[s.section_id])
                         * (s.score / hit.score if with_relevance else 1.0) for s in hit.sections}
                first = sorted(score, key=lambda s: -score[s])[:3]
                shown += [(hit.score * score[s] / score[first[0]], s) for s in first]
            return results, [s for _, s in sorted(shown, key=lambda x: -x[0])]
        return run
    return {"late interaction (max-sim) alone": option(False),
            "late interaction × answer relevance": option(True)}


def options(snap: Snapshot, boost: float) -> dict[str, Option]:
    prior_only = {"length": (ranking.LENGTH_EXPONENT, 0.0), "density": (0.0, ranking.DENSITY_EXPONENT)}
    found = {"best chunk (before)": engine_option(snap, boost, "best-chunk"),
             "answer (default)": engine_option(snap, boost, "answer"),
             "answer, sections listed study by study": engine_option(snap, boost, "answer", True)}
    for name, (length, density) in prior_only.items():
        priors = ranking.section_priors(snap.sections.values(), snap.mentions_by_section,
                                        length, density)
        found[f"answer, {name} prior only"] = with_priors(snap, priors, boost)
    found["answer, no prior (coverage only)"] = with_priors(snap, {}, boost)
    found["answer, no coverage (prior only)"] = without_coverage(engine_option(snap, boost, "answer"))
    found["whole sections: mean vector + section BM25"] = whole_section_option(snap, boost, 0)
    found["whole sections, heading path ×3 in BM25"] = whole_section_option(snap, boost, 2)
    return found


def with_priors(snap: Snapshot, priors: dict[str, float], boost: float) -> Option:
    run = engine_option(snap, boost, "answer")

    def patched(query: str) -> Ranked:
        with mock.patch.object(snap.searcher.table, "section_priors", priors):
            return run(query)
    return patched


def without_coverage(run: Option) -> Option:
    def patched(query: str) -> Ranked:
        with mock.patch.object(ranking, "COVERAGE", 0.0):
            return run(query)
    return patched


def measure(run: Option, queries: list[dict], kinds: dict[str, str]) -> dict:
    """Section nDCG@10 on `queries` and their halves; study nDCG@10 / R@3 / MRR on those with a
    grade-3 study, judged on studies only (as `casegraph eval`); ms per query."""
    ranked, times = {}, {q["id"]: [] for q in queries}
    for _ in range(REPEATS):
        for query in queries:
            started = time.perf_counter()
            ranked[query["id"]] = run(query["query"].strip())
            times[query["id"]].append(time.perf_counter() - started)
    figures: dict = {"ms": statistics.median(min(t) for t in times.values()) * 1000, "ranked": ranked}
    for half, keep in (("all", lambda _: True), ("even", even_half), ("odd", lambda i: not even_half(i))):
        chosen = [q for q in queries if keep(q["id"])]
        figures[half] = statistics.mean(ndcg(ranked[q["id"]][1], q["sections"]) for q in chosen)
    judged = [(q["id"], {d: g for d, g in q["studies"].items() if kinds[d] != COURSE})
              for q in queries]
    judged = [(i, j) for i, j in judged if any(g >= ANSWER for g in j.values())]
    figures["study"] = tuple(statistics.mean(f(ranked[i][0], j) for i, j in judged)
                             for f in (ndcg, lambda r, j: recall(r, j, 3), reciprocal_rank))
    return figures


def print_changes(before: dict, after: dict, queries: list[dict], count: int = 10) -> None:
    def change(q: dict) -> float:
        return (ndcg(after[q["id"]][1], q["sections"]) - ndcg(before[q["id"]][1], q["sections"]))
    print("\n| query | section nDCG@10 | first three sections before | after |\n| --- | --- | --- | --- |")
    for q in sorted(queries, key=lambda q: (-abs(change(q)), q["id"]))[:count]:
        shown = [", ".join(f"{s}{' (' + str(q['sections'][s]) + ')' if s in q['sections'] else ''}"
                           for s in ranked[q["id"]][1][:3]) for ranked in (before, after)]
        old, new = (ndcg(r[q["id"]][1], q["sections"]) for r in (before, after))
        print(f"| {q['id']} “{q['query']}” | {old:.2f} → {new:.2f} | {shown[0]} | {shown[1]} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="data folder (default: the settings')")
    parser.add_argument("--late-interaction", action="store_true",
                        help="also max-sim over token embeddings (encodes every chunk with torch)")
    args = parser.parse_args()
    settings = Settings(**({"data": args.data} if args.data else {}))
    encoder = encoder_for(settings)
    snap = open_service(settings, encoder).snapshot
    queries = [q for q in load_queries() if q["type"] != COURSE]  # as eval's section nDCG@10
    kinds = snap.kinds
    compared = options(snap, settings.concept_boost)
    if args.late_interaction:
        compared |= late_interaction_options(snap, settings.concept_boost, encoder.model)
    results = {name: measure(run, queries, kinds) for name, run in compared.items()}
    print(f"snapshot {snap.version}, {len(queries)} queries, query encoder {settings.query_encoder}")
    print("\n| option | study nDCG@10 / R@3 / MRR | section nDCG@10 | even half | odd half | ms per query |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, r in results.items():
        print(f"| {name} | {' / '.join(f'{v:.3f}' for v in r['study'])} | {r['all']:.3f} | "
              f"{r['even']:.3f} | {r['odd']:.3f} | {r['ms']:.2f} |")
    print_changes(results["best chunk (before)"]["ranked"], results["answer (default)"]["ranked"],
                  queries)


if __name__ == "__main__":
    main()
