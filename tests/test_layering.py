"""Data flows one way: corpus → ingest → graph + search → snapshot → api."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"ingest": {"graph", "search", "api"}, "graph": {"search", "api"},
             "search": {"graph", "api"}}


def imported_packages(package: str) -> set[str]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_flow_one_way(package):
    assert not imported_packages(package) & FORBIDDEN[package]


def test_graph_and_search_do_not_know_fastapi():
    for package in ("ingest", "graph", "search"):
        assert not imported_packages(package) & {"fastapi", "starlette", "typer"}
