"""Intake, zaken and klantgegevens in-process on the selected database, on one nats-server: what an aanvraag
needs to become zaken. Intake reaches the other two over REST through an in-process transport, as it would
over the network; the services share the public base URL a gateway would give them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from sds.runtime.auth import AUTH_HEADER, AuthContext, Autorisatie, sign_auth_context
from sds.runtime.db import create_engine
from sds.runtime.settings import DEV_INTERNAL_SECRET, ServiceSettings
from services.intake.app import create_app as create_intake
from services.intake.settings import IntakeSettings
from services.intake.upstream import Upstreams
from services.klantgegevens.app import create_app as create_klantgegevens
from services.zaken.app import create_app as create_zaken
from services.zaken.seed_catalogus import DEFAULT_RSIN
from services.zaken.seed_catalogus import run as seed_catalogus
from services.zaken.settings import ZakenSettings
from tests.support.bsns import synthetic_bsns
from tests.support.databases import fresh_database_url

BASE = "http://testserver"
INTAKE = f"{BASE}/intake/api/v1"
ZAKEN = f"{BASE}/zaken/api/v1"
KLANTGEGEVENS = f"{BASE}/klantgegevens/api/v1"
ZAKEN_INTERN = "http://zaken.intern"
KG_INTERN = "http://klantgegevens.intern"

_bsns = synthetic_bsns("9998")


def bsn() -> str:
    """A synthetic BSN (9998xxxxx: made-up persons) that passes the 11-proef."""
    return next(_bsns)


def headers(ctx: AuthContext | None = None) -> dict[str, str]:
    ctx = ctx or AuthContext(client_id="test-alles", heeft_alle_autorisaties=True)
    return {AUTH_HEADER: sign_auth_context(ctx, DEV_INTERNAL_SECRET)}


WIJKTEAM = AuthContext(client_id="wijkteam", user_id="medewerker-1", autorisaties=[
    Autorisatie(component="intake", scopes=["intake.aanvragen.aanmaken", "intake.aanvragen.lezen",
                                            "intake.aanvragen.bijwerken"])])


class _Dispatch(httpx.AsyncBaseTransport):
    """Routes intake's calls to the in-process app its host names; an app that is 'down' refuses connections."""

    def __init__(self, apps: dict[str, FastAPI]) -> None:
        self.transports = {host: httpx.ASGITransport(app=app) for host, app in apps.items()}
        self.down: set[str] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if host in self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.transports[host].handle_async_request(request)


@dataclass
class Suite:
    intake: FastAPI
    zaken: FastAPI
    klantgegevens: FastAPI
    client: httpx.AsyncClient  # every public API, by path
    dispatch: _Dispatch
    zaaktypen: dict[str, str]
    stack: AsyncExitStack

    async def start_zaken(self) -> None:
        """Zaken comes up (after it was down from the start): its API answers, its consumer catches up."""
        await self.stack.enter_async_context(self.zaken.router.lifespan_context(self.zaken))
        self.dispatch.down.discard("zaken.intern")

    async def aanvraag(self, *kolommen_of_leefgebieden: str, ctx: AuthContext | None = None,
                       **fields: Any) -> httpx.Response:
        vragen = [{"leefgebied": g} for g in kolommen_of_leefgebieden]
        body = {"ingediendDoor": "medewerker", "vragen": vragen,
                "aanvrager": {"burgerservicenummer": bsn(), "naam": {"geslachtsnaam": "Jansen"}}, **fields}
        return await self.client.post(f"{INTAKE}/aanvragen", json=body, headers=headers(ctx or WIJKTEAM))

    async def get(self, url: str, ctx: AuthContext | None = None) -> Any:
        r = await self.client.get(url, headers=headers(ctx))
        assert r.status_code == 200, r.text
        return r.json()

    async def zaken_van(self, huishouden: str) -> list[dict[str, Any]]:
        page = await self.get(f"{ZAKEN}/zaken?pageSize=100")
        return [z for z in page["results"] if z.get("huishouden") == huishouden]


async def wait_for(predicate: Callable[[], Awaitable[bool]], within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while not await predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


class _PathRouter(httpx.AsyncBaseTransport):
    """The public URL space of the suite, as the gateway splits it, over the in-process apps."""

    def __init__(self, apps: dict[str, FastAPI]) -> None:
        self.transports = {segment: httpx.ASGITransport(app=app) for segment, app in apps.items()}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        segment = request.url.path.split("/")[1]
        return await self.transports[segment].handle_async_request(request)


@asynccontextmanager
async def make_suite(tmp_path: Path, nats_url: str, archetype: str | None, label: str = "i",
                     zaken_down: bool = False, every_service: bool = False) -> AsyncIterator[Suite]:
    """``every_service``: zaken and klantgegevens get the archetype too (not only intake)."""
    async with AsyncExitStack() as stack:
        urls = {name: await stack.enter_async_context(fresh_database_url(tmp_path, f"{label}_{name}"))
                for name in ("intake", "zaken", "klantgegevens")}
        common: dict[str, Any] = {"env": "dev", "nats_url": nats_url, "public_base_url": BASE,
                                  "outbox_poll_interval": 0.05}
        intake = create_intake(IntakeSettings(database_url=urls["intake"], archetype=archetype,
                                              zaken_url=ZAKEN_INTERN, klantgegevens_url=KG_INTERN,
                                              triage_interval=0.2, **common))
        everywhere = {"archetype": archetype} if every_service else {}
        zaken = create_zaken(ZakenSettings(database_url=urls["zaken"], **everywhere, **common))
        kg = create_klantgegevens(ServiceSettings(service="klantgegevens", database_url=urls["klantgegevens"],
                                                  **everywhere, **common))
        for app, url in ((intake, urls["intake"]), (zaken, urls["zaken"]), (kg, urls["klantgegevens"])):
            engine = create_engine(url)
            async with engine.begin() as conn:
                await conn.run_sync(app.state.metadata.create_all)
            await engine.dispose()
        zaaktypen = await seed_catalogus(urls["zaken"], BASE, DEFAULT_RSIN)
        dispatch = _Dispatch({"zaken.intern": zaken, "klantgegevens.intern": kg})
        await intake.state.upstreams.close()
        intake.state.upstreams = Upstreams(intake.state.intake.settings, transport=dispatch)
        if zaken_down:
            dispatch.down.add("zaken.intern")
        for app in ((kg, intake) if zaken_down else (zaken, kg, intake)):
            await stack.enter_async_context(app.router.lifespan_context(app))
        router = _PathRouter({"intake": intake, "zaken": zaken, "catalogi": zaken, "besluiten": zaken,
                              "klantgegevens": kg})
        client = await stack.enter_async_context(httpx.AsyncClient(transport=router, base_url=BASE))
        suite = Suite(intake=intake, zaken=zaken, klantgegevens=kg, client=client, dispatch=dispatch,
                      zaaktypen=zaaktypen, stack=stack)

        async def ready() -> bool:
            return all(app.state.bus is not None for app in ((kg, intake) if zaken_down else (intake, zaken, kg)))

        await wait_for(ready)
        yield suite
