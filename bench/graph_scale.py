"""`make bench-graph-scale`: the graph answers on synthetic corpora of 1k, 10k and 100k studies.

Each synthetic study copies a real study of the bundled corpus (its concept links with their
types, curated flags, mention counts and weights, its category and company), with 30% of its
concepts swapped for concepts drawn by how many real studies link them; the real concepts, their
taxonomy relations and the courses are kept. Embedding profiles are random: a unit vector per
concept, a study the normalised mean of its concepts' plus noise. Evidence is cut to two spans
per link to bound memory.

Per size: the graph work of an ingest (`graph_answers`: PPR table, related concepts, layouts,
learning paths, themes, recommendations) against the encoder time the same corpus would need
(chunks per document of the bundled corpus × documents ÷ texts per second, measured on the
bundled corpus's chunks in this run); snapshot load time and memory of the graph files; and the
per-request cost of each stored answer. Above --exact documents, personalized PageRank and the
per-document recommendations run on a sample of --sample documents and are extrapolated, and the
stored table is filled to full size by repeating the sampled rows (so load and requests see
full-size data).

    .venv/bin/python -m bench.graph_scale [--sizes 1000 10000 100000] [--sample 512]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np
import psutil
import scipy.sparse as sp

from api.settings import BUNDLED_CORPUS, Settings, encoder_for
from graph.answers import RECOMMENDATIONS_STORED, StoredAnswers, compute_answers
from graph.build import build_graph, graph_from_json, graph_to_json
from graph.ppr import STORED_STUDIES, PPRTable, ppr_table
from graph.profiles import ProfileIndex
from graph.recommend import Recommender
from ingest.chunking import chunk_section
from ingest.corpus import read_corpus
from snapshot import format as fmt
from snapshot.build import graph_answers

CONCEPT_KINDS = ("pattern", "technology", "company")
SWAP = 0.3
SEED = 5
REQUESTS = 60
RESULTS = Path(__file__).parent / "results" / "graph_scale.json"


def real_corpus() -> tuple[nx.DiGraph, list[str]]:
    corpus = read_corpus(BUNDLED_CORPUS)
    graph = build_graph(corpus.documents.values(), corpus.concepts, corpus.relations,
                        corpus.mentions, {s.id: s.document_id for s in corpus.sections})
    docs = corpus.documents
    chunks = [f"{docs[s.document_id].title} › {s.path_label}\n{c.text}" for s in corpus.sections
              for c in chunk_section(s, Settings().chunk_words, Settings().chunk_overlap)]
    return graph, chunks


def synthetic_graph(real: nx.DiGraph, studies: int, rng: np.random.Generator) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from((n, d) for n, d in real.nodes(data=True) if d["kind"] != "study")
    graph.add_edges_from((a, b, d) for a, b, d in real.edges(data=True)
                         if a in graph and b in graph)
    templates = [n for n, d in real.nodes(data=True) if d["kind"] == "study"]
    concepts = [n for n, d in real.nodes(data=True) if d["kind"] in CONCEPT_KINDS]
    popularity = np.array([real.in_degree(c) + 1 for c in concepts], dtype=float)
    draws = iter(rng.choice(len(concepts), size=studies * 40, p=popularity / popularity.sum()))
    for i, t in enumerate(rng.integers(0, len(templates), studies)):
        template, node = templates[t], f"study:s{i}"
        graph.add_node(node, **{**real.nodes[template], "id": f"s{i}", "name": f"Study {i}"})
        for target, data in real.succ[template].items():
            kind = real.nodes[target]["kind"]
            if kind == "study":
                continue
            if kind in CONCEPT_KINDS and rng.random() < SWAP:
                target = concepts[next(draws)]
            if not graph.has_edge(node, target):
                evidence = [{**e, "section": f"s{i}#{e['section'].split('#')[-1]}"}
                            for e in data["evidence"][:2]]
                graph.add_edge(node, target, **{**data, "evidence": evidence, "sections": {}})
    return graph


def profiles(graph: nx.DiGraph, rng: np.random.Generator) -> tuple[tuple, tuple]:
    concepts = [n for n, d in graph.nodes(data=True) if d["kind"] not in ("study", "category")]
    vectors = rng.normal(size=(len(concepts), 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    row = {c: i for i, c in enumerate(concepts)}
    docs = [n for n, d in graph.nodes(data=True) if d["kind"] in ("study", "course")]
    doc_vectors = np.zeros((len(docs), 384), dtype=np.float32)
    for i, doc in enumerate(docs):
        linked = [row[t] for t in graph.successors(doc) if t in row]
        doc_vectors[i] = vectors[linked].mean(axis=0) if linked else 0
    doc_vectors += rng.normal(scale=0.02, size=doc_vectors.shape).astype(np.float32)
    doc_vectors /= np.linalg.norm(doc_vectors, axis=1, keepdims=True)
    return (([graph.nodes[c]["id"] for c in concepts], vectors),
            ([graph.nodes[d]["id"] for d in docs], doc_vectors))


def timed(fn, *args):
    started = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - started


def fill(table: PPRTable, answers: dict, documents: list[str]) -> PPRTable:
    """The sampled table and recommendations repeated to one row per document."""
    sampled = list(table.rows)
    rows = [table.rows[sampled[i % len(sampled)]] for i in range(len(documents))]
    recs = answers["recommendations"]
    answers["recommendations"] = {d: recs[sampled[i % len(sampled)]] for i, d in enumerate(documents)}
    return PPRTable({d: i for i, d in enumerate(documents)}, table.studies,
                    sp.csr_array(table.scores[rows]))


def p50_ms(fn, args: list) -> float:
    times = []
    for a in args:
        started = time.perf_counter()
        fn(*a)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(real: nx.DiGraph, studies: int, sample: int, exact: int, texts_per_s: float,
            chunks_per_doc: float) -> dict:
    rng = np.random.default_rng(SEED)
    graph = synthetic_graph(real, studies, rng)
    concept_profiles, document_profiles = profiles(graph, rng)
    documents = [n for n, d in graph.nodes(data=True) if d["kind"] in ("study", "course")]
    picked = documents if len(documents) <= exact else list(rng.choice(documents, sample, False))
    table, ppr_s = timed(ppr_table, graph, STORED_STUDIES, picked)
    recommender = Recommender.build(graph, ProfileIndex(*document_profiles), table)
    similarity = ProfileIndex(*concept_profiles).node_similarities(graph.nodes)
    answers, answers_s = timed(compute_answers, graph, similarity, recommender)
    _, recs_s = timed(lambda: [recommender.recommend([d], RECOMMENDATIONS_STORED) for d in picked])
    scale = len(documents) / len(picked)
    graph_work_s = answers_s - recs_s + (ppr_s + recs_s) * scale
    table = fill(table, answers, documents)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        fmt.write_json(folder / fmt.GRAPH, graph_to_json(graph))
        fmt.write_json(folder / fmt.ANSWERS, answers)
        sp.save_npz(folder / fmt.PPR, table.scores, compressed=False)
        sizes = {f: os.path.getsize(folder / f) for f in (fmt.GRAPH, fmt.ANSWERS, fmt.PPR)}
        before = psutil.Process().memory_info().rss
        started = time.perf_counter()
        loaded = graph_from_json(fmt.read_json(folder / fmt.GRAPH))
        stored = StoredAnswers(loaded, fmt.read_json(folder / fmt.ANSWERS), Recommender.build(
            loaded, ProfileIndex(*document_profiles),
            PPRTable(table.rows, table.studies, sp.csr_array(sp.load_npz(folder / fmt.PPR)))))
        load_s = time.perf_counter() - started
        memory = psutil.Process().memory_info().rss - before
    concepts = [c for c in stored.data["related"] if not c.startswith("course:")]
    asked = [concepts[i] for i in rng.integers(0, len(concepts), REQUESTS)]
    seeds = [str(picked[i]) for i in rng.integers(0, len(picked), REQUESTS)]
    histories = [[str(picked[i]) for i in rng.integers(0, len(picked), 10)] for _ in range(20)]
    encoder_s = chunks_per_doc * len(documents) / texts_per_s
    return {"studies": studies, "documents": len(documents), "edges": loaded.number_of_edges(),
            "sampled_documents": len(picked), "ppr_s": ppr_s * scale,
            "graph_work_s": graph_work_s, "encoder_s": encoder_s,
            "graph_over_encoder": graph_work_s / encoder_s, "load_s": load_s,
            "load_memory_mb": memory / 2**20, "file_mb": {k: v / 2**20 for k, v in sizes.items()},
            "request_p50_ms": {
                "related": p50_ms(stored.related, [(c, 10) for c in asked]),
                "neighbourhood": p50_ms(stored.neighbourhood, [(c, 24) for c in asked]),
                "learning_path": p50_ms(stored.learning_path, [(c,) for c in asked]),
                "themes": p50_ms(lambda: stored.themes, [()] * 20),
                "recommendations": p50_ms(stored.recommend, [([s], 5) for s in seeds]),
                "history_10": p50_ms(stored.recommend, [(h, 5) for h in histories])}}


def texts_per_second(chunks: list[str]) -> float:
    encoder = encoder_for(Settings())
    encoder.encode(chunks[:8])
    texts = chunks[:256]
    _, seconds = timed(encoder.encode, texts)
    return len(texts) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--sample", type=int, default=512)
    parser.add_argument("--exact", type=int, default=2000, help="documents up to which PPR is "
                                                                "computed for every document")
    parser.add_argument("--texts-per-second", type=float, help="skip measuring the encoder")
    args = parser.parse_args()
    real, chunks = real_corpus()
    real_docs = sum(1 for _, d in real.nodes(data=True) if d["kind"] in ("study", "course"))
    rate = args.texts_per_second or texts_per_second(chunks)
    rows = [measure(real, n, args.sample, args.exact, rate, len(chunks) / real_docs)
            for n in args.sizes]
    rng = np.random.default_rng(SEED)
    _, bundled_s = timed(graph_answers, real, *profiles(real, rng))
    bundled = {"graph_work_s": bundled_s, "encoder_s": len(chunks) / rate,
               "graph_over_encoder": bundled_s / (len(chunks) / rate)}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"texts_per_second": rate, "bundled": bundled, "sizes": rows},
                                  indent=2))
    print(f"encoder: {rate:.1f} texts/s, {len(chunks) / real_docs:.1f} chunks per document; "
          f"bundled corpus: graph work {bundled_s:.1f} s, {bundled['graph_over_encoder']:.3f}× "
          f"the encoder time of its chunks ({bundled['encoder_s']:.0f} s)\n")
    names = list(rows[0]["request_p50_ms"])
    print("| studies | edges | graph work at ingest | encoder (est.) | ratio | load | memory | "
          + " | ".join(names) + " |")
    print("| --- " * (7 + len(names)) + "|")
    for r in rows:
        print(f"| {r['studies']:,} | {r['edges']:,} | {r['graph_work_s']:.1f} s | "
              f"{r['encoder_s']:.0f} s | {r['graph_over_encoder']:.3f} | {r['load_s']:.1f} s | "
              f"{r['load_memory_mb']:.0f} MB | "
              + " | ".join(f"{r['request_p50_ms'][n]:.3f} ms" for n in names) + " |")


if __name__ == "__main__":
    main()
