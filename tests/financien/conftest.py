"""Financien in-process on the selected database, with helpers to buy in care and to hand it events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from contracts.envelope import CloudEvent
from contracts.events import make_event
from sds.runtime.auth import AUTH_HEADER, AuthContext, Autorisatie, sign_auth_context
from sds.runtime.db import Database, create_engine, outbox_table
from sds.runtime.settings import DEV_INTERNAL_SECRET
from services.financien import toewijzingen
from services.financien.app import create_app
from services.financien.settings import FinancienSettings
from tests.support.databases import fresh_database_url

BASE = "http://testserver"
API = f"{BASE}/financien/api/v1"
ZAKEN = "http://zaken.test/zaken/api/v1"
HUISHOUDEN = "http://klantgegevens.test/klantgegevens/api/v1/huishoudens/0b6c5a4e-7d43-4b0c-9b43-6f7f8e2d9a11"


def headers(ctx: AuthContext) -> dict[str, str]:
    return {AUTH_HEADER: sign_auth_context(ctx, DEV_INTERNAL_SECRET)}


def beheer() -> AuthContext:
    return AuthContext(client_id="beheer", heeft_alle_autorisaties=True)


def inkoper() -> AuthContext:
    return AuthContext(client_id="team-inkoop", user_id="inkoper-1", autorisaties=[
        Autorisatie(component="financien", scopes=["financien.lezen", "financien.schrijven"])])


def aanbieder_app(client_id: str) -> AuthContext:
    return AuthContext(client_id=client_id, autorisaties=[
        Autorisatie(component="financien", scopes=["financien.lezen", "financien.schrijven"])])


@dataclass
class Fin:
    app: FastAPI
    client: httpx.AsyncClient

    async def post(self, path: str, body: Any, ctx: AuthContext | None = None) -> httpx.Response:
        url = path if path.startswith("http") else f"{API}{path}"
        return await self.client.post(url, json=body, headers=headers(ctx or inkoper()))

    async def get(self, path: str, ctx: AuthContext | None = None, **params: Any) -> httpx.Response:
        url = path if path.startswith("http") else f"{API}{path}"
        return await self.client.get(url, params=params, headers=headers(ctx or inkoper()))

    async def made(self, path: str, body: Any) -> dict[str, Any]:
        r = await self.post(path, body)
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    async def inkoop(self, *, agb: str = "12345678", applicaties: list[str] | None = None,
                     kolommen: list[str] | None = None, eenheid: str = "uur", frequentie: str = "per-week",
                     tarief: str = "52.40", begin: str = "2026-01-01", eind: str | None = "2026-12-31",
                     productcode: str = "02A01") -> dict[str, Any]:
        """An aanbieder with one contract, one product and one tarief over the contract's period."""
        aanbieder = await self.made("/aanbieders", {"naam": f"Zorg {agb}", "agbCode": agb, "kvkNummer": "87654321",
                                                    "applicaties": applicaties or []})
        contract = await self.made("/contracten", {
            "aanbieder": aanbieder["url"], "kolommen": kolommen or ["wmo"], "begindatum": begin, "einddatum": eind,
            "uitvoeringsvariant": "inspanningsgericht"})
        product = await self.made("/producten", {"contract": contract["url"], "productcategorie": "02",
                                                 "productcode": productcode, "eenheid": eenheid,
                                                 "frequentie": frequentie})
        await self.made("/tarieven", {"product": product["url"], "begindatum": begin, "einddatum": eind,
                                      "bedrag": tarief})
        return {"aanbieder": aanbieder, "contract": contract, "product": product}

    async def deliver(self, *events: CloudEvent) -> None:
        """Hand events to the handler as the consumer does: inside one transaction per event."""
        handle = toewijzingen.handler(BASE)
        for ev in events:
            async with self.app.state.db.transaction() as session:
                await handle(session, ev)

    async def outbox(self) -> list[CloudEvent]:
        table = outbox_table(self.app.state.metadata)
        async with self.app.state.db.transaction() as session:
            rows = (await session.execute(select(table.c.payload).order_by(table.c.seq))).scalars().all()
        return [CloudEvent.model_validate_json(p) for p in rows]

    async def count(self, table: Any) -> int:
        async with self.app.state.db.transaction() as session:
            return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


def toegekend(toekenningen: list[dict[str, Any]], nr: int = 1, kolom: str = "wmo",
              uitkomst: str = "toegekend") -> CloudEvent:
    zaak = f"{ZAKEN}/zaken/{nr}"
    resultaat = f"{ZAKEN}/resultaten/{nr}"
    return make_event("nl.overheid.zaken.resultaat-vastgesteld", {
        "zaak": zaak, "zaaktype": "http://zaken.test/catalogi/api/v1/zaaktypen/1", "huishouden": HUISHOUDEN,
        "kolom": kolom, "resultaat": resultaat, "resultaattype": "http://zaken.test/catalogi/api/v1/resultaattypen/1",
        "uitkomst": uitkomst, "toekenningen": toekenningen}, source="urn:nld:sociaal-domein:zaken", subject=str(nr),
        dataref=resultaat)


def toekenning(aanbieder: str, *, volume: int = 3, eenheid: str = "uur", frequentie: str = "per-week",
               begin: str = "2026-03-02", eind: str | None = "2026-03-29", productcode: str | None = "02A01",
               ) -> dict[str, Any]:
    return {"product": {"productcategorie": "02", "productcode": productcode},
            "omvang": {"volume": volume, "eenheid": eenheid, "frequentie": frequentie},
            "begindatum": begin, "einddatum": eind, "aanbieder": aanbieder}


async def make_fin(tmp_path: Any, **settings: Any) -> AsyncIterator[Fin]:
    """The app on a fresh database, without a bus: events are handed to its handler and read from its outbox."""
    async with fresh_database_url(tmp_path, "financien") as url:
        app = create_app(FinancienSettings(env="dev", database_url=url, nats_url="nats://127.0.0.1:1",
                                           public_base_url=BASE, **settings))
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(app.state.metadata.create_all)
        await engine.dispose()
        app.state.db = Database(url)
        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
                yield Fin(app=app, client=client)
        finally:
            await app.state.db.dispose()


@pytest.fixture
async def fin(tmp_path) -> AsyncIterator[Fin]:  # type: ignore[no-untyped-def]
    async for f in make_fin(tmp_path):
        yield f
