"""The shared verwerkingenlog's read that records itself (``Verwerkingenlog.lezen``): on PostgreSQL the records are
written by the read's own statement, elsewhere after it, with the same result — one record per row with a lawful
reason, none for a row without, duplicates once, nothing when the log is off."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, insert, select

from sds.runtime.auth import AuthContext
from sds.runtime.db import Database
from sds.runtime.tracing import new_trace, trace_var
from sds.runtime.verwerkingenlog import Verwerkingenlog, pseudoniem, verwerkingen_tabel
from tests.support.databases import fresh_database_url

SLEUTEL = b"test-pseudoniem-sleutel-0123456789"
metadata = MetaData()
dossiers = Table("dossiers", metadata, Column("id", Integer, primary_key=True), Column("wie", String(32)),
                 Column("reden", String(200), nullable=True), Column("kolom", String(20)))
verwerkingen = verwerkingen_tabel(metadata)
PER_KOLOM = select(dossiers).where(dossiers.c.kolom == bindparam("kolom")).order_by(dossiers.c.id)
CTX = AuthContext(client_id="test-wmo", user_id="medewerker-1")


async def _database(tmp_path: Path) -> Any:
    async with fresh_database_url(tmp_path, "vwl") as url:
        db = Database(url)
        async with db.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        async with db.transaction() as session:
            await session.execute(insert(dossiers), [
                {"id": 1, "wie": "a", "reden": "zaak:wmo", "kolom": "wmo"},
                {"id": 2, "wie": "b", "reden": None, "kolom": "wmo"},
                {"id": 3, "wie": "a", "reden": "zaak:wmo", "kolom": "wmo"},  # the same person and reason again
                {"id": 4, "wie": "c", "reden": "x" * 200, "kolom": "wmo"},
                {"id": 5, "wie": "d", "reden": "zaak:jeugd", "kolom": "jeugd"}])
        try:
            yield db
        finally:
            await db.dispose()


@pytest.fixture
async def db(tmp_path: Path) -> Any:
    async for found in _database(tmp_path):
        yield found


async def _records(db: Database) -> list[tuple[Any, ...]]:
    async with db.transaction() as session:
        rows = (await session.execute(select(verwerkingen).order_by(verwerkingen.c.betrokkene))).all()
    return [(r.client_id, r.gebruiker, r.verwerkingsactiviteit, r.handeling, r.grondslag, r.betrokkene, r.trace_id)
            for r in rows]


async def test_een_lezing_legt_elke_rij_met_een_grondslag_eenmaal_vast(db: Database) -> None:
    log = Verwerkingenlog(verwerkingen, sleutel=SLEUTEL)
    trace = new_trace()
    token = trace_var.set(trace)
    try:
        async with db.transaction() as session:
            rows = await log.lezen(session, CTX, PER_KOLOM, {"kolom": "wmo"}, activiteit="dossier-raadplegen",
                                   betrokkene="wie", grondslag="reden")
    finally:
        trace_var.reset(token)
    assert [r.id for r in rows] == [1, 2, 3, 4]  # the rows of the read itself, untouched
    assert await _records(db) == [
        ("test-wmo", "medewerker-1", "dossier-raadplegen", "lezen", "zaak:wmo", "a", trace.trace_id),
        ("test-wmo", "medewerker-1", "dossier-raadplegen", "lezen", "x" * 100, "c", trace.trace_id)]


async def test_zonder_eigen_grondslag_geldt_de_andere(db: Database) -> None:
    log = Verwerkingenlog(verwerkingen, sleutel=SLEUTEL)
    async with db.transaction() as session:
        await log.lezen(session, CTX, PER_KOLOM, {"kolom": "wmo"}, activiteit="a", betrokkene="wie", grondslag="reden",
                        anders="registratie")
        await log.lezen(session, CTX, PER_KOLOM, {"kolom": "jeugd"}, activiteit="b", betrokkene="wie",
                        grondslag=None, anders="alle-autorisaties")
    assert [(r[2], r[4], r[5]) for r in await _records(db)] == [
        ("a", "zaak:wmo", "a"), ("a", "registratie", "b"), ("a", "x" * 100, "c"), ("b", "alle-autorisaties", "d")]


async def test_een_mislukte_transactie_laat_geen_record_en_uit_is_uit(db: Database) -> None:
    log = Verwerkingenlog(verwerkingen, sleutel=SLEUTEL)
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            await log.lezen(session, CTX, PER_KOLOM, {"kolom": "wmo"}, activiteit="a", betrokkene="wie",
                            grondslag="reden")
            raise RuntimeError("the answer failed after the read")
    uit = Verwerkingenlog(verwerkingen, sleutel=SLEUTEL, aan=False)
    async with db.transaction() as session:
        rows = await uit.lezen(session, CTX, PER_KOLOM, {"kolom": "wmo"}, activiteit="a", betrokkene="wie",
                               grondslag="reden")
    assert len(rows) == 4
    assert await _records(db) == []


def test_pseudoniemen_blijven_dezelfde_uit_het_geheugen() -> None:
    log = Verwerkingenlog(verwerkingen, sleutel=SLEUTEL)
    assert log.pseudoniem("111222333") == log.pseudoniem("111222333") == pseudoniem("111222333", SLEUTEL)
    assert log.pseudoniem("111222333") != Verwerkingenlog(verwerkingen, sleutel=b"x" * 32).pseudoniem("111222333")
