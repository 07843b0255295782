import json
import shutil
import socket
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.limits import LIMITS
from snapshot.store import current_version, snapshots_dir

from .conftest import TINY, dask_connect_timeout

runner = CliRunner()


def test_help_and_cheap_imports_do_not_load_sentence_transformers_or_dask():
    code = ("import sys; from api.cli import app; import api.service, snapshot.load, api.app; "
            "print(*(m in sys.modules for m in ('sentence_transformers', 'torch', 'dask')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False", "False"]
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


def test_an_unreachable_scheduler_fails_the_ingest_before_any_work(tmp_path, tiny_data):
    data = tmp_path / "data"
    shutil.copytree(tiny_data, data)
    published, before = current_version(data), sorted(snapshots_dir(data).iterdir())
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    with dask_connect_timeout("1s"):
        result = runner.invoke(app, ["ingest", str(TINY), "--data", str(data), "--scheduler",
                                     address], env={"CASEGRAPH_MODEL": "hashing-256"})
    output = " ".join(result.output.split())  # rich wraps lines
    assert result.exit_code == 1 and "Traceback" not in output
    assert f"error: cannot reach the Dask scheduler at {address}" in output
    assert "start one with `dask scheduler`" in output
    assert current_version(data) == published and sorted(snapshots_dir(data).iterdir()) == before


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
    unknown = runner.invoke(app, ["concept", "shard", "--data", data])
    assert unknown.exit_code == 1 and "did you mean" in unknown.output


@pytest.fixture
def hashing_data(tmp_path, monkeypatch) -> str:
    """A data folder ingested from the tiny corpus with the hashing encoder (no torch)."""
    monkeypatch.setenv("CASEGRAPH_MODEL", "hashing-256")
    data = str(tmp_path / "data")
    result = runner.invoke(app, ["ingest", str(TINY), "--data", data, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["model"]["name"] == "hashing-256"
    return data


def test_query_verbs_print_results_and_json(hashing_data):
    found = json.loads(runner.invoke(app, ["search", "garbage collector", "--json", "--data",
                                           hashing_data]).stdout)
    assert found["results"][0]["study"]["id"] == "gc-rewrite"
    text = runner.invoke(app, ["search", "shard key", "--data", hashing_data]).output
    assert "Sharding the Shop Database" in text and "shop-shards#" in text
    concept = json.loads(runner.invoke(app, ["concept", "golang", "--json", "--data",
                                             hashing_data]).stdout)
    assert concept["id"] == "go" and concept["studies"][0]["evidence"][0]["context"]
    related = runner.invoke(app, ["related", "sharding", "--data", hashing_data])
    assert related.exit_code == 0 and "Replication" in related.output
    stats = json.loads(runner.invoke(app, ["stats", "--json", "--data", hashing_data]).stdout)
    assert stats["counts"]["studies"] == 3 and stats["model"]["dimension"] == 256


@pytest.mark.parametrize("args,expected", [
    (["concept", "shard"], "error: no concept with id or name 'shard' (did you mean: Sharding?)"),
    (["search", "x", "--category", "cooking"], "choose one of: databases, system-design, systems"),
    (["search", "x", "--kind", "poem"], "choose one of: real-world, interview, course, article"),
    (["search", "x", "-k", str(LIMITS.k + 1)], f"less than or equal to {LIMITS.k}"),
])
def test_user_errors_print_the_api_message_and_no_traceback(hashing_data, args, expected):
    result = runner.invoke(app, [*args, "--data", hashing_data])
    assert result.exit_code in (1, 2), result.output  # 2: typer refused the option itself
    assert expected in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_a_corpus_that_yields_nothing_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEGRAPH_MODEL", "hashing-256")
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["ingest", str(tmp_path / "empty"), "--data", str(tmp_path / "d")])
    assert result.exit_code == 1
    assert "error: nothing could be ingested" in result.output and "Traceback" not in result.output


@pytest.mark.slow
def test_a_model_that_cannot_be_loaded_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEGRAPH_MODEL", str(tmp_path / "no-such-model"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = runner.invoke(app, ["ingest", str(TINY), "--data", str(tmp_path / "d")])
    assert result.exit_code == 1, result.output
    assert "error: cannot load embedding model" in result.output
    assert "CASEGRAPH_MODEL" in " ".join(result.output.split())
    assert "Traceback" not in result.output
