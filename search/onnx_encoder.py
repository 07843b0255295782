"""A faster query encoder: the configured model exported to ONNX at ingest, run by onnxruntime.

The export wraps the transformer with mean pooling and L2 normalisation, which is what
all-MiniLM-L6-v2 (and most sentence-transformers models) do; ingest checks the export, and its
int8 quantization, against sentence-transformers on sample texts and keeps only what agrees.
Ingest also encodes its document batches with the fp32 export where it agrees to cosine 0.9999
(faster than torch on the same batches: docs/SCALING.md), and with the model itself otherwise.
"""

from __future__ import annotations

import logging
import shutil
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from search.encoder import Encoder, SentenceTransformerEncoder, cached_query_encoder

MODEL_FILE = "model.onnx"
INT8_FILE = "model-int8.onnx"  # dynamically quantized copy: 4x faster queries, slightly rougher
TOKENIZER_FILE = "tokenizer.json"
MIN_AGREEMENT = {MODEL_FILE: 0.999, INT8_FILE: 0.95}  # worst cosine to sentence-transformers
DOCUMENT_AGREEMENT = 0.9999  # the fp32 export encodes ingest's documents only this close to torch
CHECK_TEXTS = ["why did Uber leave Postgres", "consistent hashing places keys on a ring",
               "A cache service written in Go showed latency spikes every two minutes."]


def _agreement(exported: OnnxEncoder, reference: np.ndarray) -> float:
    """Worst cosine between exported and reference embeddings, batched (padded) and one by one."""
    batched = np.sum(exported.encode(CHECK_TEXTS) * reference, axis=1)
    single = [float(exported.encode([t])[0] @ r) for t, r in zip(CHECK_TEXTS, reference, strict=True)]
    return float(min(*batched, *single))


@dataclass(frozen=True)
class OnnxExport:
    agreement: dict[str, float]  # each kept model file → its worst cosine to sentence-transformers
    max_tokens: int  # the model's input limit; longer texts are cut


def export_onnx(encoder: SentenceTransformerEncoder, folder: Path,
                quantize: bool = True) -> OnnxExport | None:
    """Export `encoder`'s model into `folder` in fp32 and (with `quantize`) int8, keeping each
    file that agrees with sentence-transformers. Nothing is kept, and None returned, when the
    fp32 export is not faithful."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

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
        if quantize:
            logging.disable(logging.WARNING)  # onnxruntime's advice to pre-process, on the root logger
            try:
                quantize_dynamic(str(folder / MODEL_FILE), str(folder / INT8_FILE),
                                 weight_type=QuantType.QInt8)
            finally:
                logging.disable(logging.NOTSET)
        reference = encoder.encode(CHECK_TEXTS)
        kept = {}
        for name in (MODEL_FILE, INT8_FILE) if quantize else (MODEL_FILE,):
            exported = OnnxEncoder(folder, name, model.max_seq_length, query_cache=0, threads=0)
            agreement = _agreement(exported, reference)
            if agreement >= MIN_AGREEMENT[name]:
                kept[name] = round(agreement, 5)
            else:
                (folder / name).unlink()
    except Exception:  # an architecture the wrapper does not fit: serve with torch instead
        kept = {}
    if MODEL_FILE not in kept:
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return OnnxExport(kept, model.max_seq_length)


class OnnxEncoder:
    """Encodes texts with the exported model; needs neither torch nor sentence-transformers."""

    def __init__(self, folder: Path, model_file: str, max_tokens: int, query_cache: int,
                 threads: int) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        # Idle threads sleep instead of spinning, leaving the cores to BM25, snippets and HTTP.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(str(folder / model_file), options,
                                                     providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self._tokenizer.enable_truncation(max_tokens)
        self._tokenizer.enable_padding()
        self.encode_query = cached_query_encoder(self.encode, query_cache)

    def encode(self, texts: list[str]) -> np.ndarray:
        encoded = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        inputs = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return np.ascontiguousarray(self._session.run(None, inputs)[0], dtype=np.float32)


def in_batches(encode: Callable[[list[str]], np.ndarray], batch_size: int,
               texts: list[str]) -> np.ndarray:
    """`encode` over (at least one of) `texts` longest first, `batch_size` at a time, so a batch
    pads least, as sentence-transformers orders one call; answered in the order of `texts`."""
    order = np.argsort([-len(text) for text in texts], kind="stable")
    encoded = np.concatenate([encode([texts[i] for i in order[start : start + batch_size]])
                              for start in range(0, len(texts), batch_size)])
    vectors = np.empty_like(encoded)
    vectors[order] = encoded
    return vectors


def document_encoder(encoder: Encoder, folder: Path, agreement: Mapping[str, float],
                     max_tokens: int | None, threads: int) -> Callable[[list[str]], np.ndarray]:
    """What encodes ingest's document batches: the fp32 export in `folder` when it agrees with
    the model to DOCUMENT_AGREEMENT, else the model itself."""
    if agreement.get(MODEL_FILE, 0.0) < DOCUMENT_AGREEMENT or max_tokens is None:
        return encoder.encode
    session = OnnxEncoder(folder, MODEL_FILE, max_tokens, query_cache=0, threads=threads)
    return partial(in_batches, session.encode, encoder.batch_size)


def exported_document_encoder(encoder: Encoder, folder: Path,
                              threads: int) -> Callable[[list[str]], np.ndarray]:
    """A document encoder for a process that has no snapshot (a Dask worker): the model is
    exported into `folder` here, in fp32 only."""
    export = export_onnx(encoder, folder, quantize=False) \
        if isinstance(encoder, SentenceTransformerEncoder) else None
    if export is None:
        return encoder.encode
    return document_encoder(encoder, folder, export.agreement, export.max_tokens, threads)
