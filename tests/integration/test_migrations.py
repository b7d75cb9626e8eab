"""Each service's migrations build its database, and the result matches its models exactly."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from sds.runtime.db import create_engine
from sds.runtime.migrations import current_revision, upgrade
from tests.support.databases import fresh_database_url

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ["intake", "zaken", "klantgegevens", "financien", "beleidsinfo"]


@pytest.mark.parametrize("service", SERVICES)
async def test_migrations_match_models(service: str, tmp_path: Path) -> None:
    import importlib

    metadata = importlib.import_module(f"services.{service}.models").metadata
    migrations = ROOT / "services" / service / "migrations"
    async with fresh_database_url(tmp_path, service) as url:
        # Alembic runs its own event loop; keep it off this one.
        await asyncio.to_thread(upgrade, migrations, url)
        await asyncio.to_thread(upgrade, migrations, url)  # a second run changes nothing
        head = await asyncio.to_thread(current_revision, migrations, url)
        assert head is not None and head.startswith(service)
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
                diff = await conn.run_sync(
                    lambda c: compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), metadata))
        finally:
            await engine.dispose()
    assert {"outbox", "inbox", "idempotency_keys", "alembic_version"} <= tables
    assert set(metadata.tables) <= tables
    assert diff == [], f"models and migrations of {service} differ: {diff}"
