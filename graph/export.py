"""Exports for the tools people already use: GraphML (Gephi), node-link JSON, Neo4j CSV + Cypher."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx

from graph.build import graph_to_json

FORMATS = ("graphml", "json", "neo4j")
NODE_LABELS = {"study": "Study", "course": "Course", "pattern": "Pattern",
               "technology": "Technology", "company": "Company", "category": "Category"}
NEO4J_LOAD = """// Load casegraph's export into Neo4j (plain Cypher, no plugins):
// put nodes.csv and edges.csv in Neo4j's import folder, then run this file.
CREATE CONSTRAINT casegraph_node IF NOT EXISTS FOR (n:Node) REQUIRE n.key IS UNIQUE;
LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
MERGE (n:Node {key: row.key}) SET n.kind = row.kind, n.id = row.id, n.name = row.name;
LOAD CSV WITH HEADERS FROM 'file:///edges.csv' AS row
MATCH (a:Node {key: row.source}), (b:Node {key: row.target})
MERGE (a)-[r:LINK {type: row.type}]->(b)
SET r.weight = toFloat(row.weight), r.curated = row.curated = 'true',
    r.mentions = toInteger(row.mentions);
""" + "".join(f"MATCH (n:Node {{kind: '{kind}'}}) SET n:{label};\n"
              for kind, label in NODE_LABELS.items())


def _flat(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy whose attribute values are all GraphML scalars (lists and maps become JSON text)."""
    flat = nx.DiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: v for k, v in data.items() if v is not None})
    for a, b, data in graph.edges(data=True):
        flat.add_edge(a, b, **{k: json.dumps(v) if isinstance(v, list | dict) else v
                               for k, v in data.items() if v is not None})
    return flat


def export_graph(graph: nx.DiGraph, fmt: str, out: Path) -> list[Path]:
    """Write the graph in `fmt` to `out` (a file, or a folder for neo4j); return the files."""
    if fmt == "graphml":
        nx.write_graphml(_flat(graph), out)
        return [out]
    if fmt == "json":
        out.write_text(json.dumps(graph_to_json(graph), ensure_ascii=False, indent=1))
        return [out]
    if fmt != "neo4j":
        raise ValueError(f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    with (out / "nodes.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["key", "kind", "id", "name"])
        for node, data in graph.nodes(data=True):
            writer.writerow([node, data["kind"], data["id"], data["name"]])
    with (out / "edges.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["source", "target", "type", "weight", "curated", "mentions"])
        for a, b, data in graph.edges(data=True):
            writer.writerow([a, b, data["type"], data["weight"], str(data["curated"]).lower(),
                             data["mentions"]])
    (out / "load.cypher").write_text(NEO4J_LOAD)
    return [out / "nodes.csv", out / "edges.csv", out / "load.cypher"]
