"""Shared fixtures. Fixtures that load the real model or build snapshots are session-scoped."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from api.settings import BUNDLED_CORPUS, Settings

TINY = Path(__file__).parent / "fixtures" / "tiny"
PRIMER = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "system-design-primer"


def make_settings(data: Path, **overrides) -> Settings:
    """Settings for a test: its own data folder, the bundled taxonomy as fallback."""
    return Settings(data=data, **overrides)


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


@pytest.fixture(scope="session")
def encoder():
    from search.encoder import Encoder

    return Encoder()


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory: pytest.TempPathFactory, encoder) -> Path:
    from api.pipeline import build_snapshot

    data = tmp_path_factory.mktemp("tiny-data")
    build_snapshot(TINY, make_settings(data), encoder)
    return data


@pytest.fixture(scope="session")
def tiny_service(tiny_data: Path, encoder):
    from api.service import open_service
    
    return open_service(make_settings(tiny_data), encoder)


@pytest.fixture(scope="session")
def tiny_client(tiny_data: Path, encoder) -> Iterator:
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(make_settings(tiny_data), encoder=encoder)) as client:
        yield client


@pytest.fixture(scope="session")
def bundled_service(tmp_path_factory: pytest.TempPathFactory, encoder):
    from api.pipeline import build_snapshot
    from api.service import open_service
    
    data = tmp_path_factory.mktemp("bundled-data")
    build_snapshot(BUNDLED_CORPUS, make_settings(data), encoder)
    return open_service(make_settings(data), encoder)
