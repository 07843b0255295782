"""The answers stored at ingest equal the on-the-fly computation (the reference) on the tiny
corpus, and history recommendations are combined from the stored per-study vectors."""

import pytest

from graph.answers import NEIGHBOURHOOD_LIMIT, RECOMMENDATIONS_STORED, RELATED_STORED
from graph.layout import neighbourhood
from graph.learning import learning_path
from graph.recommend import Recommender
from graph.related import (
    EMBEDDING_CANDIDATES,
    RelatedScorer,
    concept_nodes,
    embedding_signal,
    related_concepts,
)
from graph.themes import themes
from ingest.records import CONCEPT_TYPES


@pytest.fixture(scope="module")
def snap(tiny_service):
    return tiny_service.snapshot


def asked(snap) -> list[str]:
    nodes = concept_nodes(snap.graph) + [n for n in snap.graph if n.startswith("course:")]
    assert len(nodes) >= 10
    return nodes


def test_related_and_neighbourhoods_equal_the_reference(snap):
    """The reference explains every listed concept in full, as ingest did before; the stored
    lists keep the reasons in words, the documents listed and a path's middle node, and a
    request looks up the rest for what it shows."""
    similarity = snap.concept_similarities
    for node in asked(snap):
        stored = snap.answers.data["related"][node]
        assert all(len(entry) == 6 and isinstance(entry[-1], str) for rows in stored["lists"].values()
                   for entry in rows)  # other, score, three signals, the reasons in words
        for kind in (None, *CONCEPT_TYPES):
            expected = related_concepts(snap.graph, node, RELATED_STORED, kind, similarity)
            assert snap.answers.related(node, RELATED_STORED, kind) == expected
            assert snap.answers.related(node, 3, kind) == expected[:3]
        for limit in (NEIGHBOURHOOD_LIMIT, 2, 9):
            assert snap.answers.neighbourhood(node, limit) == neighbourhood(snap.graph, node, limit,
                                                                            similarity)


def test_the_scorers_embedding_signal_equals_the_reference(snap):
    scorer = RelatedScorer(snap.graph, snap.concept_similarities)
    for node in asked(snap):
        for kind in (None, *CONCEPT_TYPES):
            members = scorer.pools.get(kind, [])
            pool = [c for c in members if c != node]
            expected = embedding_signal(dict(zip(pool, snap.concept_similarities(node, pool).tolist(),
                                                 strict=True)))
            signal, nearest = scorer.embedding(node, kind)
            assert {c: float(signal[members.index(c)]) for c in pool} == expected
            assert nearest == sorted(expected, key=lambda c: -expected[c])[:EMBEDDING_CANDIDATES]


def test_learning_paths_and_themes_equal_the_reference(snap):
    for node in asked(snap):
        full = learning_path(snap.graph, node)
        assert snap.answers.learning_path(node) == full
        known = {full[0].node}
        assert snap.answers.learning_path(node, known) == learning_path(snap.graph, node, known)
    assert snap.answers.themes == themes(snap.graph)


def test_stored_recommendations_equal_the_combined_ones(snap):
    recommender = Recommender.build(snap.graph, snap.document_profiles)
    documents = list(recommender.ppr.rows)
    for document in documents:
        for k in (1, RECOMMENDATIONS_STORED, RECOMMENDATIONS_STORED + 5):
            assert snap.answers.recommend([document], k) == recommender.recommend([document], k)
    history = documents[:3]
    assert snap.answers.recommend(history, 5) == recommender.recommend(history, 5)
    assert all(r.node not in history for r in recommender.recommend(history, 5))


def test_stored_sizes_cover_the_api_limits():
    import inspect

    from api.limits import LIMITS
    from api.routes import concept_neighbourhood
    from graph.answers import NEIGHBOUR_DOCUMENTS

    assert RELATED_STORED >= LIMITS.k and NEIGHBOUR_DOCUMENTS >= LIMITS.neighbourhood
    default = inspect.signature(concept_neighbourhood).parameters["limit"].default
    assert default == NEIGHBOURHOOD_LIMIT
