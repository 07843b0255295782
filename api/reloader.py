"""Hot reload: load the newest published snapshot beside the one in service, then swap.

Requests read `service.snapshot` once, so each is answered from one complete snapshot, old or new.
Every server worker polls the CURRENT pointer, so a new snapshot reaches all workers.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from api.models import Reload
from api.service import CaseGraphService
from api.settings import Settings
from search.encoder import Encoder
from snapshot.load import load_snapshot
from snapshot.store import current_version

log = logging.getLogger("casegraph")


class Reloader:
    def __init__(self, service: CaseGraphService, settings: Settings, encoder: Encoder) -> None:
        self.service = service
        self.settings = settings
        self.encoder = encoder
        self._lock = threading.Lock()  # one load at a time; loads run in worker threads

    def reload(self, force: bool = False) -> Reload:
        """Load and swap in the published snapshot if it differs from the one in service."""
        with self._lock:
            previous = self.service.snapshot.version
            published = current_version(self.settings.data)
            if published is None or (published == previous and not force):
                return Reload(version=previous, previous=previous, changed=False)
            snapshot = load_snapshot(self.settings, self.encoder, version=published)
            self.service.swap(snapshot)
            log.info("snapshot %s replaced %s", published, previous)
            return Reload(version=published, previous=previous, changed=published != previous)

    async def watch(self) -> None:
        """Poll the CURRENT pointer every `reload_interval` seconds; never dies on a bad snapshot."""
        while True:
            await asyncio.sleep(self.settings.reload_interval)
            try:
                await asyncio.to_thread(self.reload)
            except Exception:  # a half-deleted or foreign snapshot must not stop the server
                log.exception("hot reload failed; still serving %s", self.service.snapshot.version)
