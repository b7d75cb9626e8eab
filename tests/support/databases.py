"""A fresh database for a test, on the backend this test run selects.

``SDS_TEST_DATABASE=sqlite`` (default): a SQLite file in the test's temp dir.
``SDS_TEST_DATABASE=postgres``: a new database on ``SDS_TEST_POSTGRES_URL``, dropped afterwards — by a thread of
its own, not by the test: PostgreSQL checkpoints for every DROP DATABASE (0.1-1 s each, against 0.1 s for a
CREATE), which over the run's thousand-odd databases cost more than the tests themselves. The run waits for the
last drop at its end (``wait_for_drops``, from tests/conftest.py).
"""

from __future__ import annotations

import asyncio
import os
import queue
import threading
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

BACKEND = os.environ.get("SDS_TEST_DATABASE", "sqlite")
POSTGRES_URL = os.environ.get("SDS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _server_dsn(url: str, database: str) -> str:
    return make_url(url).set(drivername="postgresql", database=database).render_as_string(hide_password=False)


async def create_postgres_database(name: str) -> str:
    conn = await asyncpg.connect(_server_dsn(POSTGRES_URL, "postgres"))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return make_url(POSTGRES_URL).set(drivername="postgresql+asyncpg", database=name).render_as_string(
        hide_password=False)


async def drop_postgres_database(name: str) -> None:
    conn = await asyncpg.connect(_server_dsn(POSTGRES_URL, "postgres"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


class _Dropper:
    """Drops the databases handed to it, one after the other, on one connection of its own thread."""

    def __init__(self) -> None:
        self.names: queue.Queue[str | None] = queue.Queue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def drop(self, name: str) -> None:
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(target=asyncio.run, args=(self._drain(),), name="drop-databases",
                                               daemon=True)
                self.thread.start()
        self.names.put(name)

    async def _drain(self) -> None:
        conn = await asyncpg.connect(_server_dsn(POSTGRES_URL, "postgres"))
        try:
            while (name := await asyncio.to_thread(self.names.get)) is not None:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    def wait(self) -> None:
        with self.lock:
            thread, self.thread = self.thread, None
        if thread is not None:
            self.names.put(None)
            thread.join()


_dropper = _Dropper()


def wait_for_drops() -> None:
    """Every database handed to the dropper is gone when this returns."""
    _dropper.wait()


@asynccontextmanager
async def fresh_database_url(tmp_path: Path, label: str) -> AsyncIterator[str]:
    """An async SQLAlchemy URL of an empty database that exists for the duration of the block."""
    if BACKEND == "postgres":
        name = f"sds_test_{label}_{uuid.uuid4().hex[:10]}"
        url = await create_postgres_database(name)
        try:
            yield url
        finally:
            _dropper.drop(name)
    else:
        yield f"sqlite+aiosqlite:///{tmp_path / (label + '.db')}"
