"""Gold-set evaluation of related concepts and recommendations: precision@5 per signal blend.

The default blends are read from the snapshot's stored answers, as the API serves them; the
others are computed on the fly with the same code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from graph.build import node_id
from graph.related import RelatedScorer
from snapshot.load import Snapshot

GOLD = Path(__file__).resolve().parent / "graph_judgments.yaml"
AT = 5

RELATED_BLENDS = {
    "taxonomy": {"taxonomy": 1.0},
    "cooccurrence": {"cooccurrence": 1.0},
    "embedding": {"embedding": 1.0},
    "taxonomy+cooccurrence": {"taxonomy": 0.5, "cooccurrence": 0.5},
    "all (default)": None,
}
RECOMMEND_BLENDS = {
    "graph": ({"graph": 1.0}, 1.0),
    "content": ({"content": 1.0}, 1.0),
    "graph+content": (None, 1.0),
    "graph+content+mmr (default)": (None, None),
}


@dataclass
class BlendScore:
    name: str
    precision: float
    judged: int


def precision_at(found: list[str], expected: set[str], k: int = AT) -> float:
    return sum(1 for item in found[:k] if item in expected) / k


def _concept_node(snap: Snapshot, concept_id: str) -> str:
    return node_id(snap.concepts[concept_id].type, concept_id)


def evaluate_related(snap: Snapshot, judgments: list[dict]) -> list[BlendScore]:
    scorer = RelatedScorer(snap.graph, snap.concept_similarities)
    scores = []
    for name, weights in RELATED_BLENDS.items():
        values = []
        for judgment in judgments:
            node = _concept_node(snap, judgment["concept"])
            found = (snap.answers.related(node, AT) if weights is None
                     else scorer.explained(node, scorer.scored(node, weights=weights)[:AT]))
            values.append(precision_at([snap.graph.nodes[r.node]["id"] for r in found],
                                       set(judgment["expected"])))
        scores.append(BlendScore(name, sum(values) / len(values), len(values)))
    return scores


def evaluate_recommendations(snap: Snapshot, judgments: list[dict]) -> list[BlendScore]:
    scores = []
    for name, (weights, lam) in RECOMMEND_BLENDS.items():
        kwargs = {k: v for k, v in {"weights": weights, "mmr_lambda": lam}.items() if v is not None}
        values = []
        for judgment in judgments:
            read = judgment.get("read") or [judgment["study"]]
            seeds = [node_id("study", s) for s in read]
            found = (snap.answers.recommend(seeds, AT) if not kwargs
                     else snap.answers.recommender.recommend(seeds, AT, **kwargs))
            values.append(precision_at([snap.graph.nodes[r.node]["id"] for r in found],
                                       set(judgment["expected"])))
        scores.append(BlendScore(name, sum(values) / len(values), len(values)))
    return scores


def evaluate_graph(snap: Snapshot, gold: Path = GOLD) -> dict[str, list[BlendScore]]:
    judgments = yaml.safe_load(gold.read_text(encoding="utf-8"))
    return {"related": evaluate_related(snap, judgments["related"]),
            "recommendations": evaluate_recommendations(snap, judgments["recommendations"])}
