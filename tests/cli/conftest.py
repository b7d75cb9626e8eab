"""Run the `sds` command as users do: a separate process, a temporary data directory, free ports."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import psutil
import pytest
from sqlalchemy.engine import make_url

from tests.support.databases import BACKEND, POSTGRES_URL

SERVICES = ("intake", "zaken", "klantgegevens", "financien", "beleidsinfo", "notificaties", "documenten")
# Ports the suite's defaults and the system NATS use; a test that lands on one of them is wrong.
RESERVED_PORTS = {4222, *range(8000, 8006)}

_script = shutil.which("sds", path=str(Path(sys.executable).parent))
SDS: list[str] = [_script] if _script else [sys.executable, "-m", "sds.cli.main"]


def free_port() -> int:
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        # The services take the five ports after the gateway's.
        if not RESERVED_PORTS & set(range(port, port + 6)) and port + 5 <= 65535:
            return port


def sds(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SDS, *args], capture_output=True, text=True, env=env, timeout=timeout)


def production_env(**extra: str) -> dict[str, str]:
    """The environment a non-embedded `sds up` needs: secrets of its own, never the development ones."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SDS_")}
    env.update({"SDS_INTERNAL_SECRET": "cli-test-internal-secret-0123456789",
                "SDS_BOOTSTRAP_CLIENT_ID": "cli-test-client",
                "SDS_BOOTSTRAP_SECRET": "cli-test-bootstrap-secret-0123456789",
                "SDS_PSEUDONIEM_SLEUTEL": "cli-test-pseudoniem-sleutel-0123456789",
                "SDS_BELEIDSINFO_SLEUTEL": "cli-test-beleidsinfo-sleutel-0123456789", **extra})
    return env


def embedded_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("SDS_")}


@dataclass
class UpRun:
    """One `sds up` process and what it recorded about its children."""

    proc: subprocess.Popen[bytes]
    data_dir: Path
    output_path: Path
    port: int
    seen_children: set[int] = field(default_factory=set)

    def output(self) -> str:
        return self.output_path.read_text(encoding="utf-8", errors="replace")

    def state(self) -> dict[str, Any] | None:
        try:
            return json.loads((self.data_dir / "sds-state.json").read_text())  # type: ignore[no-any-return]
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def note_children(self) -> None:
        try:
            self.seen_children |= {c.pid for c in psutil.Process(self.proc.pid).children(recursive=True)}
        except psutil.NoSuchProcess:
            pass

    def wait_running(self, timeout: float = 120) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.note_children()
            state = self.state()
            if state is not None and state.get("status") == "running":
                self.note_children()
                return state
            if self.proc.poll() is not None:
                pytest.fail(f"sds up exited with {self.proc.returncode} before it was ready:\n{self.output()}")
            time.sleep(0.2)
        pytest.fail(f"sds up was not ready within {timeout}s:\n{self.output()}")

    def wait_exit(self, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            self.note_children()
            if time.monotonic() > deadline:
                pytest.fail(f"sds up did not exit within {timeout}s:\n{self.output()}")
            time.sleep(0.1)
        return self.proc.returncode

    def kill_everything(self) -> None:
        """Last-resort cleanup so a failing test leaves no process behind for the next one."""
        self.note_children()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for pid in self.seen_children:
            try:
                psutil.Process(pid).kill()
            except psutil.NoSuchProcess:
                pass


def start_up(data_dir: Path, *args: str, env: dict[str, str] | None = None, port: int | None = None) -> UpRun:
    port = port or free_port()
    output_path = data_dir.parent / f"{data_dir.name}-sds-up.out"
    with open(output_path, "wb") as out:
        proc = subprocess.Popen([*SDS, "up", "--data-dir", str(data_dir), "--port", str(port), *args],
                                stdout=out, stderr=subprocess.STDOUT, env=env if env is not None else embedded_env())
    return UpRun(proc=proc, data_dir=data_dir, output_path=output_path, port=port)


def still_there(pids: Sequence[int] | set[int]) -> list[str]:
    """The processes among ``pids`` that still exist (a zombie counts: nobody reaped it)."""
    left = []
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            left.append(f"{pid} {proc.status()} {' '.join(proc.cmdline()[:4])}")
        except psutil.NoSuchProcess:
            pass
    return left


@pytest.fixture(scope="session")
def backend() -> str:
    return BACKEND


@pytest.fixture
def postgres_url() -> str:
    if BACKEND != "postgres":
        pytest.skip("needs SDS_TEST_DATABASE=postgres")
    return POSTGRES_URL


class FakeNats:
    """A TCP server that greets like NATS and then never answers: clients connect but never get ready."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = int(self.sock.getsockname()[1])
        self.conns: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            try:
                conn.sendall(b'INFO {"server_id":"fake","version":"2.10.0","proto":1,"max_payload":1048576}\r\n')
            except OSError:
                pass

    def close(self) -> None:
        # shutdown wakes the thread blocked in accept(); close alone would not.
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        for conn in self.conns:
            conn.close()


@pytest.fixture
def fake_nats() -> Iterator[FakeNats]:
    server = FakeNats()
    yield server
    server.close()


@contextmanager
def running(tmp_path: Path, archetype: str, *extra: str) -> Iterator[tuple[UpRun, dict[str, str], list[str]]]:
    """A suite under ``archetype`` on this run's backend, the environment to call it with, and the
    arguments that find its databases."""
    data_dir = tmp_path / "data"
    if BACKEND == "postgres":
        prefix = f"sdsdemo_{uuid.uuid4().hex[:10]}"
        url = make_url(POSTGRES_URL).set(database=prefix).render_as_string(hide_password=False)
        env, where = production_env(), ["--database-url", url]
    else:
        prefix, env, where = None, embedded_env(), []
    run = start_up(data_dir, *where, "--archetype", archetype, *extra, env=env)
    try:
        run.wait_running()
        yield run, env, ["--data-dir", str(data_dir), *where]
    finally:
        run.kill_everything()
        if prefix:
            asyncio.run(_drop_databases(prefix))


async def _drop_databases(prefix: str) -> None:
    dsn = make_url(POSTGRES_URL).set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        for row in await conn.fetch("SELECT datname FROM pg_database WHERE datname LIKE $1", prefix + "\\_%"):
            await conn.execute(f'DROP DATABASE IF EXISTS "{row["datname"]}" WITH (FORCE)')
    finally:
        await conn.close()
