import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from api.cli import app

from .conftest import TINY

runner = CliRunner()


def test_help_and_cheap_imports_do_not_load_sentence_transformers():
    code = ("import sys; from api.cli import app; import api.service, api.snapshot, api.app; "
            "print('sentence_transformers' in sys.modules, 'torch' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]
    help_text = runner.invoke(app, ["--help"]).output
    for verb in ("ingest", "serve", "search", "concept", "related", "stats", "validate"):
        assert verb in help_text


def test_validate_reports_problems_with_exit_code(tmp_path, corpus_factory):
    good = runner.invoke(app, ["validate", str(corpus_factory(name="good")), "--json"])
    assert good.exit_code == 0, good.output
    assert json.loads(good.stdout)["valid"] is True
    bad_root = corpus_factory({"studies/bad.md": "---\nminutes: soon\n---\n# B\n\nText.\n"}, name="bad")
    bad = runner.invoke(app, ["validate", str(bad_root)])
    assert bad.exit_code == 1
    assert "studies/bad.md:2" in bad.output


def test_missing_snapshot_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["stats", "--data", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no snapshot in" in result.output and "casegraph ingest" in result.output


@pytest.mark.slow
def test_ingest_then_query_verbs(tmp_path):
    data = str(tmp_path / "data")
    ingest = runner.invoke(app, ["ingest", str(TINY), "--data", data])
    assert ingest.exit_code == 0, ingest.output
    assert "published" in ingest.output
    found = json.loads(runner.invoke(app, ["search", "GC pauses in Go", "--json", "--data",
                                           data]).stdout)
    assert found["results"][0]["study"]["id"] == "gc-rewrite"
    text = runner.invoke(app, ["search", "hash ring", "--data", data]).output
    assert "Sharding the Shop Database" in text
    concept = json.loads(runner.invoke(app, ["concept", "golang", "--json", "--data", data]).stdout)
    assert concept["id"] == "go"
    related = runner.invoke(app, ["related", "sharding", "--data", data])
    assert related.exit_code == 0 and "Consistent hashing" in related.output
    stats = json.loads(runner.invoke(app, ["stats", "--json", "--data", data]).stdout)
    assert stats["counts"]["studies"] == 3
    unknown = runner.invoke(app, ["concept", "shardin", "--data", data])
    assert unknown.exit_code == 1 and "did you mean" in unknown.output
