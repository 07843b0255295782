"""`casegraph ingest` killed with SIGKILL at many moments never harms the snapshot in service."""

import signal
import subprocess
import sys
import time

import pytest

from api.service import open_service
from snapshot.store import TMP_PREFIX, current_version, snapshots_dir

from .conftest import make_settings

pytestmark = pytest.mark.slow
QUERY = "garbage collector pauses"
# Seconds after start, or "staging+N ms" after the half-written snapshot folder appears.
KILL_MOMENTS = [0.5, 3.0, 6.0, "staging+0", "staging+20", "staging+100", "staging+300"]


def start_ingest(corpus, data):
    code = "from api.cli import app; app()"
    return subprocess.Popen([sys.executable, "-c", code, "ingest", str(corpus), "--data", str(data),
                             "--rebuild"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill_at(process, moment, data):
    started = time.monotonic()
    if isinstance(moment, float):
        while time.monotonic() - started < moment and process.poll() is None:
            time.sleep(0.01)
    else:
        delay = int(moment.split("+")[1]) / 1000
        while process.poll() is None and not list(snapshots_dir(data).glob(TMP_PREFIX + "*")):
            time.sleep(0.001)
        time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_killed_ingests_leave_the_previous_snapshot_serving(tmp_path, model_tiny_data,
                                                           model_encoder, corpus_factory):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(model_tiny_data, data)
    settings = make_settings(data)
    version = current_version(data)
    expected = open_service(settings, model_encoder).search(QUERY, k=10)
    corpus = corpus_factory({"studies/new.md": "# A new study\n\nWith enough words to index.\n"})
    for moment in KILL_MOMENTS:
        kill_at(start_ingest(corpus, data), moment, data)
        assert current_version(data) in (version, *[v.name for v in snapshots_dir(data).iterdir()])
        service = open_service(settings, model_encoder)
        if service.snapshot.version == version:
            assert service.search(QUERY, k=10) == expected, moment
        else:  # the kill came after the new snapshot was published: it must be complete
            assert service.study("studies-new").title == "A new study"
            version, expected = service.snapshot.version, service.search(QUERY, k=10)
    finished = start_ingest(corpus, data)
    assert finished.wait() == 0
    assert not list(snapshots_dir(data).glob(TMP_PREFIX + "*")), "leftovers were not cleaned"
    assert open_service(settings, model_encoder).study("studies-new").title == "A new study"
