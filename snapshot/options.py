"""What building and loading a snapshot read from the settings. api.settings.Settings declares
each of them once, with its default; any object with these attributes will do (a test's, a
benchmark's). Kept apart so reading settings imports no index library."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from search.onnx_encoder import INT8_FILE, MODEL_FILE

# Query encoder setting → the ONNX files that serve it, best first ("torch": the model itself).
QUERY_ENCODERS = {"onnx-int8": (INT8_FILE, MODEL_FILE), "onnx": (MODEL_FILE,), "torch": ()}


class BuildOptions(Protocol):
    data: Path
    taxonomy: Path
    max_file_bytes: int
    tag_keys: list[str]
    discover: bool
    chunk_words: int
    chunk_overlap: int
    keep_snapshots: int


class LoadOptions(Protocol):
    data: Path
    query_encoder: str  # a key of QUERY_ENCODERS
    query_cache: int
    candidates: int
    rrf_k: int
