"""Alembic, once for all services: each service's ``migrations/env.py`` calls ``run_env``.

Every service keeps its own migration history in ``services/<name>/migrations/versions`` and
its own ``alembic_version`` table in its own database.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from sds.runtime.db import create_engine, new_metadata
from sds.runtime.settings import async_database_url


def alembic_config(migrations_dir: Path, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", async_database_url(database_url).replace("%", "%%"))
    # Date-prefixed file names keep the history readable in a directory listing.
    config.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    return config


def upgrade(migrations_dir: Path, database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(migrations_dir, database_url), revision)


def current_revision(migrations_dir: Path, database_url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    async def _read() -> str | None:
        engine = create_engine(async_database_url(database_url))
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())
        finally:
            await engine.dispose()

    return asyncio.run(_read())


def run_env(metadata: MetaData) -> None:
    """The body of a service's env.py: online migrations on the async engine of its URL."""
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is not set"

    def do_run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                await connection.run_sync(do_run)
                await connection.commit()
        finally:
            await engine.dispose()

    asyncio.run(run())


def create_runtime_tables(connection: Connection) -> None:
    """For a service's first migration: the runtime's outbox, inbox and idempotency tables."""
    new_metadata().create_all(connection)


def drop_runtime_tables(connection: Connection) -> None:
    new_metadata().drop_all(connection)
