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
SERVICES = ["intake", "zaken", "klantgegevens", "financien", "beleidsinfo", "notificaties", "documenten"]


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


async def test_zaken_0008_gives_the_zaken_it_finds_their_bounding_box(tmp_path: Path) -> None:
    import httpx
    from alembic import command
    from sqlalchemy import select

    from sds.runtime.migrations import alembic_config
    from sds.runtime.settings import ServiceSettings
    from services.zaken.app import create_app
    from services.zaken.seed_catalogus import DEFAULT_RSIN
    from services.zaken.seed_catalogus import run as seed_catalogus
    from services.zaken.zaken.models import zaken
    from tests.zaken.conftest import headers

    migrations = ROOT / "services" / "zaken" / "migrations"
    base = "http://testserver"
    async with fresh_database_url(tmp_path, "zaken") as url:
        await asyncio.to_thread(upgrade, migrations, url)
        zaaktypen = await seed_catalogus(url, base, DEFAULT_RSIN)
        app = create_app(ServiceSettings(service="zaken", env="dev", database_url=url, nats_url="nats://127.0.0.1:1",
                                         public_base_url=base))
        async with app.router.lifespan_context(app), httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url=base) as client:
            r = await client.post("/zaken/api/v1/zaken", headers={
                **headers(), "Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}, json={
                "bronorganisatie": DEFAULT_RSIN, "verantwoordelijkeOrganisatie": DEFAULT_RSIN,
                "zaaktype": zaaktypen["WMO-HBH"], "startdatum": "2026-11-01",
                "zaakgeometrie": {"type": "LineString", "coordinates": [[5.11, 52.09], [5.13, 52.07]]}})
            assert r.status_code == 201, r.text
        # The zaak as a database from before zaken_0008 holds it, then migrated.
        await asyncio.to_thread(command.downgrade, alembic_config(migrations, url), "zaken_zrc_0001")
        await asyncio.to_thread(upgrade, migrations, url)
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                box = (await conn.execute(select(zaken.c.geo_xmin, zaken.c.geo_ymin, zaken.c.geo_xmax,
                                                 zaken.c.geo_ymax))).one()
        finally:
            await engine.dispose()
    assert tuple(box) == (5.11, 52.07, 5.13, 52.09)


async def test_beleidsinfo_0005_fills_the_maskers_and_first_aanvragen_of_what_is_projected(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import text

    from sds.runtime.migrations import alembic_config

    migrations = ROOT / "services" / "beleidsinfo" / "migrations"
    async with fresh_database_url(tmp_path, "beleidsinfo") as url:
        await asyncio.to_thread(command.upgrade, alembic_config(migrations, url), "beleidsinfo_0004")
        engine = create_engine(url)
        try:
            async with engine.begin() as conn:  # rows as a projection before beleidsinfo_0005 holds them
                await conn.execute(text(
                    "INSERT INTO bi_zaken (zaak, huishouden, kolommen, integraal, registratiedatum, startdatum, "
                    "eindstatus) VALUES ('z1', 'h1', '[\"wmo\", \"schuldhulp\"]', false, '2026-01-05', '2026-01-05', "
                    "false), ('z2', 'h2', '[\"jeugd\"]', false, '2026-01-05', '2026-01-05', false)"))
                await conn.execute(text(
                    "INSERT INTO bi_zaak_kolommen (zaak, kolom, huishouden, registratiedatum) VALUES "
                    "('z1', 'wmo', 'h1', '2026-01-05'), ('z1', 'schuldhulp', 'h1', '2026-01-05'), "
                    "('z2', 'jeugd', 'h2', '2026-01-05')"))
                await conn.execute(text(
                    "INSERT INTO bi_aanvragen (aanvraag, huishouden, kolommen, ingediend_door, registratiedatum) "
                    "VALUES ('a1', 'h1', '[\"wmo\"]', 'inwoner', '2026-01-01'), "
                    "('a2', 'h1', '[\"wmo\"]', 'inwoner', '2026-03-01'), "
                    "('a3', 'h1', '[\"wmo\"]', 'inwoner', '2026-02-01')"))
                await conn.execute(text(
                    "INSERT INTO bi_signalen (signaal, huishouden, signaalsoort, partnersoort, crisis, "
                    "registratiedatum) VALUES ('s1', 'h1', 'x', 'y', false, '2026-01-10'), "
                    "('s2', 'h1', 'x', 'y', false, '2026-04-01'), ('s3', NULL, 'x', 'y', false, '2026-01-10')"))
            await asyncio.to_thread(upgrade, migrations, url)
            async with engine.connect() as conn:
                maskers = dict((await conn.execute(text("SELECT zaak, masker FROM bi_zaken"))).all())
                eerste = {s: str(d) if d else None for s, d in (await conn.execute(
                    text("SELECT signaal, eerste_aanvraag FROM bi_signalen"))).all()}
        finally:
            await engine.dispose()
    assert maskers == {"z1": 1 | 8, "z2": 2}
    # The first aanvraag on or after the signaal: not the one before it, the earliest of those after it.
    assert eerste == {"s1": "2026-02-01", "s2": None, "s3": None}
