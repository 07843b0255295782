"""The README and docs match the code."""

import re
from pathlib import Path

from typer.main import get_command

from api.cli import app
from api.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    head = "\n".join(README.splitlines()[:15])
    assert "make run" in head and "make test" in head
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run: ", makefile, re.M) and re.search(r"^test: ", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_setting_is_documented():
    configuration = (ROOT / "docs" / "CONFIGURATION.md").read_text()
    for name in Settings.model_fields:
        assert f"CASEGRAPH_{name.upper()}" in configuration, name


def test_the_readme_states_the_request_limits_and_error_codes_of_the_code():
    from api.errors import ERROR_CODES
    from api.limits import LIMITS

    text = " ".join(README.split())
    assert f"`q` up to {LIMITS.query_chars} characters, `k` up to {LIMITS.k}, `read` up to " \
           f"{LIMITS.read} ids, ids, names and filters up to {LIMITS.name_chars} characters" in text
    for code in ERROR_CODES:
        assert f"`{code}`" in README, code


def test_every_cli_verb_and_endpoint_is_documented():
    from api.app import create_app

    for verb in get_command(app).commands:
        assert f"casegraph {verb}" in README, verb
    for path, operations in create_app(Settings()).openapi()["paths"].items():
        documented = re.sub(r"\{[^}]+\}", "{id}", path)
        for method in operations:
            assert re.search(rf"`{method.upper()} {re.escape(documented)}[`?\[]", README), (method, path)
    assert "`GET /metrics`" in README


def test_the_benchmark_bounds_are_mirrored_in_benchmarks_md():
    from bench.check import BOUNDS

    benchmarks = (ROOT / "docs" / "BENCHMARKS.md").read_text()
    for file, path, bound, what in BOUNDS:
        assert f"| {what} | `{file}: {path}` | ≤ {bound} |" in benchmarks, path
