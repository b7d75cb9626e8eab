"""`sds migrate`: every service's database at the latest revision, created when missing, idempotent."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from pathlib import Path

import asyncpg
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from tests.cli.conftest import SERVICES, embedded_env, free_port, sds

REPO = Path(__file__).resolve().parents[2]
RUNTIME_TABLES = {"outbox", "inbox", "idempotency_keys", "alembic_version"}


def head(service: str) -> str:
    config = Config()
    config.set_main_option("script_location", str(REPO / "services" / service / "migrations"))
    revision = ScriptDirectory.from_config(config).get_current_head()
    assert revision
    return revision


def sqlite_tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def sqlite_revision(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_migrate_builds_every_service_database_and_is_idempotent(tmp_path: Path) -> None:
    first = sds("migrate", "--data-dir", str(tmp_path), env=embedded_env())
    assert first.returncode == 0, first.stdout + first.stderr
    tables = {}
    for service in SERVICES:
        db = tmp_path / f"{service}.db"
        tables[service] = sqlite_tables(db)
        assert RUNTIME_TABLES <= tables[service], service
        assert sqlite_revision(db) == head(service)
        assert f"{service}" in first.stdout and "(database created)" in first.stdout

    second = sds("migrate", "--data-dir", str(tmp_path), env=embedded_env())
    assert second.returncode == 0, second.stdout + second.stderr
    assert "(database created)" not in second.stdout
    for service in SERVICES:
        assert sqlite_tables(tmp_path / f"{service}.db") == tables[service]
        assert sqlite_revision(tmp_path / f"{service}.db") == head(service)


def test_migrate_one_service(tmp_path: Path) -> None:
    result = sds("migrate", "--service", "zaken", "--data-dir", str(tmp_path), env=embedded_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zaken.db"]
    assert sqlite_revision(tmp_path / "zaken.db") == head("zaken")


def test_migrate_one_service_takes_its_url_from_the_environment(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "financien.db"
    env = {**embedded_env(), "SDS_DATABASE_URL": f"sqlite:///{target}"}
    result = sds("migrate", "--service", "financien", "--data-dir", str(tmp_path / "unused"), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sqlite_revision(target) == head("financien")
    assert not (tmp_path / "unused").exists()


def test_migrate_reports_the_service_that_fails(tmp_path: Path) -> None:
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/sds"
    result = sds("migrate", "--database-url", url, env=embedded_env())
    assert result.returncode == 1
    assert "migrating intake (postgresql://postgres@127.0.0.1:" in result.stdout
    assert "failed" in result.stdout


def test_migrate_refuses_an_unknown_service(tmp_path: Path) -> None:
    result = sds("migrate", "--service", "nope", "--data-dir", str(tmp_path), env=embedded_env())
    assert result.returncode == 2
    assert "invalid choice: 'nope'" in result.stderr


@pytest.mark.postgres
def test_migrate_creates_the_postgres_databases(postgres_url: str) -> None:
    prefix = f"sdsmig_{uuid.uuid4().hex[:10]}"
    url = make_url(postgres_url).set(database=prefix)
    server = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)

    async def revisions() -> dict[str, str]:
        found = {}
        for service in SERVICES:
            dsn = url.set(drivername="postgresql", database=f"{prefix}_{service}").render_as_string(
                hide_password=False)
            conn = await asyncpg.connect(dsn)
            try:
                found[service] = await conn.fetchval("SELECT version_num FROM alembic_version")
                assert await conn.fetchval("SELECT to_regclass('outbox') IS NOT NULL")
            finally:
                await conn.close()
        return found

    async def drop() -> None:
        conn = await asyncpg.connect(server)
        try:
            for service in SERVICES:
                await conn.execute(f'DROP DATABASE IF EXISTS "{prefix}_{service}" WITH (FORCE)')
        finally:
            await conn.close()

    try:
        base = url.render_as_string(hide_password=False)
        first = sds("migrate", "--database-url", base, env=embedded_env())
        assert first.returncode == 0, first.stdout + first.stderr
        assert first.stdout.count("(database created)") == len(SERVICES)
        assert asyncio.run(revisions()) == {s: head(s) for s in SERVICES}
        second = sds("migrate", "--database-url", base, env=embedded_env())
        assert second.returncode == 0, second.stdout + second.stderr
        assert "(database created)" not in second.stdout
        assert asyncio.run(revisions()) == {s: head(s) for s in SERVICES}
    finally:
        asyncio.run(drop())
