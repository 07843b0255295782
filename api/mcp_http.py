"""The MCP server on the HTTP app: streamable HTTP at /mcp, behind a bearer token when
CASEGRAPH_MCP_TOKEN is set.

Stateless, with JSON answers: no session lives in a worker, so with `--workers N` any worker can
answer any request. Every call reads `app.state.service`, the service the routes use, so hot
reload reaches the MCP tools too.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from mcp.server.mcpserver import MCPServer
from pydantic import SecretStr
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import Unauthorized
from api.mcp_server import build_server

PATH = "/mcp"


class McpEndpoint:
    """/mcp: refuse a request without the bearer token (401, the API's error body), else hand it
    to the SDK's streamable HTTP transport."""

    def __init__(self, server: MCPServer, token: SecretStr | None, host: str) -> None:
        self.server, self.token, self.host = server, token, host
        self._running: list[ASGIApp] = []  # the transport of each lifespan running, newest last

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Serve while the app's lifespan runs. The SDK runs a session manager only once, and
        test clients may run a lifespan twice, so each run gets a transport of its own."""
        transport = self.server.streamable_http_app(streamable_http_path=PATH, stateless_http=True,
                                                    json_response=True, host=self.host)
        async with self.server.session_manager.run():
            self._running.append(transport)
            try:
                yield
            finally:
                self._running.remove(transport)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.token is not None:
            header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
            scheme, _, credentials = header.partition(" ")
            if scheme.lower() != "bearer" or not credentials.strip():
                raise Unauthorized("the MCP endpoint needs 'Authorization: Bearer <token>' with the "
                                   "server's CASEGRAPH_MCP_TOKEN")
            if not secrets.compare_digest(credentials.strip().encode(),
                                          self.token.get_secret_value().encode()):
                raise Unauthorized("wrong MCP token")
        await self._running[-1](scope, receive, send)


def add_mcp_endpoint(app: FastAPI) -> Callable[[], AbstractAsyncContextManager[None]]:
    """Serve the MCP server at PATH on `app`; returns what the app's lifespan must run."""
    settings = app.state.settings
    endpoint = McpEndpoint(build_server(lambda: app.state.service), settings.mcp_token, settings.host)
    app.router.routes.append(Route(PATH, endpoint, methods=["POST"]))
    return endpoint.running
