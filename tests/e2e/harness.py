"""The suite as it runs: intake, zaken, klantgegevens and the gateway, each served by uvicorn on its own port
and event loop, one nats-server, and the archetype profile given to every part. Clients speak only to the
gateway, with JWT-ZGW tokens; an external party is a small server of the test's own."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from gateway.app import create_app as create_gateway
from gateway.settings import GatewaySettings
from sds.profiles import shipped_path
from sds.runtime.db import create_engine
from sds.runtime.jwt_zgw import encode_jwt_zgw
from services.intake.app import create_app as create_intake
from services.intake.settings import IntakeSettings
from services.klantgegevens.app import create_app as create_klantgegevens
from services.klantgegevens.settings import KlantgegevensSettings
from services.zaken.app import create_app as create_zaken
from services.zaken.seed_catalogus import DEFAULT_RSIN
from services.zaken.seed_catalogus import run as seed_catalogus
from services.zaken.settings import ZakenSettings
from tests.support.bsns import synthetic_bsns
from tests.support.databases import fresh_database_url
from tests.support.servers import listening_socket, serve

INTERNAL_SECRET = "e2e-internal-secret-0123456789-abcdef"
ADMIN = "gemeente-e2e"
ADMIN_SECRET = "e2e-admin-secret-0123456789-abcdefgh"
PARTIJ_SECRET = "e2e-partij-secret-0123456789-abcdefg"

_bsns = synthetic_bsns("9996")


def bsn() -> str:
    return next(_bsns)


@dataclass
class Partij:
    """Stands in for an external party's API (a regional youth-care organisation, a health insurer)."""

    received: list[dict[str, Any]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/{naam}/aanvragen")
        async def aanvraag(naam: str, request: Request) -> JSONResponse:
            import jwt

            token = request.headers.get("authorization", "").removeprefix("Bearer ")
            try:
                jwt.decode(token, PARTIJ_SECRET, algorithms=["HS256"], options={"verify_aud": False})
            except jwt.PyJWTError:
                return JSONResponse({"detail": "bad token"}, status_code=401)
            key = request.headers.get("idempotency-key", "")
            if key not in self.keys:
                self.keys.append(key)
                self.received.append({"partij": naam, **(await request.json())})
            return JSONResponse({"referentie": f"EXT-{len(self.received)}"}, status_code=201)

        return app


@dataclass
class Suite:
    url: str
    zaaktypen: dict[str, str]
    partij: Partij
    client: httpx.Client

    def bearer(self, client_id: str = ADMIN, secret: str = ADMIN_SECRET, user_id: str = "medewerker-1") -> dict[
            str, str]:
        return {"authorization": f"Bearer {encode_jwt_zgw(client_id, secret, user_id=user_id)}"}

    def aanvraag(self, *leefgebieden: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        r = self.client.post("/intake/api/v1/aanvragen", headers=headers or self.bearer(), json={
            "ingediendDoor": "medewerker", "vragen": [{"leefgebied": g} for g in leefgebieden],
            "aanvrager": {"burgerservicenummer": bsn(), "naam": {"geslachtsnaam": "Jansen"}}})
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    def applicatie(self, client_id: str, secret: str, **fields: Any) -> None:
        r = self.client.post("/autorisaties/api/v1/applicaties", headers=self.bearer(), json={
            "clientIds": [client_id], "label": client_id, "secret": secret, **fields})
        assert r.status_code == 201, r.text

    def get(self, path: str, headers: dict[str, str] | None = None) -> Any:
        r = self.client.get(path, headers=headers or self.bearer())
        assert r.status_code == 200, r.text
        return r.json()

    def zaken_van(self, huishouden: str, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
        page = self.get("/zaken/api/v1/zaken?pageSize=100", headers)
        return [z for z in page["results"] if z.get("huishouden") == huishouden]

    def wait(self, predicate: Any, within: float = 20.0) -> None:
        deadline = time.monotonic() + within
        while not predicate():
            assert time.monotonic() < deadline, "timed out"
            time.sleep(0.05)


def _profile_file(tmp_path: Path, archetype: str, partij_url: str) -> str:
    """The shipped profile, with the external parties' APIs pointing at the stand-in."""
    text = shipped_path(archetype).read_text()
    text = text.replace("https://api.zorgverzekeraar.example/sociaal-domein/v1", f"{partij_url}/zorgverzekeraar")
    text = text.replace("https://api.regionale-jeugdorganisatie.example/v1", f"{partij_url}/jeugd")
    path = tmp_path / f"{archetype}.yaml"
    path.write_text(text)
    return str(path)


async def _databases(stack: Any, tmp_path: Path, label: str) -> dict[str, str]:
    return {name: await stack.enter_async_context(fresh_database_url(tmp_path, f"{label}_{name}"))
            for name in ("intake", "zaken", "klantgegevens")}


@contextmanager
def running_suite(tmp_path: Path, nats_url: str, archetype: str, stream_replicas: int = 1) -> Iterator[Suite]:
    from contextlib import AsyncExitStack

    loop = asyncio.new_event_loop()
    astack = AsyncExitStack()
    sockets = {name: listening_socket() for name in ("gateway", "intake", "zaken", "klantgegevens", "partij")}
    url = {name: f"http://127.0.0.1:{s.getsockname()[1]}" for name, s in sockets.items()}
    partij = Partij()
    os.environ["ZORGVERZEKERAAR_SECRET"] = PARTIJ_SECRET
    os.environ["REGIONALE_JEUGDORGANISATIE_SECRET"] = PARTIJ_SECRET
    try:
        databases = loop.run_until_complete(_databases(astack, tmp_path, archetype.replace("-", "")[:12]))
        profile = _profile_file(tmp_path, archetype, url["partij"]) if archetype.endswith("elders") else archetype
        common: dict[str, Any] = {"env": "test", "nats_url": nats_url, "stream_replicas": stream_replicas,
                                  "public_base_url": url["gateway"],
                                  "internal_secret": INTERNAL_SECRET, "outbox_poll_interval": 0.05,
                                  "pseudoniem_sleutel": "e2e-pseudoniem-sleutel-0123456789"}
        intake = create_intake(IntakeSettings(database_url=databases["intake"], archetype=profile,
                                              zaken_url=url["zaken"], klantgegevens_url=url["klantgegevens"],
                                              triage_interval=0.2, **common))
        zaken = create_zaken(ZakenSettings(database_url=databases["zaken"], **common))
        kg = create_klantgegevens(KlantgegevensSettings(database_url=databases["klantgegevens"],
                                                        archetype=profile, **common))

        async def schema() -> dict[str, str]:
            for app, db in ((intake, databases["intake"]), (zaken, databases["zaken"]),
                            (kg, databases["klantgegevens"])):
                engine = create_engine(db)
                async with engine.begin() as conn:
                    await conn.run_sync(app.state.metadata.create_all)
                await engine.dispose()
            return await seed_catalogus(databases["zaken"], url["gateway"], DEFAULT_RSIN)

        zaaktypen = loop.run_until_complete(schema())
        gateway = create_gateway(GatewaySettings(
            env="test", public_base_url=url["gateway"], archetype=profile, internal_secret=INTERNAL_SECRET,
            bootstrap_client_id=ADMIN, bootstrap_secret=ADMIN_SECRET, nats_url=nats_url,
            stream_replicas=stream_replicas,
            gateway_database_url=f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}", rate_limit_per_second=0,
            upstream_intake=url["intake"], upstream_zaken=url["zaken"], upstream_klantgegevens=url["klantgegevens"],
            delegatie_backoff_seconds=[0.2, 0.5, 1.0]))
        with ExitStack() as stack:
            stack.enter_context(serve(partij.app(), sockets["partij"]))
            for name, app in (("zaken", zaken), ("klantgegevens", kg), ("intake", intake), ("gateway", gateway)):
                stack.enter_context(serve(app, sockets[name]))
            client = stack.enter_context(httpx.Client(base_url=url["gateway"], timeout=30, trust_env=False))
            suite = Suite(url=url["gateway"], zaaktypen=zaaktypen, partij=partij, client=client)
            suite.wait(lambda: all(client.get(f"{u}/health/ready").status_code == 200
                                   for n, u in url.items() if n in ("intake", "zaken", "klantgegevens")))
            yield suite
    finally:
        loop.run_until_complete(astack.aclose())
        loop.close()
