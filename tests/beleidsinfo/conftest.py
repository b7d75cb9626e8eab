"""Beleidsinfo on a fresh database, fed events the way its consumer applies them (inbox, handler, one
transaction), and asked through its API in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from contracts.envelope import CloudEvent
from contracts.events import make_event
from sds.runtime.auth import AUTH_HEADER, AuthContext, Autorisatie, sign_auth_context
from sds.runtime.consumer import EventConsumer
from sds.runtime.db import Database, create_engine
from sds.runtime.settings import DEV_INTERNAL_SECRET
from services.beleidsinfo.app import create_app
from services.beleidsinfo.projectie import PURPOSE, SUBJECTS, Projectie
from services.beleidsinfo.settings import BeleidsinfoSettings
from tests.support.databases import fresh_database_url

API = "/beleidsinfo/api/v1"
INTAKE = "http://gemeente.test/intake/api/v1"
ZAKEN = "http://gemeente.test/zaken/api/v1"
CATALOGI = "http://gemeente.test/catalogi/api/v1"
KLANT = "http://gemeente.test/klantgegevens/api/v1"


def huishouden(nr: int) -> str:
    return f"{KLANT}/huishoudens/00000000-0000-4000-8000-{nr:012d}"


def lezer(**limits: Any) -> AuthContext:
    return AuthContext(client_id="beleid", autorisaties=[
        Autorisatie(component="beleidsinfo", scopes=["beleidsinfo.lezen"])], **limits)


def headers(ctx: AuthContext | None = None) -> dict[str, str]:
    return {AUTH_HEADER: sign_auth_context(ctx or lezer(), DEV_INTERNAL_SECRET)}


def _event(type_: str, data: dict[str, Any], when: datetime | None = None) -> CloudEvent:
    ref = next(v for k, v in data.items() if k in ("zaak", "aanvraag", "signaal"))
    ev = make_event(type_, data, source="urn:nld:sociaal-domein:test", subject="x", dataref=ref)
    return ev.model_copy(update={"time": when}) if when else ev


def aanvraag_ingediend(nr: int, hh: int, kolommen: list[str], dag: date) -> CloudEvent:
    return _event("nl.sociaal-domein.intake.aanvraag-ingediend", {
        "aanvraag": f"{INTAKE}/aanvragen/{nr}", "huishouden": huishouden(hh), "kolommen": kolommen,
        "ingediendDoor": "inwoner", "registratiedatum": dag.isoformat()})


def zaak_geopend(nr: int, hh: int, kolommen: list[str], dag: date, *, aanvraag: int | None = None,
                 cluster: str | None = None) -> CloudEvent:
    return _event("nl.overheid.zaken.zaak-geopend", {
        "aanvraag": f"{INTAKE}/aanvragen/{aanvraag}" if aanvraag is not None else None,
        "zaak": f"{ZAKEN}/zaken/{nr}", "zaaktype": f"{CATALOGI}/zaaktypen/{kolommen[0]}",
        "catalogus": f"{CATALOGI}/catalogussen/{kolommen[0]}", "kolommen": kolommen, "cluster": cluster,
        "integraal": len(kolommen) > 1, "huishouden": huishouden(hh), "vertrouwelijkheidaanduiding": "vertrouwelijk",
        "registratiedatum": dag.isoformat(), "startdatum": dag.isoformat()})


def status_gezet(nr: int, statustype: str, eind: bool = False) -> CloudEvent:
    return _event("nl.overheid.zaken.status-gezet", {
        "zaak": f"{ZAKEN}/zaken/{nr}", "zaaktype": f"{CATALOGI}/zaaktypen/x", "status": f"{ZAKEN}/statussen/{nr}",
        "statustype": f"{CATALOGI}/statustypen/{statustype}", "datumStatusGezet": "2026-02-01T10:00:00+00:00",
        "isEindstatus": eind})


def resultaat(nr: int, hh: int, kolom: str, dag: date, uitkomst: str = "toegekend",
              voorziening: tuple[date, date | None] | None = None) -> CloudEvent:
    toekenningen = [] if voorziening is None else [{
        "product": {"productcategorie": "02", "productcode": "02A01"},
        "omvang": {"volume": 4, "eenheid": "uur", "frequentie": "per-week"},
        "begindatum": voorziening[0].isoformat(),
        "einddatum": voorziening[1].isoformat() if voorziening[1] else None}]
    return _event("nl.overheid.zaken.resultaat-vastgesteld", {
        "zaak": f"{ZAKEN}/zaken/{nr}", "zaaktype": f"{CATALOGI}/zaaktypen/{kolom}", "huishouden": huishouden(hh),
        "kolom": kolom, "resultaat": f"{ZAKEN}/resultaten/{nr}", "resultaattype": f"{CATALOGI}/resultaattypen/1",
        "uitkomst": uitkomst, "toekenningen": toekenningen},
        when=datetime(dag.year, dag.month, dag.day, 12, tzinfo=UTC))


def zaak_afgesloten(nr: int, hh: int, kolommen: list[str], dag: date) -> CloudEvent:
    return _event("nl.overheid.zaken.zaak-afgesloten", {
        "zaak": f"{ZAKEN}/zaken/{nr}", "zaaktype": f"{CATALOGI}/zaaktypen/x", "huishouden": huishouden(hh),
        "kolommen": kolommen, "resultaattype": f"{CATALOGI}/resultaattypen/1", "einddatum": dag.isoformat()})


def signaal(nr: int, hh: int, soort: str, dag: date) -> CloudEvent:
    return _event("nl.sociaal-domein.intake.signaal-ontvangen", {
        "signaal": f"{INTAKE}/signalen/{nr}", "huishouden": huishouden(hh), "partnersoort": "woningcorporatie",
        "signaalsoort": soort, "crisis": False, "registratiedatum": dag.isoformat()})


def termijn(nr: int, kolom: str, dag: date) -> CloudEvent:
    return _event("nl.sociaal-domein.intake.termijn-overschreden", {
        "aanvraag": f"{INTAKE}/aanvragen/{nr}", "kolom": kolom, "termijnsoort": "beslissing", "termijn": "P56D",
        "startdatum": "2026-01-01", "uiterlijkeEinddatum": dag.isoformat()})


def geescaleerd(nr: int, hh: int, kolom: str, dag: date) -> CloudEvent:
    return _event("nl.sociaal-domein.zaken.zaak-geescaleerd", {
        "zaak": f"{ZAKEN}/zaken/{nr}", "kolom": kolom, "hoofdzaak": f"{ZAKEN}/zaken/9{nr}",
        "huishouden": huishouden(hh),
        "redenen": [{"code": "meerdere-kolommen"}]},
        when=datetime(dag.year, dag.month, dag.day, 12, tzinfo=UTC))


@dataclass
class Bi:
    app: FastAPI
    client: httpx.AsyncClient
    consumer: EventConsumer

    async def deliver(self, *events: CloudEvent) -> None:
        """As the live consumer does: the runtime's inbox in front of the handler, so a repeat is skipped."""
        await self.consumer.apply(list(events))

    async def get(self, path: str, ctx: AuthContext | None = None, **params: Any) -> httpx.Response:
        return await self.client.get(f"{API}{path}", params=params, headers=headers(ctx))

    async def cellen(self, naam: str, **params: Any) -> list[dict[str, Any]]:
        response = await self.get(f"/indicatoren/{naam}", **params)
        assert response.status_code == 200, response.text
        return response.json()["results"]  # type: ignore[no-any-return]


async def make_bi(tmp_path: Any, **settings: Any) -> AsyncIterator[Bi]:
    async with fresh_database_url(tmp_path, "beleidsinfo") as url:
        cfg = BeleidsinfoSettings(env="dev", database_url=url, nats_url="nats://127.0.0.1:1", **settings)
        app = create_app(cfg)
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(app.state.metadata.create_all)
        await engine.dispose()
        # Only the database: the bus is the live tests' business (test_replay), and cancelling the runtime's
        # bus start-up mid-connect can hold up a shutdown.
        app.state.db = Database(url)
        try:
            consumer = EventConsumer(app.state.db, None, durable=f"beleidsinfo-{PURPOSE}",  # type: ignore[arg-type]
                                     subjects=SUBJECTS, handler=Projectie(app.state.beleidsinfo.pseudoniem))
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                yield Bi(app, client, consumer)
        finally:
            await app.state.db.dispose()


@pytest.fixture
async def bi(tmp_path: Any) -> AsyncIterator[Bi]:
    async for b in make_bi(tmp_path, archetype="transitie-proof"):
        yield b
