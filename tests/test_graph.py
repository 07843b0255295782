import math

import networkx as nx
import pytest

from graph import recommend
from graph.build import build_graph, graph_from_json, graph_to_json
from graph.learning import Lesson, learning_path
from graph.paths import documents_of, typed_path
from graph.ppr import DAMPING, PPRSolver, ppr_table, ranking_matrix
from graph.recommend import Recommender
from graph.related import MIN_SHARED_DOCUMENTS, TaxonomyEdge, npmi, related_concepts
from ingest.corpus import read_corpus

from .conftest import TINY


@pytest.fixture(scope="module")
def corpus():
    return read_corpus(TINY)


@pytest.fixture(scope="module")
def graph(corpus):
    return build_graph(corpus.documents.values(), corpus.concepts, corpus.relations,
                       corpus.mentions, {s.id: s.document_id for s in corpus.sections})


def test_typed_nodes_and_edges(graph):
    kinds = nx.get_node_attributes(graph, "kind")
    assert kinds["study:gc-rewrite"] == "study" and kinds["course:databases-101"] == "course"
    assert kinds["technology:rust"] == "technology" and kinds["company:discord"] == "company"
    assert kinds["category:databases"] == "category"
    assert graph.edges["study:gc-rewrite", "technology:rust"]["type"] == "uses"
    assert graph.edges["study:gc-rewrite", "company:discord"]["type"] == "about"
    assert graph.edges["study:shop-shards", "company:acme"]["type"] == "about"  # from `company: Acme`
    assert graph.edges["course:databases-101", "pattern:sharding"]["type"] == "teaches"
    assert graph.edges["course:databases-101", "study:shop-shards"]["type"] == "features"
    assert graph.edges["pattern:consistent-hashing", "pattern:sharding"]["type"] == "related_to"


def test_edges_keep_mention_evidence(graph, corpus):
    edge = graph.edges["study:shop-shards", "pattern:consistent-hashing"]
    assert edge["curated"] and edge["mentions"] == 2
    sections = {s.id: s for s in corpus.sections}
    for evidence in edge["evidence"]:
        text = sections[evidence["section"]].text
        assert text[evidence["start"]:evidence["end"]] == evidence["surface"]
    # mentioned in text but not in frontmatter: linked, uncurated, lighter
    cap = graph.edges["study:url-design", "pattern:cap-theorem"]
    assert not cap["curated"] and cap["mentions"] == 1 and cap["weight"] < edge["weight"]


def test_json_round_trip(graph):
    again = graph_from_json(graph_to_json(graph))
    assert nx.utils.graphs_equal(graph, again)


def test_npmi_reference_values():
    assert npmi(2, 2, 2, 4) == pytest.approx(1.0)
    assert npmi(2, 2, 1, 4) == pytest.approx(0.0)
    assert npmi(3, 3, 1, 4) == pytest.approx(math.log((1 / 4) / (9 / 16)) / -math.log(1 / 4))
    assert npmi(1, 1, 0, 4) == 0.0


def test_related_explains_edges_and_shared_documents(graph):
    results = related_concepts(graph, "pattern:sharding", k=5)
    by_node = {r.node: r for r in results}
    hashing = by_node["pattern:consistent-hashing"]
    assert hashing.breakdown["taxonomy"] > 0 and hashing.breakdown["cooccurrence"] > 0
    assert hashing.why.edges == (TaxonomyEdge("pattern:consistent-hashing", "pattern:sharding",
                                              "related_to"),)
    shared = {d.id for d in hashing.why.shared_documents}
    assert shared == {"shop-shards", "url-design"}
    assert len(shared) >= MIN_SHARED_DOCUMENTS
    assert "applied together in" in hashing.why.summary
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert all(r.node != "pattern:sharding" for r in results)


def test_typed_path_agrees_with_networkx(graph):
    hops = typed_path(graph, "study:url-design", "pattern:replication")
    expected = nx.shortest_path_length(graph.to_undirected(), "study:url-design",
                                       "pattern:replication")
    assert hops is not None and len(hops) == expected
    assert hops[0].source == "study:url-design" and hops[-1].target == "pattern:replication"
    for hop in hops:
        edge = (hop.source, hop.target) if hop.forward else (hop.target, hop.source)
        assert graph.edges[edge]["type"] == hop.type
    assert typed_path(graph, "study:gc-rewrite", "pattern:sharding") is None  # not connected
    assert typed_path(graph, "study:gc-rewrite", "missing") is None


def networkx_ppr(graph: nx.DiGraph, seeds: list[str], tol: float = 1e-14) -> dict[str, float]:
    """The reference: networkx.pagerank on an undirected, weighted copy, started at the seeds,
    iterated (with `tol`) until it converges to the fixed point."""
    undirected = nx.Graph()
    undirected.add_nodes_from(graph.nodes)
    for a, b, data in graph.edges(data=True):
        undirected.add_edge(a, b, weight=data.get("weight", 1.0))
    personalization = {n: (1.0 if n in seeds else 0.0) for n in graph.nodes}
    return nx.pagerank(undirected, alpha=DAMPING, personalization=personalization,
                       nstart=personalization, weight="weight", tol=tol, max_iter=10_000)


def small_graph() -> nx.DiGraph:
    """A random weighted graph with an isolated node, a self-loop and an edge both ways."""
    import random

    rng = random.Random(3)
    g = nx.DiGraph()
    g.add_nodes_from(f"n{i}" for i in range(12))
    for _ in range(25):
        g.add_edge(f"n{rng.randrange(11)}", f"n{rng.randrange(11)}", weight=rng.uniform(0.1, 2))
    g.add_edge("n2", "n2", weight=0.5)
    g.add_edge("n1", "n0", weight=3.0)
    g.add_edge("n0", "n1", weight=0.2)
    for i in range(3):  # studies, one of them isolated
        g.add_node(f"s{i}", kind="study")
    g.add_edge("s0", "n3", weight=1.0)
    g.add_edge("s1", "n3", weight=0.5)
    g.add_edge("s1", "s0", weight=0.7)  # a study linked to a study
    nx.set_node_attributes(g, {n: d.get("kind", "pattern") for n, d in g.nodes(data=True)}, "kind")
    return g


@pytest.mark.parametrize("which", ["tiny", "small"])
def test_ppr_with_scipy_equals_networkx_pagerank(graph, which):
    g = graph if which == "tiny" else small_graph()
    seeds = [[n] for n in list(g.nodes)[:6]] + [list(g.nodes)[:3], [list(g.nodes)[-1]]]
    seeds += [["s0"], ["s2"], ["s1", "n5"]] if which == "small" else [["study:shop-shards"]]
    matrix = ranking_matrix(g)
    columns = PPRSolver(matrix, g).columns(seeds)
    for j, group in enumerate(seeds):
        expected = networkx_ppr(g, group)
        assert columns[:, j] == pytest.approx([expected[n] for n in matrix.nodes], abs=1e-12)


def test_history_ranking_is_the_mean_of_per_study_vectors(graph):
    table = ppr_table(graph)
    seeds = ["study:shop-shards", "study:url-design", "course:databases-101"]
    found, combined = table.combined(seeds)
    singles = [networkx_ppr(graph, [s]) for s in seeds]
    joint = networkx_ppr(graph, seeds)
    studies = [table.studies[c] for c in found]
    assert set(studies) == {n for n in table.studies if joint[n] > 0}
    assert combined == pytest.approx([sum(v[n] for v in singles) / 3 for n in studies], abs=1e-12)
    assert combined == pytest.approx([joint[n] for n in studies], abs=1e-12)
    default = networkx_ppr(graph, seeds, tol=1e-6)  # networkx's own tolerance: close, not equal
    assert combined == pytest.approx([default[n] for n in studies], rel=1e-3)


def test_recommendations_rank_by_personalized_pagerank_and_skip_seeds(graph):
    recommender = Recommender.build(graph, None)
    picks = recommender.recommend(["study:shop-shards"], k=5)
    assert [p.node for p in picks][0] == "study:url-design"
    ranks = networkx_ppr(graph, ["study:shop-shards"])
    assert [p.node for p in picks] == sorted((p.node for p in picks), key=lambda n: -ranks[n])
    assert all(p.node.startswith("study:") and p.node != "study:shop-shards" for p in picks)
    assert "Sharding" in picks[0].why.summary
    # gc-rewrite shares nothing with either: it is not offered as a recommendation
    assert recommender.recommend(["study:shop-shards", "study:url-design"], k=5) == []


def test_a_history_is_recommended_from_its_best_candidates_by_graph_proximity(graph, monkeypatch):
    recommender = Recommender.build(graph, None)
    seeds = ["course:databases-101"]
    picks = recommender.recommend(seeds, k=5)
    assert len(picks) >= 2
    ranks = networkx_ppr(graph, seeds)
    best = min((n for n in recommender.ppr.studies if n not in seeds and ranks[n] > 0),
               key=lambda n: (-ranks[n], n))
    monkeypatch.setattr(recommend, "CANDIDATES", 1)
    assert [p.node for p in recommender.recommend(seeds, k=5)] == [best]


def test_documents_of(graph):
    assert set(documents_of(graph, "pattern:sharding")) == {
        "study:shop-shards", "study:url-design", "course:databases-101"}


def test_learning_path_orders_prerequisites_and_skips_known(graph):
    steps = learning_path(graph, "pattern:cap-theorem")
    assert [s.node for s in steps] == ["pattern:replication", "pattern:cap-theorem"]
    assert steps[0].why == "needed before CAP theorem" and steps[1].why == "the goal"
    assert steps[0].study == "shop-shards"
    assert steps[0].lesson == Lesson("databases-101", "Databases 101",
                                     "databases-101#lesson-1-replication")
    assert [s.node for s in learning_path(graph, "pattern:cap-theorem",
                                             {"pattern:replication"})] == ["pattern:cap-theorem"]


def test_learning_path_is_a_topological_order_on_a_chain():
    chain = nx.DiGraph()
    for name in "abcd":
        chain.add_node(name, kind="pattern", id=name, name=name.upper())
    for later, first in [("d", "c"), ("c", "b"), ("c", "a"), ("b", "a")]:
        chain.add_edge(later, first, type="prerequisite", weight=1.0, evidence=[])
    assert [s.node for s in learning_path(chain, "d")] == ["a", "b", "c", "d"]


def test_themes_are_deterministic_pattern_communities(graph):
    from graph.themes import themes

    first, again = themes(graph), themes(graph)
    assert first == again and first
    for theme in first:
        assert all(graph.nodes[p]["kind"] == "pattern" for p in theme.patterns)
        assert theme.label.split(" · ")[0] == graph.nodes[theme.patterns[0]]["name"]


@pytest.mark.parametrize("fmt", ["graphml", "json", "neo4j"])
def test_exports_round_trip(graph, tmp_path, fmt):
    import csv

    from graph.export import export_graph

    written = export_graph(graph, fmt, tmp_path / f"graph.{fmt}")
    if fmt == "graphml":
        back = nx.read_graphml(written[0])
        assert set(back.nodes) == set(graph.nodes) and back.number_of_edges() == graph.number_of_edges()
    elif fmt == "json":
        assert nx.utils.graphs_equal(graph_from_json(__import__("json").loads(written[0].read_text())),
                                     graph)
    else:
        nodes = list(csv.DictReader(written[0].open()))
        edges = list(csv.DictReader(written[1].open()))
        assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()
        assert "LOAD CSV" in written[2].read_text()


def test_typed_path_picks_the_same_of_equally_short_paths_whatever_the_hash_seed():
    import subprocess
    import sys

    code = ("import networkx as nx; from graph.paths import typed_path\n"
            "g = nx.DiGraph()\n"
            "for mid in ('m-alpha', 'm-beta', 'm-gamma', 'm-delta', 'm-epsilon'):\n"
            "    g.add_edge('start', mid, type='x'); g.add_edge('goal', mid, type='y')\n"
            "print([h.target for h in typed_path(g, 'start', 'goal')])")
    paths = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={**__import__("os").environ, "PYTHONHASHSEED": seed}
                            ).stdout for seed in ("1", "2", "3", "4")}
    assert paths == {"['m-alpha', 'goal']\n"}  # the first middle node in the graph's own order
