"""End to end through the gateway: zaken and financien each served by uvicorn, one nats-server. The municipality
buys in care at financien, a consulent grants it on a zaak's resultaat at zaken, and the aanbieder's own
applicatie finds the toewijzing, with its verplichting to the cent, reports start zorg and declares, and the
realisatie follows to the cent."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import AsyncExitStack, ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx

from gateway.app import create_app as create_gateway
from gateway.settings import GatewaySettings
from sds.runtime.db import create_engine
from sds.runtime.jwt_zgw import encode_jwt_zgw
from services.financien.app import create_app as create_financien
from services.financien.settings import FinancienSettings
from services.zaken.app import create_app as create_zaken
from services.zaken.seed_catalogus import DEFAULT_RSIN
from services.zaken.seed_catalogus import run as seed_catalogus
from services.zaken.settings import ZakenSettings
from tests.support.databases import fresh_database_url
from tests.support.natsserver import NatsServer
from tests.support.servers import listening_socket, serve

INTERNAL_SECRET = "fin-e2e-internal-secret-0123456789-abc"
ADMIN, ADMIN_SECRET = "gemeente-fin-e2e", "fin-e2e-admin-secret-0123456789-abcdef"
ZORG, ZORG_SECRET = "zorg-op-maat", "zorg-op-maat-secret-0123456789-abcdef"
HH = "/klantgegevens/api/v1/huishoudens/5e6f7a8b-0000-4000-8000-000000000001"


def bearer(client_id: str = ADMIN, secret: str = ADMIN_SECRET) -> dict[str, str]:
    return {"authorization": f"Bearer {encode_jwt_zgw(client_id, secret, user_id='medewerker-1')}"}


@contextmanager
def suite(tmp_path: Path, nats_url: str) -> Iterator[tuple[httpx.Client, dict[str, str]]]:
    loop = asyncio.new_event_loop()
    astack = AsyncExitStack()
    sockets = {name: listening_socket() for name in ("gateway", "zaken", "financien")}
    url = {name: f"http://127.0.0.1:{s.getsockname()[1]}" for name, s in sockets.items()}
    try:
        dbs = {name: loop.run_until_complete(astack.enter_async_context(fresh_database_url(tmp_path, f"fe2e_{name}")))
               for name in ("zaken", "financien")}
        common: dict[str, Any] = {"env": "test", "nats_url": nats_url, "public_base_url": url["gateway"],
                                  "internal_secret": INTERNAL_SECRET, "outbox_poll_interval": 0.05}
        apps = {"zaken": create_zaken(ZakenSettings(database_url=dbs["zaken"], **common,
                                                    pseudoniem_sleutel="zaken-e2e-pseudoniem-sleutel-0123")),
                "financien": create_financien(FinancienSettings(
                    database_url=dbs["financien"], pseudoniem_sleutel="fin-e2e-pseudoniem-sleutel-0123", **common))}

        async def schema() -> dict[str, str]:
            for name, app in apps.items():
                engine = create_engine(dbs[name])
                async with engine.begin() as conn:
                    await conn.run_sync(app.state.metadata.create_all)
                await engine.dispose()
            return await seed_catalogus(dbs["zaken"], url["gateway"], DEFAULT_RSIN)

        zaaktypen = loop.run_until_complete(schema())
        gateway = create_gateway(GatewaySettings(
            env="test", public_base_url=url["gateway"], archetype="transitie-proof", internal_secret=INTERNAL_SECRET,
            bootstrap_client_id=ADMIN, bootstrap_secret=ADMIN_SECRET, nats_url=nats_url,
            gateway_database_url=f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}", rate_limit_per_second=0,
            upstream_zaken=url["zaken"], upstream_financien=url["financien"]))
        with ExitStack() as stack:
            for name, app in (*apps.items(), ("gateway", gateway)):
                stack.enter_context(serve(app, sockets[name]))
            client = stack.enter_context(httpx.Client(base_url=url["gateway"], timeout=30, trust_env=False))
            wait(lambda: all(client.get(f"{url[n]}/health/ready").status_code == 200 for n in apps))
            yield client, zaaktypen
    finally:
        loop.run_until_complete(astack.aclose())
        loop.close()


def wait(predicate: Any, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def made(client: httpx.Client, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    r = client.post(path, json=body, headers=headers or bearer())
    assert r.status_code == 201, r.text
    return r.json()


def test_zaak_resultaat_toegekend_becomes_a_toewijzing_with_its_verplichting_to_the_cent(
        tmp_path: Path, nats_server: NatsServer) -> None:
    with suite(tmp_path, nats_server.url) as (client, zaaktypen):
        fin = "/financien/api/v1"
        assert client.get(f"{fin}/openapi.json").json()["info"]["title"] == "Financien API"
        aanbieder = made(client, f"{fin}/aanbieders", {"naam": "Zorg op maat", "agbCode": "75751234",
                                                        "kvkNummer": "12345678", "applicaties": [ZORG]})
        contract = made(client, f"{fin}/contracten", {
            "aanbieder": aanbieder["url"], "kolommen": ["wmo"], "begindatum": "2026-01-01",
            "einddatum": "2027-12-31", "uitvoeringsvariant": "inspanningsgericht"})
        product = made(client, f"{fin}/producten", {"contract": contract["url"], "productcategorie": "02",
                                                    "productcode": "02A01", "eenheid": "uur",
                                                    "frequentie": "per-week"})
        made(client, f"{fin}/tarieven", {"product": product["url"], "begindatum": "2026-01-01", "bedrag": "33.17"})
        made(client, "/autorisaties/api/v1/applicaties", {
            "clientIds": [ZORG], "label": "Zorg op maat", "secret": ZORG_SECRET,
            "autorisaties": [{"component": "financien", "scopes": ["financien.lezen", "financien.schrijven"]}]})

        zaak = made(client, "/zaken/api/v1/zaken", {
            "bronorganisatie": DEFAULT_RSIN, "verantwoordelijkeOrganisatie": DEFAULT_RSIN,
            "zaaktype": zaaktypen["WMO-HBH"], "startdatum": "2026-11-01", "huishouden": f"{client.base_url}{HH}"})
        zaaktype = client.get(zaaktypen["WMO-HBH"], headers=bearer()).json()
        toegekend = next(u for u in zaaktype["resultaattypen"]
                         if client.get(u, headers=bearer()).json()["omschrijving"] == "Toegekend")
        made(client, "/zaken/api/v1/resultaten", {
            "zaak": zaak["url"], "resultaattype": toegekend,
            "toekenningen": [{"product": {"productcategorie": "02", "productcode": "02A01"},
                              "omvang": {"volume": 4, "eenheid": "uur", "frequentie": "per-week"},
                              "begindatum": "2026-12-07", "einddatum": "2027-02-28", "aanbieder": aanbieder["url"]}]})

        zorg = bearer(ZORG, ZORG_SECRET)

        def toewijzingen() -> list[dict[str, Any]]:
            r = client.get(f"{fin}/toewijzingen", headers=zorg)
            assert r.status_code == 200, r.text
            return r.json()["results"]  # type: ignore[no-any-return]

        wait(lambda: bool(toewijzingen()))
        [t] = toewijzingen()
        # 7 December 2026 to 28 February 2027 is 84 days, twelve weeks: 4 uur * 12 * 33.17.
        assert t["status"] == "toegewezen" and t["verplichting"] == "1592.16"
        assert t["zaak"] == zaak["url"] and t["contract"] == contract["url"]
        r = client.post(f"{t['url']}/start-zorg", json={"begindatum": "2026-12-07"}, headers=zorg)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "gestart"

        # The aanbieder declares two weeks of care (4 uur at 33.17 each) and one line at another tarief.
        regel = {"toewijzing": t["url"], "volume": 4, "eenheid": "uur", "productTarief": "33.17"}
        r = client.post(f"{fin}/declaraties", headers=zorg, json={
            "identificatie": "D-2026-12", "begindatum": "2026-12-01", "einddatum": "2026-12-31", "regels": [
                {**regel, "referentie": "W49", "begindatum": "2026-12-07", "einddatum": "2026-12-13"},
                {**regel, "referentie": "W50", "begindatum": "2026-12-14", "einddatum": "2026-12-20"},
                {**regel, "referentie": "W51", "begindatum": "2026-12-21", "einddatum": "2026-12-27",
                 "productTarief": "35.00"}]})
        assert r.status_code == 201, r.text
        assert [x["retourcode"] for x in r.json()["regels"]] == ["0200", "0200", "SD04"]
        assert r.json()["goedgekeurdBedrag"] == "265.36" and r.json()["afgekeurdBedrag"] == "140.00"
        # The realisatie: what was accepted, to the cent, beside the verplichting.
        m = client.get(f"{fin}/budgetmonitor", params={"jaar": 2026}, headers=bearer()).json()
        assert m["perKolom"] == [{"kolom": "wmo", "budget": None, "verplicht": "1592.16", "gerealiseerd": "265.36"}]
        assert m["totaal"] == {"budget": None, "verplicht": "1592.16", "gerealiseerd": "265.36"}
        r = client.get(f"{fin}/budgetmonitor/huishouden", headers=bearer(),
                       params={"huishouden": zaak["huishouden"], "jaar": 2026})
        assert r.status_code == 200, r.text
        assert r.json()["totaal"] == {"verplicht": "1592.16", "gerealiseerd": "265.36"}
        assert client.get(f"{fin}/budgetmonitor", params={"jaar": 2026}, headers=zorg).status_code == 403
