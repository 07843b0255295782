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


def test_every_cli_verb_and_endpoint_is_documented():
    for verb in get_command(app).commands:
        assert f"casegraph {verb}" in README, verb
    for endpoint in ("/healthz", "/search", "/studies", "/concepts", "/concepts/resolve",
                     "/recommendations", "/graph/path", "/metrics"):
        assert f"`{endpoint}" in README or f"{endpoint}`" in README or f" {endpoint}" in README, endpoint
