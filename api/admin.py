"""Admin endpoints, behind a bearer token; disabled when no token is configured."""

from __future__ import annotations

import asyncio
import secrets
import threading
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import Busy, Forbidden, Unauthorized
from api.models import ErrorResponse
from api.reloader import Reloader

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
                   responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse},
                              409: {"model": ErrorResponse}})
_ingesting = threading.Lock()


@router.post("/reload")
async def reload(reloader: Annotated[Reloader, Depends(get_reloader)]) -> dict:
    """Load the newest published snapshot now (workers also poll for it on their own)."""
    return await asyncio.to_thread(reloader.reload, True)


@router.post("/ingest")
async def ingest(reloader: Annotated[Reloader, Depends(get_reloader)]) -> dict:
    """Ingest the configured corpus into a new snapshot, publish it, and serve it."""
    from api.pipeline import build_snapshot

    if not _ingesting.acquire(blocking=False):
        raise Busy("an ingest is already running; try again when it finishes")
    try:
        settings = reloader.settings
        report = await asyncio.to_thread(build_snapshot, settings.corpus, settings, reloader.encoder)
    finally:
        _ingesting.release()
    swapped = await asyncio.to_thread(reloader.reload)
    return {"version": report.version, "counts": report.manifest["counts"],
            "problems": report.problems, "encoded": report.encoded,
            "reused_embeddings": report.reused_embeddings, "serving": swapped["version"]}
