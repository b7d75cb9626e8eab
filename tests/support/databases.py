"""A fresh database for a test, on the backend this test run selects.

``SDS_TEST_DATABASE=sqlite`` (default): a SQLite file in the test's temp dir.
``SDS_TEST_DATABASE=postgres``: a new database on ``SDS_TEST_POSTGRES_URL``, dropped afterwards.
"""

from __future__ import annotations

import os
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


@asynccontextmanager
async def fresh_database_url(tmp_path: Path, label: str) -> AsyncIterator[str]:
    """An async SQLAlchemy URL of an empty database that exists for the duration of the block."""
    if BACKEND == "postgres":
        name = f"sds_test_{label}_{uuid.uuid4().hex[:10]}"
        url = await create_postgres_database(name)
        try:
            yield url
        finally:
            await drop_postgres_database(name)
    else:
        yield f"sqlite+aiosqlite:///{tmp_path / (label + '.db')}"
