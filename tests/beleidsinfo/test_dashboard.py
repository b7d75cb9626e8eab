"""The dashboard in a real headless browser, through the gateway, with the network cut off: it signs its token
in the browser, draws a plotly chart per indicator, and every number in its tables is the API's."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.app import create_app as create_gateway
from gateway.settings import GatewaySettings
from sds.runtime.consumer import EventConsumer
from sds.runtime.db import Database, create_engine
from sds.runtime.jwt_zgw import encode_jwt_zgw
from sds.runtime.pages import is_page_path
from sds.runtime.settings import DEV_INTERNAL_SECRET
from services.beleidsinfo.app import create_app
from services.beleidsinfo.indicatoren import INDICATOREN
from services.beleidsinfo.projectie import PURPOSE, SUBJECTS, Projectie
from services.beleidsinfo.settings import BeleidsinfoSettings
from tests.beleidsinfo.conftest import aanvraag_ingediend, geescaleerd, resultaat, signaal, termijn, zaak_geopend
from tests.beleidsinfo.test_financien import (
    budget_drempel,
    declaratie_verwerkt,
    toewijzing_afgegeven,
    toewijzing_afgewezen,
)
from tests.support.browser import browser_page
from tests.support.databases import BACKEND, create_postgres_database, drop_postgres_database
from tests.support.natsserver import NatsServer
from tests.support.servers import serve

CLIENT_ID = "beleidsmedewerker"
SECRET = "dashboard-test-secret-0123456789-abcdef"
PERIOD = {"van": "2026-01-01", "tot": "2026-12-31"}


@contextmanager
def database(tmp_path: Path) -> Iterator[str]:
    if BACKEND != "postgres":
        yield f"sqlite+aiosqlite:///{tmp_path / 'beleidsinfo.db'}"
        return
    name = f"sds_test_bi_dash_{uuid.uuid4().hex[:10]}"
    url = asyncio.run(create_postgres_database(name))
    try:
        yield url
    finally:
        asyncio.run(drop_postgres_database(name))


async def _fill(app: Any, url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(app.state.metadata.create_all)
    await engine.dispose()
    db = Database(url)
    consumer = EventConsumer(db, None, durable=f"beleidsinfo-{PURPOSE}", subjects=SUBJECTS,  # type: ignore[arg-type]
                             handler=Projectie(app.state.beleidsinfo.pseudoniem))
    events = []
    for n in range(30):
        kolommen = [["wmo"], ["jeugd"], ["wmo", "schuldhulp"]][n % 3]
        dag = date(2026, 1 + n % 4, 3 + n % 20)
        events.append(aanvraag_ingediend(n, n, kolommen, dag))
        for i, kolom in enumerate(kolommen):
            events.append(zaak_geopend(100 * i + n, n, [kolom], dag, aanvraag=n, cluster=kolom))
            events.append(resultaat(100 * i + n, n, kolom, date(2026, 6, 1),
                                    voorziening=(date(2026, 6, 1), date(2026, 9, 30) if n % 2 else None)))
        events.append(signaal(n, n, "huurachterstand", dag))
        events.append(termijn(n, kolommen[0], date(2026, 3 + n % 2, 1)))
        if len(kolommen) > 1:
            events.append(geescaleerd(n, n, "wmo", date(2026, 5, 1)))
        events.append(toewijzing_afgegeven(n, n, kolommen[0], dag, 1_000 * (n + 1), aanbieder_nr=1 + n % 2))
        if n % 3 == 0:
            events.append(declaratie_verwerkt(n, dag, dag, [(kolommen[0], 400 * n, 25)], aanbieder_nr=1 + n % 2))
        if n % 4 == 0:
            events.append(toewijzing_afgewezen(100 + n, n, kolommen[0], dag, ["geen-contract"]))
    events.append(budget_drempel(1, "wmo", None, 2026, 50, 2_000_000))
    await consumer.apply(events)
    await db.dispose()


def test_the_dashboard_shows_the_apis_figures_offline(tmp_path: Path) -> None:
    nats = NatsServer(tmp_path / "nats").start()
    try:
        with database(tmp_path) as url:
            app = create_app(BeleidsinfoSettings(env="dev", database_url=url, nats_url=nats.url,
                                                 archetype="transitie-proof"))
            asyncio.run(_fill(app, url))
            with serve(app) as service_url:
                closed = "http://127.0.0.1:9"
                gateway = create_gateway(GatewaySettings(
                    env="dev", internal_secret=DEV_INTERNAL_SECRET, bootstrap_client_id=CLIENT_ID,
                    bootstrap_secret=SECRET, gateway_database_url=f"sqlite+aiosqlite:///{tmp_path / 'gw.db'}",
                    upstream_beleidsinfo=service_url, upstream_intake=closed, upstream_zaken=closed,
                    upstream_klantgegevens=closed, upstream_financien=closed))
                with serve(gateway) as base, browser_page(offline=True) as page:
                    _check_page(page, base)
    finally:
        nats.kill()


def _check_page(page: Any, base: str) -> None:
    page.goto(f"{base}/beleidsinfo/")
    page.fill("#client-id", CLIENT_ID)
    page.fill("#secret", SECRET)
    page.fill("#van", PERIOD["van"])
    page.fill("#tot", PERIOD["tot"])
    page.click("#tonen")
    page.wait_for_selector("body[data-geladen]", timeout=20000)
    assert page.get_attribute("body", "data-geladen") == "ja", page.inner_text("#melding")

    # A chart per indicator, drawn by plotly (its SVG), from the suite's own copy of plotly.min.js.
    for naam in INDICATOREN:
        assert page.query_selector(f"#grafiek-{naam} .main-svg") is not None, naam
    assert page.query_selector("#grafiek-instroom .trace.bars") is not None

    headers = {"authorization": f"Bearer {encode_jwt_zgw(CLIENT_ID, SECRET)}"}
    suppressed = 0
    for naam, indicator in INDICATOREN.items():
        api = httpx.get(f"{base}/beleidsinfo/api/v1/indicatoren/{naam}", params=PERIOD, headers=headers,
                        timeout=10).json()["results"]
        rows = page.eval_on_selector_all(
            f"#tabel-{naam} tr[data-sleutel]",
            "rows => rows.map(r => [r.dataset.sleutel, Object.fromEntries(Array.from(r.cells)"
            ".map(c => [c.dataset.veld, c.dataset.waarde ?? null]))])")
        shown = dict(rows)
        assert len(shown) == len(api) > 0, naam
        for cell in api:
            row = shown["|".join(f"{place}={cell[place]}" for place in indicator.plaats)]
            for veld in indicator.velden:
                assert (row[veld] is None) == (cell[veld] is None), (naam, cell, veld)
                if cell[veld] is not None:
                    assert float(row[veld]) == float(cell[veld]), (naam, cell, veld)
            suppressed += cell["onderdrukt"]
    assert suppressed > 0  # the data has small cells, and the page shows them as such

    # Verplichtingen beside realisatie per kolom: each figure is the API's cell over the whole range.
    assert page.query_selector("#grafiek-financien .main-svg") is not None
    geheel = {**PERIOD, "periode": "geheel"}
    api_cells = {naam: {c["kolom"]: c for c in httpx.get(
        f"{base}/beleidsinfo/api/v1/indicatoren/{naam}", params=geheel, headers=headers, timeout=10,
    ).json()["results"] if c.get("aanbieder", "alle") == "alle" and c["kolom"] != "alle"}
        for naam in ("verplichtingen", "realisatie")}
    shown = dict(page.eval_on_selector_all(
        "#tabel-financien tr[data-sleutel]",
        "rows => rows.map(r => [r.dataset.sleutel, Object.fromEntries(Array.from(r.cells)"
        ".map(c => [c.dataset.veld, c.dataset.waarde ?? null]))])"))
    assert set(shown) == {f"kolom={k}" for k in api_cells["verplichtingen"]} | {
        f"kolom={k}" for k in api_cells["realisatie"]}
    for naam, velden in (("verplichtingen", ["verplichting"]),
                         ("realisatie", ["goedgekeurdBedrag", "afgekeurdBedrag"])):
        for kolom, cell in api_cells[naam].items():
            for veld in velden:
                waarde = shown[f"kolom={kolom}"][veld]
                assert (waarde is None) == (cell[veld] is None), (naam, cell, veld)
                if cell[veld] is not None:
                    assert float(waarde) == float(cell[veld]), (naam, cell, veld)
    assert any(row["verplichting"] is not None for row in shown.values())
    assert page.locator("td.onderdrukt").count() > 0
    assert page.blocked_requests == []
    # The page is public; the figures are not.
    assert httpx.get(f"{base}/beleidsinfo/api/v1/indicatoren/instroom", timeout=10).status_code == 401


@pytest.mark.parametrize(("path", "public"), [
    ("/beleidsinfo/", True), ("/beleidsinfo/static/dashboard.js", True), ("/beleidsinfo/static/plotly.min.js", True),
    ("/beleidsinfo", False), ("/beleidsinfo/api/v1/indicatoren", False), ("/beleidsinfo/static/../api/v1", False),
    ("/beleidsinfo/static/", False), ("/beleidsinfo/static/a/b.js", False),
])
def test_only_a_page_and_its_files_are_public(path: str, public: bool) -> None:
    assert is_page_path(path) is public
