"""Data flows one way: corpus → ingest → graph + search → snapshot → api; the evaluators read
snapshots, and only the HTTP layer and the CLI know the web and command-line frameworks."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ingest", "graph", "search", "snapshot", "eval", "api")
FORBIDDEN = {"ingest": {"graph", "search", "snapshot", "eval", "api"},
             "graph": {"search", "snapshot", "eval", "api"},
             "search": {"graph", "snapshot", "eval", "api"},
             "snapshot": {"eval", "api"},
             "eval": {"api"}}
FRAMEWORKS = {"fastapi", "starlette", "typer", "uvicorn"}
# The HTTP layer and the CLI, the only modules allowed to import FRAMEWORKS.
FRONT_DOORS = {"api/app.py", "api/routes.py", "api/admin.py", "api/body_limit.py",
               "api/metrics.py", "api/mcp_http.py", "api/serving.py", "api/cli.py",
               "api/cli_concepts.py"}


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def modules(package: str) -> list[Path]:
    found = sorted((ROOT / package).rglob("*.py"))
    assert found, package
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_flow_one_way(package):
    for path in modules(package):
        assert not imports_of(path) & FORBIDDEN[package], path


def test_only_the_http_layer_and_the_cli_import_web_and_cli_frameworks():
    for package in PACKAGES:
        for path in modules(package):
            relative = path.relative_to(ROOT).as_posix()
            if relative not in FRONT_DOORS:
                assert not imports_of(path) & FRAMEWORKS, relative
    assert all((ROOT / door).is_file() for door in FRONT_DOORS)


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_is_over_350_lines(package):
    for path in modules(package):
        assert len(path.read_text().splitlines()) <= 350, path
