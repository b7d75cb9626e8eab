"""Zaken's verwerkingenlog: a read or write of a zaak or rol that names a natuurlijk persoon leaves one record per
person, by pseudonym only, with the zaak's kolom as the lawful reason and the trace it was asked under; a zaak
whose rollen name no person leaves none; a refused attempt is counted and logged for security, and is not a
processing."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select

from sds.runtime.auth import AuthContext, Autorisatie
from sds.runtime.verwerkingenlog import DEV_PSEUDONIEM_SLEUTEL, pseudoniem
from services.zaken.zaken.models import verwerkingen
from tests.zaken.conftest import ZAKEN, Suite, client_ctx, headers

SLEUTEL = DEV_PSEUDONIEM_SLEUTEL.encode()
BSN, ANDER_BSN = "111222333", "123456782"
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
JEUGD = client_ctx("regio-jeugd", Autorisatie(component="zrc", kolom="jeugd", scopes=["zaken.lezen"],
                                              max_vertrouwelijkheidaanduiding="zeer_geheim"))


async def _log(suite: Suite) -> list[Any]:
    async with suite.app.state.db.transaction() as session:
        return list((await session.execute(select(verwerkingen).order_by(verwerkingen.c.id))).all())


async def _rol(suite: Suite, zaak: dict[str, Any], roltype: str = "Aanvrager", bsn: str | None = BSN,
               **body: Any) -> dict[str, Any]:
    types = await suite.types("WMO-HBH")
    body = {"zaak": zaak["url"], "roltype": types["roltypen"][roltype], "roltoelichting": roltype.lower(),
            "betrokkeneType": "natuurlijk_persoon", **({"betrokkeneIdentificatie": {"inpBsn": bsn}} if bsn else {}),
            **body}
    r = await suite.client.post(f"{ZAKEN}/rollen", json=body, headers=headers())
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_een_zaak_met_een_bsn_rol_lezen_laat_een_record_met_de_trace(suite: Suite) -> None:
    zaak = await suite.open_zaak("WMO-HBH")
    await _rol(suite, zaak)
    assert [(x.verwerkingsactiviteit, x.handeling) for x in await _log(suite)] == [("rol-toevoegen", "schrijven")]

    r = await suite.client.get(zaak["url"], headers={**headers(), "traceparent": f"00-{TRACE}-00f067aa0ba902b7-01"})
    assert r.status_code == 200, r.text
    *_, read = await _log(suite)
    assert (read.verwerkingsactiviteit, read.handeling, read.grondslag, read.betrokkene, read.trace_id,
            read.client_id) == ("zaak-raadplegen", "lezen", "zaak:wmo", pseudoniem(BSN, SLEUTEL), TRACE, "test-alles")
    # The log names the person by pseudonym only: no BSN in any column of any record.
    assert not [x for x in await _log(suite) if BSN in json.dumps([str(v) for v in x])]


async def test_een_zaak_zonder_betrokkenen_laat_geen_record(suite: Suite) -> None:
    zaak = await suite.open_zaak("WMO-HBH")
    types = await suite.types("WMO-HBH")
    r = await suite.client.post(f"{ZAKEN}/rollen", headers=headers(), json={
        "zaak": zaak["url"], "roltype": types["roltypen"]["Behandelaar"], "betrokkeneType": "medewerker",
        "roltoelichting": "behandelaar", "betrokkeneIdentificatie": {"identificatie": "mdw-1"}})
    assert r.status_code == 201, r.text
    for url in (zaak["url"], f"{ZAKEN}/zaken", f"{ZAKEN}/rollen", r.json()["url"]):
        assert (await suite.client.get(url, headers=headers())).status_code == 200, url
    assert (await suite.client.post(f"{ZAKEN}/zaken/_zoek", headers=headers(), json={})).status_code == 200
    assert await _log(suite) == []


async def test_lijsten_leggen_elke_betrokkene_eenmaal_vast(suite: Suite) -> None:
    a, b = await suite.open_zaak("WMO-HBH"), await suite.open_zaak("WMO-HBH")
    await _rol(suite, a)
    await _rol(suite, a, "Belanghebbende")  # the same person twice on one zaak
    await _rol(suite, a, "Belanghebbende", ANDER_BSN)
    await _rol(suite, b)  # and on another zaak of the same kolom
    before = len(await _log(suite))
    expected = sorted([pseudoniem(BSN, SLEUTEL), pseudoniem(ANDER_BSN, SLEUTEL)])

    async def records(activiteit: str) -> list[str]:
        nonlocal before
        log = await _log(suite)
        new, before = log[before:], len(log)
        assert {(x.verwerkingsactiviteit, x.handeling, x.grondslag) for x in new} == {(activiteit, "lezen", "zaak:wmo")}
        return sorted(x.betrokkene for x in new)

    r = await suite.client.get(f"{ZAKEN}/zaken", headers=headers())
    assert r.status_code == 200 and r.json()["count"] == 2
    assert await records("zaak-raadplegen") == expected
    r = await suite.client.post(f"{ZAKEN}/zaken/_zoek", headers=headers(), json={
        "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": ANDER_BSN})
    assert r.status_code == 200 and [z["url"] for z in r.json()["results"]] == [a["url"]]
    assert await records("zaak-raadplegen") == expected
    r = await suite.client.get(f"{ZAKEN}/rollen", headers=headers())
    assert r.status_code == 200 and r.json()["count"] == 4
    assert await records("rol-raadplegen") == expected
    # A page shows what is on it: the rollen of zaak b alone name one person.
    r = await suite.client.get(f"{ZAKEN}/rollen?zaak={b['url']}", headers=headers())
    assert r.status_code == 200 and r.json()["count"] == 1
    assert await records("rol-raadplegen") == [pseudoniem(BSN, SLEUTEL)]


async def test_een_rol_zonder_bsn_heet_naar_zijn_betrokkene(suite: Suite) -> None:
    zaak = await suite.open_zaak("WMO-HBH")
    persoon = "http://testserver/klantgegevens/api/v1/personen/5e7c2d4a-7a40-4a8a-a3a1-8f1b6f3b8c01"
    rol = await _rol(suite, zaak, bsn=None, betrokkene=persoon)
    r = await suite.client.get(rol["url"], headers=headers())
    assert r.status_code == 200, r.text
    assert [(x.verwerkingsactiviteit, x.betrokkene) for x in await _log(suite)] == [
        ("rol-toevoegen", pseudoniem(persoon, SLEUTEL)), ("rol-raadplegen", pseudoniem(persoon, SLEUTEL))]


async def test_schrijven_van_een_zaak_of_rol_staat_in_de_log(suite: Suite) -> None:
    zaak = await suite.open_zaak("WMO-HBH")
    rol = await _rol(suite, zaak)
    tweede = await _rol(suite, zaak, "Belanghebbende", ANDER_BSN)
    r = await suite.client.patch(zaak["url"], json={"toelichting": "bijgewerkt"}, headers=headers())
    assert r.status_code == 200, r.text
    assert (await suite.client.delete(tweede["url"], headers=headers())).status_code == 204
    assert (await suite.client.delete(zaak["url"], headers=headers())).status_code == 204
    ik, ander = pseudoniem(BSN, SLEUTEL), pseudoniem(ANDER_BSN, SLEUTEL)
    assert [(x.verwerkingsactiviteit, x.handeling, x.betrokkene) for x in await _log(suite)] == [
        ("rol-toevoegen", "schrijven", ik), ("rol-toevoegen", "schrijven", ander),
        ("zaak-bijwerken", "schrijven", ik), ("zaak-bijwerken", "schrijven", ander),
        ("rol-verwijderen", "schrijven", ander), ("zaak-verwijderen", "schrijven", ik)]
    assert (await suite.client.get(rol["url"], headers=headers())).status_code == 404


# A call without the gateway's signed context is refused before routing: its label is "unmatched", never the path.
@pytest.mark.parametrize(("ctx", "status", "route"), [(JEUGD, 403, "/zaken/api/v1/zaken/{uuid}"),
                                                      (None, 401, "unmatched")])
async def test_een_geweigerde_lezing_wordt_geteld_en_gemeld_maar_is_geen_verwerking(
        suite: Suite, caplog: pytest.LogCaptureFixture, ctx: AuthContext | None, status: int, route: str) -> None:
    zaak = await suite.open_zaak("WMO-HBH")
    await _rol(suite, zaak)
    before = len(await _log(suite))
    labels = {"service": "zaken", "method": "GET", "route": route, "status": str(status)}
    refused = REGISTRY.get_sample_value("sds_http_refused_total", labels) or 0.0
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="sds.security"):
        r = await suite.client.get(zaak["url"], headers=headers(ctx) if ctx else {})
    assert r.status_code == status, r.text
    assert len(await _log(suite)) == before
    assert REGISTRY.get_sample_value("sds_http_refused_total", labels) == refused + 1
    # One line under its own logger, apart from the verwerkingenlog and the access log, for the security officer.
    [line] = [x for x in caplog.records if x.name == "sds.security"]
    fields = {k: getattr(line, k) for k in ("event", "status", "clientId", "method", "route")}
    assert fields == {"event": "toegang-geweigerd", "status": status, "clientId": ctx.client_id if ctx else None,
                      "method": "GET", "route": labels["route"]}
    # The template only: not the zaak's uuid, not a BSN.
    assert zaak["uuid"] not in line.getMessage() + json.dumps(fields)
