"""Shared fixtures. Snapshots are built once per session: with the hashing encoder for the fast
suite (no torch), and with the real model for the tests marked slow.

With CASEGRAPH_NO_TORCH=1 (`make test-fast`), torch and sentence-transformers cannot be imported,
which proves the fast suite never needs them.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from api.settings import BUNDLED_CORPUS, Settings

if os.environ.get("CASEGRAPH_NO_TORCH"):
    sys.modules.update({"torch": None, "sentence_transformers": None})

TINY = Path(__file__).parent / "fixtures" / "tiny"
PRIMER = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "system-design-primer"


def make_settings(data: Path, **overrides) -> Settings:
    """Settings for a test: its own data folder, the bundled taxonomy as fallback."""
    return Settings(data=data, **overrides)


@contextmanager
def dask_connect_timeout(timeout: str) -> Iterator[None]:
    """Dask's connect timeout (how long an ingest waits for a scheduler, then for a worker) set
    to `timeout` within the block. distributed is imported first: overriding one of its keys
    before its defaults are loaded would drop them all when the block ends."""
    import dask.config
    import distributed  # noqa: F401

    with dask.config.set({"distributed.comm.timeouts.connect": timeout}):
        yield


@pytest.fixture
def corpus_factory(tmp_path: Path) -> Callable[..., Path]:
    """A copy of the tiny corpus, with files added, replaced (text) or removed (None)."""

    def make(files: dict[str, str | bytes | None] | None = None, name: str = "corpus") -> Path:
        root = tmp_path / name
        shutil.copytree(TINY, root)
        for relative, content in (files or {}).items():
            path = root / relative
            if content is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


def _client(data: Path, encoder) -> Iterator:
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(make_settings(data, reload_interval=0), encoder=encoder)) as client:
        yield client


def _build(factory: pytest.TempPathFactory, name: str, corpus: Path, encoder) -> Path:
    from snapshot.build import build_snapshot

    data = factory.mktemp(name)
    build_snapshot(corpus, make_settings(data), encoder)
    return data


# ---- the fast suite: the hashing encoder ---------------------------------------------------------
@pytest.fixture(scope="session")
def hashing_encoder():
    from search.hashing_encoder import HashingEncoder

    return HashingEncoder()


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory: pytest.TempPathFactory, hashing_encoder) -> Path:
    return _build(tmp_path_factory, "tiny-data", TINY, hashing_encoder)


@pytest.fixture(scope="session")
def tiny_service(tiny_data: Path, hashing_encoder):
    from api.service import open_service

    return open_service(make_settings(tiny_data), hashing_encoder)


@pytest.fixture(scope="session")
def tiny_client(tiny_data: Path, hashing_encoder) -> Iterator:
    yield from _client(tiny_data, hashing_encoder)


# ---- slow tests: the real model ------------------------------------------------------------------
@pytest.fixture(scope="session")
def model_encoder():
    from api.settings import encoder_for

    return encoder_for(Settings())


@pytest.fixture(scope="session")
def model_tiny_data(tmp_path_factory: pytest.TempPathFactory, model_encoder) -> Path:
    return _build(tmp_path_factory, "model-tiny-data", TINY, model_encoder)


@pytest.fixture(scope="session")
def model_tiny_client(model_tiny_data: Path, model_encoder) -> Iterator:
    yield from _client(model_tiny_data, model_encoder)


@pytest.fixture(scope="session")
def bundled_service(tmp_path_factory: pytest.TempPathFactory, model_encoder):
    from api.service import open_service

    data = _build(tmp_path_factory, "bundled-data", BUNDLED_CORPUS, model_encoder)
    return open_service(make_settings(data), model_encoder)
