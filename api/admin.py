"""Admin endpoints, behind a bearer token; disabled when no token is configured."""

from __future__ import annotations

import asyncio
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ErrorResponse, Forbidden, Unauthorized
from api.models import IngestReport, Reload
from api.reloader import Reloader
from api.settings import Settings, ingest_batches
from search.encoder import Encoder

bearer = HTTPBearer(auto_error=False)


def require_admin(request: Request,
                  credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    token = request.app.state.settings.admin_token
    if token is None:
        raise Forbidden("admin endpoints are disabled; set CASEGRAPH_ADMIN_TOKEN to enable them")
    if credentials is None:
        raise Unauthorized("send 'Authorization: Bearer <token>'")
    if not secrets.compare_digest(credentials.credentials.encode(), token.get_secret_value().encode()):
        raise Forbidden("wrong admin token")


def get_reloader(request: Request) -> Reloader:
    return request.app.state.reloader


router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)],
                   responses={code: {"model": ErrorResponse} for code in (401, 403, 409, 422, 503)})


@router.post("/reload", response_model=Reload)
async def reload(reloader: Annotated[Reloader, Depends(get_reloader)]) -> Reload:
    """Load the newest published snapshot now (workers also poll for it on their own)."""
    return await asyncio.to_thread(reloader.reload, True)


def _ingest(settings: Settings, encoder: Encoder):
    from snapshot.build import build_snapshot

    with ingest_batches(settings) as batches:
        return build_snapshot(settings.corpus, settings, encoder, batches=batches)


@router.post("/ingest", response_model=IngestReport)
async def ingest(reloader: Annotated[Reloader, Depends(get_reloader)]) -> IngestReport:
    """Ingest the configured corpus into a new snapshot (on the CASEGRAPH_SCHEDULER cluster if
    one is set), publish it, and serve it. 409 while another ingest into the same data folder
    runs, in any worker or process."""
    report = await asyncio.to_thread(_ingest, reloader.settings, reloader.encoder)
    swapped = await asyncio.to_thread(reloader.reload)
    manifest = report.manifest
    return IngestReport(version=report.version, counts=manifest.counts.model_dump(),
                        problems=list(manifest.problems), encoded=report.encoded,
                        reused_embeddings=report.reused_embeddings, serving=swapped.version)
