"""The fp32 ONNX session against sentence-transformers on torch, for ingest's document batches:
the bundled corpus's texts in ingest's batches (longest first, batch_size × 4 texts, encoded
batch_size at a time), each batch through both encoders back to back, in alternating order.

    .venv/bin/python -m bench.document_encoder [--rounds 2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from api.settings import BUNDLED_CORPUS, Settings, encoder_for
from ingest.chunking import chunk_section
from ingest.progress import NoProgress
from search.onnx_encoder import MODEL_FILE, OnnxEncoder, export_onnx, in_batches
from snapshot.build import chunk_texts, concept_embedded, discovered, read_checked
from snapshot.embeddings import batched
from snapshot.options import BuildOptions


def ingest_batches(settings: BuildOptions, batch_size: int,
                   corpus_dir: Path = BUNDLED_CORPUS) -> list[list[str]]:
    """The corpus's texts as a full ingest hands them to its encoder (`snapshot.build.assemble`):
    its chunks, then its concept descriptions and names, discovered concepts included, each
    group in batches of its own (`snapshot.embeddings.batched`)."""
    corpus = read_checked(corpus_dir, settings, strict=False, progress=NoProgress())
    chunks = [c for s in corpus.sections
              for c in chunk_section(s, settings.chunk_words, settings.chunk_overlap)]
    described, names = concept_embedded(discovered(corpus, settings, NoProgress()))
    return [[group[i] for i in rows]
            for group in (chunk_texts(corpus, chunks), [*described.values(), *names.values()])
            for rows in batched(group, list(range(len(group))), batch_size)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    settings = Settings()
    encoder = encoder_for(settings)
    batches = ingest_batches(settings, encoder.batch_size)
    with tempfile.TemporaryDirectory() as tmp:
        export = export_onnx(encoder, Path(tmp), quantize=False)
        assert export is not None, "the model could not be exported"
        session = OnnxEncoder(Path(tmp), MODEL_FILE, export.max_tokens, query_cache=0, threads=0)
        encoders = {"torch": encoder.encode,
                    "onnx": lambda texts: in_batches(session.encode, encoder.batch_size, texts)}
        seconds = dict.fromkeys(encoders, 0.0)
        cosines: list[np.ndarray] = []
        for _ in range(args.rounds):
            for n, batch in enumerate(batches):
                vectors = {}
                for name in sorted(encoders, reverse=n % 2 == 1):
                    started = time.perf_counter()
                    vectors[name] = encoders[name](batch)
                    seconds[name] += time.perf_counter() - started
                cosines.append(np.sum(vectors["torch"] * vectors["onnx"], axis=1))
    texts = sum(len(b) for b in batches) * args.rounds
    cosine = np.concatenate(cosines)
    print(f"{texts // args.rounds} texts in {len(batches)} batches of up to {len(batches[0])}, "
          f"{args.rounds} rounds\n")
    print("| encoder | seconds | texts/s | time vs torch | cosine to torch (worst, mean) |")
    print("| --- | --- | --- | --- | --- |")
    for name, spent in seconds.items():
        ratio = spent / seconds["torch"]
        agreement = "—" if name == "torch" else f"{cosine.min():.7f}, {cosine.mean():.7f}"
        print(f"| {name} | {spent:.1f} | {texts / spent:.1f} | {ratio:.2f}× | {agreement} |")


if __name__ == "__main__":
    main()
