"""`casegraph serve` under uvicorn: one process, or workers sharing one listening socket that
keeps TCP_NODELAY on every connection."""

from __future__ import annotations

import socket
import sys

import uvicorn
from uvicorn.main import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

APP = "api.app:create_app"


class TcpConfig(uvicorn.Config):
    """uvicorn's config with a shared TCP socket that says it is TCP. uvicorn binds the socket its
    workers share with proto 0; accepted connections inherit it, asyncio then never turns on
    TCP_NODELAY, and each response on a kept-alive connection waits about 40 ms for the client's
    delayed ACK (uvicorn issue #3149: "--workers N loses TCP_NODELAY")."""

    def bind_socket(self) -> socket.socket:
        bound = super().bind_socket()
        if bound.family not in (socket.AF_INET, socket.AF_INET6) or bound.proto == socket.IPPROTO_TCP:
            return bound
        tcp = socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())
        tcp.set_inheritable(True)
        return tcp


def serve_app(host: str, port: int, workers: int, log_level: str = "info") -> None:
    """Serve the app (built by each process from the environment) until interrupted."""
    config = TcpConfig(APP, factory=True, host=host, port=port, workers=workers,
                       log_level=log_level)
    server = uvicorn.Server(config)
    try:
        if config.workers > 1:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
        else:
            server.run()
    except KeyboardInterrupt:
        pass
    if config.workers == 1 and not server.started:
        sys.exit(STARTUP_FAILURE)
