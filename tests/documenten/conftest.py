"""The documenten service and the zaken service in-process, each reaching the other as inside the suite: the
Documenten API fetches informatieobjecttypen from the zaken service's Catalogi API and checks relations in its
Zaken and Besluiten APIs; the Zaken API fetches documents and registers objectinformatieobjecten here."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from sds.runtime.auth import AuthContext, Autorisatie
from sds.runtime.db import create_engine
from services.documenten.app import create_app as create_documenten
from services.documenten.settings import DocumentenSettings
from services.zaken.settings import ZakenSettings
from services.zaken.zaken.documenten import Documenten as DocumentenClient
from tests.support.databases import fresh_database_url
from tests.zaken.conftest import BASE, CATALOGI, RSIN, Suite, headers, make_suite

DRC = f"{BASE}/documenten/api/v1"


@dataclass
class Documenten:
    app: FastAPI
    client: httpx.AsyncClient
    zaken: Suite
    iotype: str  # a published informatieobjecttype of the seeded catalogue

    async def create(self, ctx: AuthContext | None = None, **fields: Any) -> httpx.Response:
        return await self.client.post(f"{DRC}/enkelvoudiginformatieobjecten", json=document(self.iotype, **fields),
                                      headers=headers(ctx))

    async def created(self, **fields: Any) -> dict[str, Any]:
        r = await self.create(**fields)
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    async def get(self, url: str, ctx: AuthContext | None = None, **params: Any) -> httpx.Response:
        return await self.client.get(url, params=params, headers=headers(ctx))


def document(iotype: str, **fields: Any) -> dict[str, Any]:
    return {"bronorganisatie": RSIN, "creatiedatum": "2026-11-01", "titel": "aanvraagformulier",
            "auteur": "wijkteam", "taal": "nld", "informatieobjecttype": iotype,
            "inhoud": base64.b64encode(b"de inhoud").decode(), **fields}


def drc_client(client_id: str, *scopes: str, **narrowing: Any) -> AuthContext:
    return AuthContext(client_id=client_id, autorisaties=[Autorisatie(component="drc", scopes=list(scopes),
                                                                      **narrowing)])


def codes(r: httpx.Response) -> list[tuple[str, str]]:
    return [(p["name"], p["code"]) for p in r.json().get("invalidParams", [])]


async def make_documenten(tmp_path: Any, zaken: Suite, **settings: Any) -> AsyncIterator[Documenten]:
    async with fresh_database_url(tmp_path, "documenten") as url:
        config = DocumentenSettings(**{"env": "dev", "database_url": url, "nats_url": "nats://127.0.0.1:1",
                                       "public_base_url": BASE, "zaken_url": BASE,
                                       "storage_dir": str(tmp_path / "store"), **settings})
        app = create_documenten(config)
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(app.state.metadata.create_all)
        await engine.dispose()
        app.state.zaken_transport = httpx.ASGITransport(app=zaken.app)
        # The zaken service reaches this one inside the suite, as `sds up` configures it.
        zaken_settings = ZakenSettings(**{**zaken.app.state.settings.model_dump(), "documenten_apis": [DRC],
                                          "documenten_url": BASE})
        zaken.app.state.documenten = DocumentenClient(zaken_settings, transport=httpx.ASGITransport(app=app))
        async with app.router.lifespan_context(app):
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
                page = await zaken.get_json(f"{CATALOGI}/informatieobjecttypen?status=definitief")
                iotype = page["results"][0]["url"]
                yield Documenten(app=app, client=client, zaken=zaken, iotype=iotype)


@pytest.fixture
async def zaken(tmp_path) -> AsyncIterator[Suite]:  # type: ignore[no-untyped-def]
    async for s in make_suite(tmp_path):
        yield s


@pytest.fixture
async def drc(tmp_path, zaken: Suite) -> AsyncIterator[Documenten]:  # type: ignore[no-untyped-def]
    async for d in make_documenten(tmp_path, zaken):
        yield d

