"""`casegraph serve --workers N`: N processes on one port, whose socket turns on TCP_NODELAY on
every connection it accepts."""

import asyncio
import socket

import httpx
import pytest

from api.serving import APP, TcpConfig
from deploy import local


async def _nodelay_of_an_accepted_connection(listener: socket.socket) -> int:
    accepted: asyncio.Future = asyncio.get_running_loop().create_future()

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
    async with server:
        _, writer = await asyncio.open_connection(*listener.getsockname())
        nodelay = await asyncio.wait_for(accepted, 10)
        writer.close()
    return nodelay


def test_connections_to_the_workers_shared_socket_send_without_waiting_for_acks():
    config = TcpConfig(APP, factory=True, host="127.0.0.1", port=0, workers=2)
    listener = config.bind_socket()
    assert listener.proto == socket.IPPROTO_TCP and listener.get_inheritable()
    assert asyncio.run(_nodelay_of_an_accepted_connection(listener)) == 1


@pytest.mark.slow
def test_two_workers_answer_on_one_port(tmp_path, tiny_data):
    port = local.free_port()
    server = local.start([*local.CASEGRAPH, "serve", "--data", str(tiny_data), "--host", "127.0.0.1",
                          "--port", str(port), "--workers", "2", "--log-level", "warning"],
                         tmp_path / "serve.log", CASEGRAPH_MODEL="hashing-256")
    try:
        local.wait_until(lambda: local.answering(port), 90, "casegraph serve --workers 2 answering")
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            answers = [client.get("/search", params={"q": "garbage collector pauses"})
                       for _ in range(4)]
        assert all(a.status_code == 200 and a.json()["results"] for a in answers)
    finally:
        local.stop(server)
    assert "Started parent process" not in (tmp_path / "serve.log").read_text()  # warning level
