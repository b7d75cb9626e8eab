"""The zaken service on the selected database, in-process, with the seeded catalogue."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from sds.runtime.auth import AUTH_HEADER, AuthContext, Autorisatie, sign_auth_context
from sds.runtime.db import create_engine
from sds.runtime.settings import DEV_INTERNAL_SECRET, ServiceSettings
from services.zaken.app import create_app
from services.zaken.seed_catalogus import DEFAULT_RSIN, run
from tests.support.databases import fresh_database_url

BASE = "http://testserver"
ZAKEN = f"{BASE}/zaken/api/v1"
CATALOGI = f"{BASE}/catalogi/api/v1"
RSIN = DEFAULT_RSIN
OTHER_RSIN = "123456782"


def headers(ctx: AuthContext | None = None, **extra: str) -> dict[str, str]:
    ctx = ctx or AuthContext(client_id="test-alles", heeft_alle_autorisaties=True)
    return {AUTH_HEADER: sign_auth_context(ctx, DEV_INTERNAL_SECRET), **extra}


def client_ctx(client_id: str, *grants: Autorisatie) -> AuthContext:
    return AuthContext(client_id=client_id, autorisaties=list(grants))


def catalogusbeheerder() -> dict[str, str]:
    """A catalogue editor: catalogi.lezen and catalogi.schrijven, without the forced scopes that
    heeftAlleAutorisaties brings (``catalogi.geforceerd-verwijderen`` deletes published types)."""
    return headers(client_ctx("catalogusbeheerder", Autorisatie(component="ztc",
                                                              scopes=["catalogi.lezen", "catalogi.schrijven"])))


@dataclass
class Suite:
    app: FastAPI
    client: httpx.AsyncClient
    url: str
    zaaktypen: dict[str, str]
    _cache: dict[str, Any] = field(default_factory=dict)

    async def get_json(self, url: str, ctx: AuthContext | None = None) -> Any:
        r = await self.client.get(url, headers=headers(ctx))
        assert r.status_code == 200, r.text
        return r.json()

    async def types(self, zaaktype: str) -> dict[str, Any]:
        """statustypen, roltypen, resultaattypen and eigenschappen of a seeded zaaktype, by omschrijving."""
        if zaaktype not in self._cache:
            zt = await self.get_json(self.zaaktypen[zaaktype])
            out: dict[str, Any] = {"statustypen": [], "roltypen": {}, "resultaattypen": {}, "eigenschappen": {}}
            for st in sorted([await self.get_json(u) for u in zt["statustypen"]], key=lambda s: s["volgnummer"]):
                out["statustypen"].append(st["url"])
            for u in zt["roltypen"]:
                out["roltypen"][(await self.get_json(u))["omschrijving"]] = u
            for u in zt["resultaattypen"]:
                out["resultaattypen"][(await self.get_json(u))["omschrijving"]] = u
            for u in zt["eigenschappen"]:
                out["eigenschappen"][(await self.get_json(u))["naam"]] = u
            self._cache[zaaktype] = out
        return self._cache[zaaktype]

    async def zaak(self, zaaktype: str = "WMO-HBH", ctx: AuthContext | None = None, **fields: Any) -> httpx.Response:
        body = {"bronorganisatie": RSIN, "verantwoordelijkeOrganisatie": RSIN, "zaaktype": self.zaaktypen[zaaktype],
                "startdatum": "2026-11-01", **fields}
        return await self.client.post(f"{ZAKEN}/zaken", json=body, headers=headers(ctx))

    async def open_zaak(self, zaaktype: str = "WMO-HBH", **fields: Any) -> dict[str, Any]:
        r = await self.zaak(zaaktype, **fields)
        assert r.status_code == 201, r.text
        return r.json()


async def make_suite(tmp_path: Any, label: str = "zaken", **settings: Any) -> AsyncIterator[Suite]:
    async with fresh_database_url(tmp_path, label) as url:
        settings = ServiceSettings(**{"service": "zaken", "env": "dev", "database_url": url,
                                      "nats_url": "nats://127.0.0.1:1", "public_base_url": BASE, **settings})
        app = create_app(settings)
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(app.state.metadata.create_all)
        await engine.dispose()
        zaaktypen = await run(url, BASE, RSIN)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
                yield Suite(app=app, client=client, url=url, zaaktypen=zaaktypen)


@pytest.fixture
async def suite(tmp_path) -> AsyncIterator[Suite]:  # type: ignore[no-untyped-def]
    async for s in make_suite(tmp_path):
        yield s


async def outbox_events(suite: Suite, event_type: str | None = None) -> list[Any]:
    """The events the service wrote to its outbox, oldest first (the relay publishes them after commit)."""
    from sqlalchemy import select

    from contracts.envelope import CloudEvent
    from sds.runtime.db import outbox_table

    table = outbox_table(suite.app.state.metadata)
    async with suite.app.state.db.transaction() as session:
        rows = (await session.execute(select(table.c.payload).order_by(table.c.seq))).scalars().all()
    found = [CloudEvent.from_json(p) for p in rows]
    return [e for e in found if event_type is None or e.type == event_type]
