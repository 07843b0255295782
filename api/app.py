"""The FastAPI application factory. Settings and the snapshot are created here, never at import."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException

from api.admin import router as admin_router
from api.body_limit import BodyLimit
from api.errors import HTTP_ERRORS, KNOWN_ERRORS, ErrorDetails, describe, error_body, invalid_fields
from api.mcp_http import add_mcp_endpoint
from api.metrics import Metrics, MetricsMiddleware
from api.reloader import Reloader
from api.routes import router
from api.service import CaseGraphService, open_service
from api.settings import Settings, encoder_for
from search.encoder import Encoder

log = logging.getLogger("casegraph")
STATIC = Path(__file__).parent / "static"


def error_response(status: int, code: str, message: str,
                   details: ErrorDetails | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status)


async def _known_error(_: Request, exc: Exception) -> JSONResponse:
    status, body = describe(exc)
    return error_response(status, body.code, body.message, body.details)


async def _unexpected_error(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return error_response(500, HTTP_ERRORS[500], "the server failed to answer; see its log")


async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    body = invalid_fields(exc.errors(), where="")
    return error_response(422, body.code, body.message, body.details)


async def _http_error(_: Request, exc: HTTPException) -> JSONResponse:
    return error_response(exc.status_code, HTTP_ERRORS.get(exc.status_code, "http_error"),
                          str(exc.detail))


def create_app(settings: Settings | None = None, service: CaseGraphService | None = None,
               encoder: Encoder | None = None) -> FastAPI:
    """Build the app. Without `service`, the published snapshot in `settings.data` is loaded."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        config = app.state.settings
        model = encoder or encoder_for(config)
        if app.state.service is None:
            app.state.service = open_service(config, model)
            # Load the query encoder now, not on the first query (with an ONNX export in the
            # snapshot, torch and sentence-transformers are never imported by the server).
            app.state.service.snapshot.searcher.encode_query("warm up")
        app.state.reloader = Reloader(app.state.service, config, model)
        watcher = (asyncio.create_task(app.state.reloader.watch())
                   if config.reload_interval > 0 else None)
        async with run_mcp_sessions():
            yield
        if watcher is not None:
            watcher.cancel()

    app = FastAPI(title="casegraph", version="0.1.0", lifespan=lifespan,
                  description="Knowledge graph and semantic search over engineering case studies.")
    app.state.settings = config = settings or Settings()
    app.state.service = service
    metrics = Metrics(lambda: app.state.service)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_middleware(BodyLimit, max_bytes=config.max_body_bytes)
    if config.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=config.cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["Authorization",
                                                                         "Content-Type"])
    for known in KNOWN_ERRORS:
        app.add_exception_handler(known, _known_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
    app.include_router(router)
    app.include_router(admin_router)
    run_mcp_sessions = add_mcp_endpoint(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def explorer() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics() -> PlainTextResponse:
        return PlainTextResponse(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return app
