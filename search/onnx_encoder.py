"""A faster query encoder: the configured model exported to ONNX at ingest, run by onnxruntime.

The export wraps the transformer with mean pooling and L2 normalisation, which is what
all-MiniLM-L6-v2 (and most sentence-transformers models) do; ingest checks the export against
sentence-transformers on sample texts and keeps it only when they agree.
"""

from __future__ import annotations

import shutil
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np

from search.encoder import Encoder

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
MIN_AGREEMENT = 0.999  # cosine between ONNX and sentence-transformers embeddings
CHECK_TEXTS = ["why did Uber leave Postgres", "consistent hashing places keys on a ring",
               "A cache service written in Go showed latency spikes every two minutes."]


def export_onnx(encoder: Encoder, folder: Path) -> float | None:
    """Export `encoder`'s model into `folder`; return the worst cosine agreement, or None (and
    leave nothing behind) when the model cannot be exported faithfully."""
    import torch

    model = encoder.model
    transformer = model[0].auto_model
    tokenizer_json = Path(encoder.model_path) / TOKENIZER_FILE
    if not tokenizer_json.is_file():
        return None

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.transformer(input_ids=input_ids, attention_mask=attention_mask,
                                      token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    folder.mkdir(parents=True, exist_ok=True)
    sample = model.tokenizer(CHECK_TEXTS[:2], padding=True, return_tensors="pt")
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "token_type_ids": {0: "batch", 1: "tokens"}, "embedding": {0: "batch"}}
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes; the agreement check below decides
            torch.onnx.export(Pooled().eval(), (sample["input_ids"], sample["attention_mask"],
                                                sample.get("token_type_ids",
                                                           torch.zeros_like(sample["input_ids"]))),
                              str(folder / MODEL_FILE), input_names=list(axes)[:3],
                              output_names=["embedding"], dynamic_axes=axes, opset_version=17,
                              dynamo=False)
        shutil.copyfile(tokenizer_json, folder / TOKENIZER_FILE)
        (folder / "max_tokens.txt").write_text(str(model.max_seq_length))
        exported, reference = OnnxEncoder(folder), encoder.encode(CHECK_TEXTS)
        batched = np.sum(exported.encode(CHECK_TEXTS) * reference, axis=1)  # padded inputs
        single = [float(exported.encode([t])[0] @ r) for t, r in zip(CHECK_TEXTS, reference,
                                                                      strict=True)]
        agreement = float(min(*batched, *single))
    except Exception:  # an architecture the wrapper does not fit: serve with torch instead
        shutil.rmtree(folder, ignore_errors=True)
        return None
    if agreement < MIN_AGREEMENT:
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return agreement


class OnnxEncoder:
    """Encodes texts with the exported model; needs neither torch nor sentence-transformers."""

    def __init__(self, folder: Path, query_cache: int = 1024, threads: int = 0) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        # Idle threads sleep instead of spinning, leaving the cores to BM25, snippets and HTTP.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(str(folder / MODEL_FILE), options,
                                                     providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self._tokenizer.enable_truncation(int((folder / "max_tokens.txt").read_text()))
        self._tokenizer.enable_padding()
        self.encode_query = lru_cache(maxsize=query_cache)(self._encode_query)

    def encode(self, texts: list[str]) -> np.ndarray:
        encoded = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        inputs = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return np.ascontiguousarray(self._session.run(None, inputs)[0], dtype=np.float32)

    def _encode_query(self, text: str) -> np.ndarray:
        vector = self.encode([text])[0]
        vector.setflags(write=False)
        return vector
