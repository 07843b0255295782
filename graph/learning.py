"""Learning paths: a concept's prerequisites in an order a learner can follow."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.paths import documents_of


@dataclass(frozen=True)
class Lesson:
    """The course section that teaches a concept best."""

    course: str
    title: str
    section: str | None


@dataclass(frozen=True)
class LearningStep:
    node: str
    study: str | None  # the study id that applies the concept most
    lesson: Lesson | None
    why: str


def prerequisite_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """Edges "learn first → then": the reverse of the taxonomy's `prerequisite` edges."""
    order = nx.DiGraph()
    order.add_edges_from((target, source) for source, target, data in graph.edges(data=True)
                         if data["type"] == "prerequisite")
    return order


def _best_document(graph: nx.DiGraph, node: str, kind: str) -> tuple[str, dict] | None:
    linked = {d: data for d, data in documents_of(graph, node).items() if graph.nodes[d]["kind"] == kind}
    if not linked:
        return None
    best = max(sorted(linked), key=lambda d: (linked[d]["weight"], linked[d]["mentions"]))
    return best, linked[best]


def _lesson(graph: nx.DiGraph, node: str) -> Lesson | None:
    """The course section that mentions the concept most, in the course that teaches it best."""
    found = _best_document(graph, node, "course")
    if found is None:
        return None
    course, edge = found
    counts = edge["sections"]
    section = max(sorted(counts), key=counts.get) if counts else None
    return Lesson(graph.nodes[course]["id"], graph.nodes[course]["name"], section)


def learning_path(graph: nx.DiGraph, node: str, known: set[str] = frozenset(),
                  order: nx.DiGraph | None = None) -> list[LearningStep]:
    """Every prerequisite of `node` (transitively) then `node` itself, in topological order
    (ties broken by name), skipping `known` nodes; each step with a study and a lesson.
    `order` is `prerequisite_graph(graph)`, when the caller asks about many nodes."""
    order = prerequisite_graph(graph) if order is None else order
    needed = (nx.ancestors(order, node) if node in order else set()) | {node}
    plan = (nx.lexicographical_topological_sort(order.subgraph(needed),
                                                key=lambda n: graph.nodes[n]["name"].lower())
            if node in order else [node])
    steps = []
    for step in plan:
        if step in known:
            continue
        study = _best_document(graph, step, "study")
        why = ("the goal" if step == node else "needed before " + ", ".join(
            sorted(graph.nodes[n]["name"] for n in order.successors(step) if n in needed)))
        steps.append(LearningStep(step, graph.nodes[study[0]]["id"] if study else None,
                                  _lesson(graph, step), why))
    return steps
