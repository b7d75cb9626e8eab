"""Databases: create a service's PostgreSQL database when missing, then bring it to the latest revision."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import asyncpg
from sqlalchemy.engine import make_url

from sds.cli.suite import is_postgres, migrations_dir
from sds.runtime.settings import sqlite_path


@dataclass(frozen=True)
class Migrated:
    service: str
    revision: str | None
    created: bool


def server_dsn(url: str, database: str = "postgres") -> str:
    """A plain libpq DSN for asyncpg (no SQLAlchemy driver suffix), on another database of the server."""
    return make_url(url).set(drivername="postgresql", database=database).render_as_string(hide_password=False)


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def _create_postgres_database(url: str) -> bool:
    name = make_url(url).database
    assert name, "a service database URL always names its database"
    # CREATE DATABASE cannot run inside the database it creates: go through the server's `postgres`.
    conn = await asyncpg.connect(server_dsn(url), timeout=10)
    try:
        if await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            return False
        try:
            await conn.execute(f"CREATE DATABASE {_quote_identifier(name)}")
        except asyncpg.DuplicateDatabaseError:
            return False  # another `sds migrate` (e.g. a second replica's init container) won the race
        return True
    finally:
        await conn.close()


def ensure_database(url: str) -> bool:
    """Make sure the database behind ``url`` exists; True when this call created it."""
    if is_postgres(url):
        return asyncio.run(_create_postgres_database(url))
    path = sqlite_path(url)
    if path is None:
        return False
    existed = path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    return not existed


def migrate(service: str, url: str) -> Migrated:
    # Imported here so `sds status` does not pay for alembic.
    from sds.runtime.migrations import current_revision, upgrade

    created = ensure_database(url)
    directory = migrations_dir(service)
    upgrade(directory, url)
    return Migrated(service=service, revision=current_revision(directory, url), created=created)
