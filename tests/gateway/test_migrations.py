"""The gateway's database under Alembic: the migrations build what the models say, and applicaties stored
with the suite's own component names (``zaken``, ``catalogi``, ``autorisaties``) come out under the
standard's (``zrc``, ``ztc``, ``ac``) and keep working through the gateway."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, select, text

from gateway.app import create_app
from gateway.applicaties import MIGRATIONS_DIR, applicaties_table, client_ids_table, metadata
from sds.runtime.db import create_engine
from sds.runtime.migrations import alembic_config, current_revision, upgrade
from tests.gateway.conftest import gateway_settings, serve, token
from tests.gateway.upstream import seen
from tests.support.databases import fresh_database_url

SECRET = "oude-applicatie-secret-0123456789-abcdef"
OLD_AUTORISATIES = [
    {"component": "zaken", "scopes": ["zaken.lezen"], "kolom": "wmo", "max_vertrouwelijkheidaanduiding": "intern"},
    {"component": "catalogi", "scopes": ["catalogi.lezen"]},
    {"component": "autorisaties", "scopes": ["autorisaties.lezen"]},
    {"component": "intake", "scopes": ["intake.aanvragen.lezen"], "kolom": "wmo"},
]


async def test_migrations_match_the_models(tmp_path: Path) -> None:
    async with fresh_database_url(tmp_path, "gateway") as url:
        await asyncio.to_thread(upgrade, MIGRATIONS_DIR, url)
        await asyncio.to_thread(upgrade, MIGRATIONS_DIR, url)  # a second run changes nothing
        assert await asyncio.to_thread(current_revision, MIGRATIONS_DIR, url) == "gateway_0003"
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                diff = await conn.run_sync(
                    lambda c: compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), metadata))
        finally:
            await engine.dispose()
    assert diff == [], f"models and migrations of the gateway differ: {diff}"


async def _old_database(url: str, *, made_by: str) -> None:
    """A database as the gateway left it before: at gateway_0001, or made at start-up without Alembic."""
    await asyncio.to_thread(upgrade, MIGRATIONS_DIR, url, "gateway_0001")
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            if made_by == "create_all":
                await conn.execute(text("DROP TABLE alembic_version"))
            await conn.execute(insert(applicaties_table).values(
                uuid="6a1e0c34-0b8e-4f57-9b1e-3b0f7d2a9c11", label="Wmo-team", secret=SECRET,
                heeft_alle_autorisaties=False, autorisaties=OLD_AUTORISATIES, kolommen=["wmo"], clusters=[]))
            await conn.execute(insert(client_ids_table).values(
                client_id="wmo-team", applicatie_uuid="6a1e0c34-0b8e-4f57-9b1e-3b0f7d2a9c11"))
    finally:
        await engine.dispose()


@pytest.mark.parametrize("made_by", ["gateway_0001", "create_all"])
async def test_an_old_applicatie_migrates_to_the_standard_names_and_still_works(
        made_by: str, tmp_path: Path, upstream_url: str) -> None:
    async with fresh_database_url(tmp_path, "gateway") as url:
        await _old_database(url, made_by=made_by)

        # The gateway brings its database to the latest revision when it starts.
        settings = gateway_settings(upstream_url, gateway_database_url=url, rate_limit_per_second=0)
        with serve(create_app(settings)) as gateway:
            assert await asyncio.to_thread(current_revision, MIGRATIONS_DIR, url) == "gateway_0003"
            own = {"authorization": f"Bearer {token(client_id='wmo-team', secret=SECRET)}"}
            async with httpx.AsyncClient(base_url=gateway, timeout=10, trust_env=False) as c:
                # Its old grant on "autorisaties" is one on ac: it reads itself through the standard's lookup.
                found = await c.get("/autorisaties/api/v1/applicaties/consumer", headers=own,
                                    params={"clientId": "wmo-team"})
                assert found.status_code == 200, found.text
                assert [(a["component"], a["componentWeergave"]) for a in found.json()["autorisaties"]] == [
                    ("zrc", "Zaakregistratiecomponent"), ("ztc", "Zaaktypecatalogus"),
                    ("ac", "Autorisatiecomponent"), ("intake", "Intake (Sociaal Domein Suite)")]
                zrc = found.json()["autorisaties"][0]
                assert zrc["kolom"] == "wmo" and zrc["maxVertrouwelijkheidaanduiding"] == "intern"

                # The services receive the grants under the names they now check.
                response = await c.get("/zaken/api/v1/zaken", headers=own)
                assert response.status_code == 200, response.text
                ctx = seen[response.headers["x-request-id"]]["auth"]
                assert [a["component"] for a in ctx["autorisaties"]] == ["zrc", "ztc", "ac", "intake"]

        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                stored = (await conn.execute(select(applicaties_table.c.autorisaties))).scalar_one()
        finally:
            await engine.dispose()
        assert [a["component"] for a in stored] == ["zrc", "ztc", "ac", "intake"]
        assert [a["scopes"] for a in stored] == [a["scopes"] for a in OLD_AUTORISATIES]


async def test_the_rename_goes_back_on_downgrade(tmp_path: Path) -> None:
    async with fresh_database_url(tmp_path, "gateway") as url:
        await _old_database(url, made_by="gateway_0001")
        await asyncio.to_thread(upgrade, MIGRATIONS_DIR, url)
        await asyncio.to_thread(command.downgrade, alembic_config(MIGRATIONS_DIR, url), "gateway_0001")
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                stored = (await conn.execute(select(applicaties_table.c.autorisaties))).scalar_one()
                client_ids = (await conn.execute(select(client_ids_table.c.client_id))).scalars().all()
        finally:
            await engine.dispose()
        assert stored == OLD_AUTORISATIES
        # SQLite copies the table to change a column; the client ids (a cascading foreign key) survive it.
        assert client_ids == ["wmo-team"]
