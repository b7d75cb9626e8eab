"""An ASGI app under uvicorn in a thread of its own, on a real socket: for tests about what only a network
shows (streaming, refused connections, timeouts) and for the suite's parts talking to each other."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


def listening_socket(port: int = 0) -> socket.socket:
    """A bound socket on 127.0.0.1 (a free port unless ``port`` is given), so its address is known up front."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    return sock


@contextmanager
def serve(app: Any, sock: socket.socket | None = None, *, port: int = 0) -> Iterator[str]:
    """Run ``app`` until the block ends; yields its base url. ``sock``: a socket bound beforehand."""
    sock = sock or listening_socket(port)
    config = uvicorn.Config(app, loop="asyncio", lifespan="on", log_config=None, access_log=False,
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()
