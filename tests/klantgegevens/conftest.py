"""Klantgegevens in-process on the selected database, with synthetic BSNs and a scan of every log line.

Every BSN a test uses comes from ``bsn()``, which remembers it. All log records of these tests (every logger,
through the root, at DEBUG) are formatted as the service formats them and kept; when the last of these tests has
run, none of them may contain one of those BSNs.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

import sds.runtime.app as runtime_app
from contracts.envelope import CloudEvent
from contracts.events import make_event
from sds.runtime.auth import AUTH_HEADER, AuthContext, Autorisatie, sign_auth_context
from sds.runtime.db import Database, create_engine
from sds.runtime.logging import JsonFormatter
from sds.runtime.settings import DEV_INTERNAL_SECRET
from services.klantgegevens import handlers
from services.klantgegevens.app import create_app
from services.klantgegevens.models import verwerkingen
from services.klantgegevens.settings import KlantgegevensSettings
from tests.support.bsns import synthetic_bsns
from tests.support.databases import fresh_database_url

BASE = "http://testserver"
API = f"{BASE}/klantgegevens/api/v1"
KG = "klantgegevens"

# --- synthetic BSNs ---------------------------------------------------------------------------------------

USED_BSNS: set[str] = set()
# 9999xxxxx is the range the BRP test environment uses for made-up persons; nobody real has these numbers.
_candidates = synthetic_bsns("9999")


def bsn() -> str:
    """A fresh synthetic BSN that passes the 11-proef, remembered for the log scan."""
    for candidate in _candidates:
        if candidate not in USED_BSNS:
            USED_BSNS.add(candidate)
            return candidate
    raise AssertionError("out of synthetic BSNs")


def bsns_in(text: str) -> set[str]:
    return {b for b in USED_BSNS if b in text}


# --- the log scan -----------------------------------------------------------------------------------------

class _Keeper(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(JsonFormatter("klantgegevens-tests"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a record that cannot be formatted is still scanned by its raw parts
            self.lines.append(f"{record.msg!r} {record.args!r}")


KEEPER = _Keeper()


@pytest.fixture(scope="package", autouse=True)
def scan_all_log_output() -> Iterator[_Keeper]:
    """Keep every log record of the klantgegevens tests and, at their end, find no BSN they used in any of them.

    Package scope: the scan covers exactly these tests, and the suite's other tests get the logging they had."""
    original = runtime_app.configure_logging
    root_level = logging.getLogger().level

    def configure_and_keep(service: str, level: str = "INFO") -> None:
        original(service, "DEBUG")
        # The runtime replaces the root handlers on every app start; the keeper goes back on each time.
        logging.getLogger().addHandler(KEEPER)

    runtime_app.configure_logging = configure_and_keep
    logging.getLogger().addHandler(KEEPER)
    logging.getLogger().setLevel(logging.DEBUG)
    try:
        yield KEEPER
    finally:
        runtime_app.configure_logging = original
        logging.getLogger().removeHandler(KEEPER)
        logging.getLogger().setLevel(root_level)
    leaked = {line for line in KEEPER.lines if bsns_in(line)}
    assert not leaked, f"{len(leaked)} log lines hold a BSN the tests used, e.g. {sorted(leaked)[0][:300]}"


@pytest.fixture(autouse=True)
def keep_caplog_records(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """pytest's own capture sees records too; whatever it caught joins the scan."""
    caplog.set_level(logging.DEBUG)
    yield
    for record in caplog.records:
        KEEPER.lines.append(JsonFormatter("caplog").format(record))


# --- auth ---------------------------------------------------------------------------------------------------

def headers(ctx: AuthContext) -> dict[str, str]:
    return {AUTH_HEADER: sign_auth_context(ctx, DEV_INTERNAL_SECRET)}


def alles() -> AuthContext:
    return AuthContext(client_id="beheer", heeft_alle_autorisaties=True)


def intake() -> AuthContext:
    return AuthContext(client_id="intake", user_id="medewerker-1", autorisaties=[
        Autorisatie(component=KG, scopes=["klantgegevens.registreren", "klantgegevens.lezen",
                                          "klantgegevens.schrijven"])])


def kolom_client(kolom: str, *, clusters: list[str] | None = None, client_id: str | None = None) -> AuthContext:
    return AuthContext(client_id=client_id or f"team-{kolom}", user_id=f"medewerker-{kolom}",
                       kolommen=[kolom], clusters=clusters or [],
                       autorisaties=[Autorisatie(component=KG, kolom=kolom,
                                                 scopes=["klantgegevens.lezen", "klantgegevens.schrijven"])])


def auditor() -> AuthContext:
    return AuthContext(client_id="functionaris-gegevensbescherming", user_id="auditor-1",
                       autorisaties=[Autorisatie(component=KG, scopes=["verwerkingenlog.lezen"])])


def inwoner(nummer: str) -> AuthContext:
    return AuthContext(client_id="mijn-gemeente", user_id=f"bsn:{nummer}",
                       autorisaties=[Autorisatie(component=KG, scopes=["klantgegevens.inwoner"])])


# --- events ---------------------------------------------------------------------------------------------------

ZAKEN = "http://zaken.test/zaken/api/v1"
INTAKE = "http://intake.test/intake/api/v1"
CATALOGI = "http://zaken.test/catalogi/api/v1"


def event(type_: str, data: dict[str, Any], *, subject: str = "x") -> CloudEvent:
    service = type_.split(".")[-2]
    return make_event(type_, data, source=f"urn:nld:sociaal-domein:{service}", subject=subject,
                      dataref=data.get("zaak") or data.get("aanvraag") or data.get("plan") or data.get("toewijzing")
                      or data.get("signaal") or "http://example.test/x")


def aanvraag_ingediend(huishouden_url: str, kolommen: list[str], nr: int = 1) -> CloudEvent:
    return event(handlers.AANVRAAG_INGEDIEND, {
        "aanvraag": f"{INTAKE}/aanvragen/{nr}", "huishouden": huishouden_url, "kolommen": kolommen,
        "ingediendDoor": "inwoner", "registratiedatum": "2026-11-01"})


def zaak_geopend(huishouden_url: str, kolom: str, nr: int = 1, cluster: str | None = None) -> CloudEvent:
    return event(handlers.ZAAK_GEOPEND, {
        "zaak": f"{ZAKEN}/zaken/{nr}", "zaaktype": f"{CATALOGI}/zaaktypen/{kolom}", "catalogus":
        f"{CATALOGI}/catalogussen/{kolom}", "kolommen": [kolom], "cluster": cluster, "integraal": False,
        "huishouden": huishouden_url, "vertrouwelijkheidaanduiding": "vertrouwelijk",
        "registratiedatum": "2026-11-02", "startdatum": "2026-11-02"})


# --- the app ----------------------------------------------------------------------------------------------------

@dataclass
class Kg:
    app: FastAPI
    client: httpx.AsyncClient
    url: str
    responses: list[httpx.Response] = field(default_factory=list)

    async def post(self, path: str, body: Any, ctx: AuthContext | None = None) -> httpx.Response:
        return await self.client.post(f"{API}{path}", json=body, headers=headers(ctx or alles()))

    async def get(self, path_or_url: str, ctx: AuthContext | None = None, **params: Any) -> httpx.Response:
        url = path_or_url if path_or_url.startswith("http") else f"{API}{path_or_url}"
        return await self.client.get(url, params=params, headers=headers(ctx or alles()))

    async def persoon(self, nummer: str | None = None, **extra: Any) -> dict[str, Any]:
        body = {"burgerservicenummer": nummer or bsn(), "naam": {"voornamen": "Test", "geslachtsnaam": "Proefpersoon"},
                "geboortedatum": "1980-02-03", **extra}
        r = await self.post("/inschrijvingen", body, intake())
        assert r.status_code == 201, r.text
        return r.json()

    async def huishouden(self, *leden: tuple[dict[str, Any], str]) -> dict[str, Any]:
        r = await self.post("/huishoudens", {"leden": [{"persoon": p["url"], "rol": rol} for p, rol in leden]},
                            intake())
        assert r.status_code == 201, r.text
        return r.json()

    async def deliver(self, *events: CloudEvent) -> None:
        """Hand events to the handlers as the consumer does: inside one transaction per event."""
        for ev in events:
            async with self.app.state.db.transaction() as session:
                await handlers.toegang(session, ev)
                if self.app.state.klantgegevens.eigen_dossier:
                    await handlers.dossier(session, ev)

    async def count(self, table: Any, *where: Any) -> int:
        async with self.app.state.db.transaction() as session:
            return int((await session.execute(select(func.count()).select_from(table).where(*where))).scalar_one())

    async def verwerkingen(self, *where: Any) -> list[Any]:
        async with self.app.state.db.transaction() as session:
            return list((await session.execute(select(verwerkingen).where(*where).order_by(verwerkingen.c.id))).all())


# Routes whose successful answer shows personal data, and how to tell an answer that shows none.
_READS = [
    (re.compile(r"^POST .*/personen$"), lambda body: bool(body["personen"])),
    (re.compile(r"^POST .*/inschrijvingen$"), lambda body: True),
    (re.compile(r"^GET .*/personen/[^/]+$"), lambda body: True),
    (re.compile(r"^(GET|POST|PUT) .*/huishoudens(/[^/]+)?(/leden(/[^/]+)?)?$"), lambda body: bool(body["leden"])),
    (re.compile(r"^GET .*/(contactmomenten|toestemmingen)$"), lambda body: bool(body["results"])),
    (re.compile(r"^(GET|POST) .*/(contactmomenten|toestemmingen)(/[^/]+)?(/intrekking)?$"), lambda body: True),
    (re.compile(r"^GET .*/eigen-dossier$"), lambda body: True),
    (re.compile(r"^POST .*/verwerkingen/zoeken$"), lambda body: True),
]


async def every_read_has_its_record(kg: Kg) -> None:
    """Every answer of the test that showed personal data has a verwerkingenlog record with its trace id."""
    missing = []
    for response in kg.responses:
        if not 200 <= response.status_code < 300 or response.status_code == 204:
            continue
        line = f"{response.request.method} {response.request.url.path}"
        for pattern, shows_data in _READS:
            if pattern.match(line):
                if shows_data(response.json()):
                    trace_id = response.headers["traceparent"].split("-")[1]
                    if not await kg.verwerkingen(verwerkingen.c.trace_id == trace_id):
                        missing.append(line)
                break
    assert not missing, f"answers with personal data but no verwerkingenlog record: {missing}"


async def make_kg(tmp_path: Any, label: str = "klantgegevens", **settings: Any) -> AsyncIterator[Kg]:
    """The app on a fresh database. With ``nats_url`` it runs its full lifespan (bus, relay, consumers);
    without, only its database: cancelling the runtime's bus start-up mid-connect can hang its shutdown, and a
    test without a bus has no reason to start one."""
    nats_url = settings.pop("nats_url", None)
    async with fresh_database_url(tmp_path, label) as url:
        cfg = KlantgegevensSettings(env="dev", database_url=url, nats_url=nats_url or "nats://127.0.0.1:1",
                                    public_base_url=BASE, **settings)
        app = create_app(cfg)
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(app.state.metadata.create_all)
        await engine.dispose()
        async with contextlib.AsyncExitStack() as stack:
            if nats_url:
                await stack.enter_async_context(app.router.lifespan_context(app))
            else:
                app.state.db = Database(url)
                stack.push_async_callback(app.state.db.dispose)
            transport = httpx.ASGITransport(app=app)
            seen: list[httpx.Response] = []

            async def keep(response: httpx.Response) -> None:
                await response.aread()
                seen.append(response)

            async with httpx.AsyncClient(transport=transport, base_url=BASE,
                                         event_hooks={"response": [keep]}) as client:
                kg = Kg(app=app, client=client, url=url, responses=seen)
                yield kg
            await every_read_has_its_record(kg)


@pytest.fixture
async def kg(tmp_path) -> AsyncIterator[Kg]:  # type: ignore[no-untyped-def]
    async for k in make_kg(tmp_path, eigen_dossier=True):
        yield k
