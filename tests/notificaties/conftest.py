"""Notificaties in-process on the selected database, its lifespan running (kanalen seeded, delivery worker on),
without a bus unless a test starts one; subscribers are real HTTP servers (``receiver``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from sds.runtime.auth import AUTH_HEADER, AuthContext, Autorisatie, sign_auth_context
from sds.runtime.db import create_engine
from sds.runtime.settings import DEV_INTERNAL_SECRET
from services.notificaties.app import create_app
from services.notificaties.models import kanalen
from services.notificaties.settings import NotificatiesSettings
from tests.notificaties.receiver import Receiver
from tests.support.databases import fresh_database_url
from tests.support.servers import serve

BASE = "http://testserver"
API = f"{BASE}/notificaties/api/v1"
ZAKEN = "http://testserver/zaken/api/v1"
ZAAKTYPE = "http://testserver/catalogi/api/v1/zaaktypen/8d1f1d6e-2c5e-4c57-9a4b-7f3f6c7b7a01"


def headers(ctx: AuthContext) -> dict[str, str]:
    return {AUTH_HEADER: sign_auth_context(ctx, DEV_INTERNAL_SECRET)}


def beheer() -> AuthContext:
    return AuthContext(client_id="beheer", heeft_alle_autorisaties=True)


ALLE_ZAKEN = Autorisatie(component="zrc", scopes=["zaken.lezen"])


def abonnee(client_id: str = "werkstroom", *grants: Autorisatie, kolommen: list[str] | None = None,
            clusters: list[str] | None = None) -> AuthContext:
    """An outside system that may consume notificaties and read what ``grants`` give (by default: every zaak)."""
    return AuthContext(client_id=client_id, kolommen=kolommen or [], clusters=clusters or [], autorisaties=[
        Autorisatie(component="nrc", scopes=["notificaties.consumeren"]), *(grants or (ALLE_ZAKEN,))])


def publicist(client_id: str = "open-formulieren") -> AuthContext:
    return AuthContext(client_id=client_id, autorisaties=[
        Autorisatie(component="nrc", scopes=["notificaties.publiceren"])])


@dataclass
class Nrc:
    app: FastAPI
    client: httpx.AsyncClient

    async def call(self, method: str, path: str, ctx: AuthContext | None = None, **kw: Any) -> httpx.Response:
        url = path if path.startswith("http") else f"{API}{path}"
        return await self.client.request(method, url, headers=headers(ctx or beheer()), **kw)

    async def abonneer(self, callback: str, kanalen: list[dict[str, Any]], ctx: AuthContext | None = None,
                       auth: str = "Bearer abonnee-geheim") -> dict[str, Any]:
        r = await self.call("POST", "/abonnement", ctx or abonnee(),
                            json={"callbackUrl": callback, "auth": auth, "kanalen": kanalen})
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]


async def make_nrc(tmp_path: Any, **settings: Any) -> AsyncIterator[Nrc]:
    async with fresh_database_url(tmp_path, "notificaties") as url:
        engine = create_engine(url)
        app = create_app(NotificatiesSettings(env="dev", database_url=url,
                                              nats_url=settings.pop("nats_url", "nats://127.0.0.1:1"),
                                              public_base_url=BASE, **settings))
        async with engine.begin() as conn:
            await conn.run_sync(app.state.metadata.create_all)
        try:
            async with app.router.lifespan_context(app):
                await _seeded(engine)
                async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
                    yield Nrc(app=app, client=client)
        finally:
            await engine.dispose()


async def _seeded(engine: Any) -> None:
    for _ in range(200):
        async with engine.connect() as conn:
            if (await conn.execute(select(kanalen.c.id).limit(1))).first():
                return
        await asyncio.sleep(0.02)
    raise AssertionError("kanalen were not seeded")


@pytest.fixture
async def nrc(tmp_path) -> AsyncIterator[Nrc]:  # type: ignore[no-untyped-def]
    async for n in make_nrc(tmp_path, retry_schedule=(0.2, 0.4), delivery_poll_interval=0.05):
        yield n


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    r = Receiver()
    with serve(r.app()) as base:
        yield r, f"{base}/callback"


async def eventually(check: Callable[[], bool], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)
