"""Encoding an ingest's batches on a Dask distributed cluster (`pip install '.[cluster]'`).

    casegraph ingest CORPUS --scheduler tcp://HOST:PORT

`connect` reaches the scheduler and has every worker build the encoder before any work: an
EncoderPlugin loads the model once per worker process (and on each worker that joins later) and
keeps it for the next ingest of the same model. ClusterBatches maps the batches over the workers;
the scheduler moves the batches of a worker that dies to the others, and the vectors come back
in batch order. Reaching, loading or keeping the cluster fails as ClusterUnavailable.
"""

from __future__ import annotations

import asyncio
import hashlib
import pickle
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import dask.config
import numpy as np
from dask.utils import parse_timedelta
from distributed import Client, KilledWorker, Worker, WorkerPlugin, get_worker, wait

from ingest.progress import Progress
from search.encoder import Encoder
from search.onnx_encoder import exported_document_encoder
from snapshot.errors import ClusterUnavailable

PLUGIN_PREFIX = "casegraph-encoder-"
RETRIES = 2  # runs again a batch whose encode raised; a dead worker's batches move regardless


class EncoderPlugin(WorkerPlugin):
    """Builds the encoder once per worker process; a batch uses all of the worker's threads, so
    the worker encodes one batch at a time."""

    idempotent = True  # registered by every ingest: a worker keeps the encoder it has built

    def __init__(self, recipe: Callable[[], Encoder]) -> None:
        self.recipe = recipe
        self.name = PLUGIN_PREFIX + hashlib.sha256(pickle.dumps(recipe)).hexdigest()[:16]

    async def setup(self, worker: Worker) -> None:
        # The worker's own scratch space, which Dask removes with the worker (or, if it died,
        # purges when the next worker starts in the same local directory).
        self.folder = Path(worker.local_directory) / self.name
        self.lock = threading.Lock()
        # Loading takes seconds: in a thread, so the worker keeps answering the scheduler.
        self.encode = await asyncio.to_thread(exported_document_encoder, self.recipe(),
                                              self.folder, worker.state.nthreads)

    def teardown(self, worker: Worker) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def encode_batch(plugin: str, texts: list[str]) -> np.ndarray:
    """On a worker: one batch through the encoder its plugin built."""
    loaded = get_worker().plugins[plugin]
    with loaded.lock:
        return loaded.encode(texts)


class ClusterBatches:
    """Encodes batches on a connected cluster's workers; progress counts batches done across it."""

    def __init__(self, client: Client, plugin: str, address: str, patience: float) -> None:
        self._client = client
        self._plugin = plugin
        self._address = address
        self._patience = patience  # seconds without a finished batch before counting workers

    @property
    def workers(self) -> int:
        return len(self._client.nthreads())

    def encode_batches(self, batches: list[list[str]], progress: Progress) -> list[np.ndarray]:
        progress.phase("batches", len(batches))
        futures = self._client.map(encode_batch, [self._plugin] * len(batches), batches,
                                   retries=RETRIES, pure=False)
        pending = set(futures)
        while pending:
            try:
                with self._client.as_current():  # what wait() answers to, in this thread only
                    done, pending = wait(pending, timeout=self._patience,
                                         return_when="FIRST_COMPLETED")
            except TimeoutError:
                if not self.workers:
                    raise ClusterUnavailable(
                        f"the Dask cluster at {self._address} has lost every worker, "
                        f"{len(pending)} of {len(batches)} batches unencoded; start workers with "
                        f"`dask worker {self._address}` and ingest again") from None
                continue
            progress.advance(len(done))
        try:
            return self._client.gather(futures)
        except KilledWorker as exc:
            raise ClusterUnavailable(f"a batch was lost: the workers of {self._address} that ran "
                                     f"it died each time ({exc}); see their logs") from exc


@contextmanager
def connect(address: str, recipe: Callable[[], Encoder]) -> Iterator[ClusterBatches]:
    """The cluster at `address` with `recipe`'s encoder built on every worker. Waits up to
    Dask's connect timeout (distributed.comm.timeouts.connect) for the scheduler, then for a
    worker."""
    patience = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"))
    try:
        client = Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise ClusterUnavailable(f"cannot reach the Dask scheduler at {address} ({exc}); start "
                                 f"one with `dask scheduler` and workers with `dask worker "
                                 f"{address}`, or ingest without --scheduler") from exc
    try:
        try:
            client.wait_for_workers(1, timeout=patience)
        except TimeoutError as exc:
            raise ClusterUnavailable(f"the Dask scheduler at {address} has no worker after "
                                     f"{patience:g} s; start some with `dask worker "
                                     f"{address}`") from exc
        plugin = EncoderPlugin(recipe)
        try:
            client.register_plugin(plugin)
        except Exception as exc:  # raised on a worker: no casegraph there, no model, no memory
            with suppress(Exception):
                client.unregister_worker_plugin(plugin.name)
            raise ClusterUnavailable(f"the workers of {address} could not build the encoder: "
                                     f"{exc!r}; they need casegraph and the model installed") from exc
        yield ClusterBatches(client, plugin.name, address, patience)
    finally:
        client.close()
