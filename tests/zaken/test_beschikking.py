"""The beschikking in the suite's flow: a deciding resultaat records a besluit of the zaaktype's besluittype, with
the Awb's dates, in the transaction of the resultaat; a resultaat that decides nothing records none."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from sds.runtime.errors import ValidatieFout
from services.zaken.zaken import subresources
from tests.zaken.conftest import BASE, CATALOGI, ZAKEN, Suite, headers, outbox_events

BRC = f"{BASE}/besluiten/api/v1"
HH = "http://testserver/klantgegevens/api/v1/huishoudens/5e6f7a8b-0000-4000-8000-000000000001"
TOEKENNING = {"product": {"productcategorie": "02", "productcode": "02A01"},
              "omvang": {"volume": 4, "eenheid": "uur", "frequentie": "per-week"},
              "begindatum": "2026-12-01", "einddatum": "2027-11-30"}


async def _resultaat(suite: Suite, zaak: dict[str, Any], resultaattype: str, **fields: Any) -> Any:
    return await suite.client.post(f"{ZAKEN}/resultaten", headers=headers(), json={
        "zaak": zaak["url"], "resultaattype": resultaattype, **fields})


async def _besluiten(suite: Suite, zaak: dict[str, Any]) -> list[dict[str, Any]]:
    r = await suite.client.get(f"{BRC}/besluiten", params={"zaak": zaak["url"]}, headers=headers())
    assert r.status_code == 200, r.text
    body = r.json()
    return list(body["results"] if isinstance(body, dict) else body)


async def test_a_toekenning_records_its_beschikking_with_the_awb_dates(suite: Suite) -> None:
    zaak = await suite.open_zaak("WMO-HBH", huishouden=HH)
    types = await suite.types("WMO-HBH")
    besluittype = (await suite.get_json(suite.zaaktypen["WMO-HBH"]))["besluittypen"][0]
    r = await _resultaat(suite, zaak, types["resultaattypen"]["Toegekend"], toekenningen=[TOEKENNING])
    assert r.status_code == 201, r.text
    today = date.today()

    [besluit] = await _besluiten(suite, zaak)
    assert besluit["besluittype"] == besluittype and besluit["zaak"] == zaak["url"]
    assert (besluit["datum"], besluit["ingangsdatum"], besluit["verzenddatum"]) == (today.isoformat(),) * 3
    assert besluit["uiterlijkeReactiedatum"] == (today + timedelta(weeks=6)).isoformat()
    assert besluit["toelichting"] == ("Toegekend\n- product 02A01: 4 uur per-week, "
                                      "van 2026-12-01 tot en met 2027-11-30")
    # The zaak's side of the relation follows in the same transaction.
    assert [z["besluit"] for z in await suite.get_json(f"{zaak['url']}/besluiten")] == [besluit["url"]]

    [aangemaakt] = await outbox_events(suite, "nl.overheid.zaken.besluit-aangemaakt")
    assert aangemaakt.data["besluit"] == besluit["url"] and aangemaakt.data["zaak"] == zaak["url"]
    assert aangemaakt.data["verzenddatum"] == today.isoformat()
    assert aangemaakt.data["uiterlijkeReactiedatum"] == (today + timedelta(weeks=6)).isoformat()
    # What financien makes its toewijzingen from names the besluit that decided them.
    [vastgesteld] = await outbox_events(suite, "nl.overheid.zaken.resultaat-vastgesteld")
    assert vastgesteld.data["besluit"] == besluit["url"]


async def test_an_afwijzing_is_a_beschikking_too_and_an_intrekking_is_none(suite: Suite) -> None:
    types = await suite.types("WMO-HBH")
    afgewezen = await suite.open_zaak("WMO-HBH", huishouden=HH)
    assert (await _resultaat(suite, afgewezen, types["resultaattypen"]["Afgewezen"])).status_code == 201
    assert len(await _besluiten(suite, afgewezen)) == 1

    ingetrokken = await suite.open_zaak("WMO-HBH", huishouden=HH)
    r = await _resultaat(suite, ingetrokken, types["resultaattypen"]["Ingetrokken"])
    assert r.status_code == 201, r.text
    assert await _besluiten(suite, ingetrokken) == []
    [_, vastgesteld] = await outbox_events(suite, "nl.overheid.zaken.resultaat-vastgesteld")
    assert vastgesteld.data["uitkomst"] == "ingetrokken" and vastgesteld.data["besluit"] is None


async def test_a_zaaktype_without_besluittype_decides_without_a_besluit(suite: Suite) -> None:
    types = await suite.types("WMO-HBH")
    toegekend = types["resultaattypen"]["Toegekend"]
    # The resultaattype names no besluittype of the zaaktype any more (a catalogue without a beschikking).
    from sqlalchemy import delete, select

    from services.zaken.catalogi.models import resultaattype_besluittypen, resultaattypen

    async with suite.app.state.db.transaction() as session:
        rid = (await session.execute(select(resultaattypen.c.id).where(
            resultaattypen.c.uuid == toegekend.rsplit("/", 1)[1]))).scalar_one()
        await session.execute(delete(resultaattype_besluittypen).where(
            resultaattype_besluittypen.c.resultaattype_id == rid))
    zaak = await suite.open_zaak("WMO-HBH", huishouden=HH)
    r = await _resultaat(suite, zaak, toegekend, toekenningen=[TOEKENNING])
    assert r.status_code == 201, r.text
    assert await _besluiten(suite, zaak) == []
    assert await outbox_events(suite, "nl.overheid.zaken.besluit-aangemaakt") == []
    [vastgesteld] = await outbox_events(suite, "nl.overheid.zaken.resultaat-vastgesteld")
    assert vastgesteld.data["besluit"] is None and vastgesteld.data["toekenningen"]


async def test_the_besluit_goes_with_a_resultaat_that_fails(suite: Suite, monkeypatch: pytest.MonkeyPatch) -> None:
    """Resultaat and besluit are one transaction: when the write fails after the besluit, neither stays."""
    zaak = await suite.open_zaak("WMO-HBH", huishouden=HH)
    types = await suite.types("WMO-HBH")

    async def fails(*args: Any, **kwargs: Any) -> None:
        raise ValidatieFout.single("resultaat", "invalid", "afgebroken")

    monkeypatch.setattr(subresources, "resultaat_vastgesteld", fails)
    r = await _resultaat(suite, zaak, types["resultaattypen"]["Toegekend"], toekenningen=[TOEKENNING])
    assert r.status_code == 400
    assert await _besluiten(suite, zaak) == []
    assert await suite.get_json(f"{zaak['url']}/besluiten") == []
    assert await outbox_events(suite, "nl.overheid.zaken.besluit-aangemaakt") == []


async def test_a_resultaat_sent_twice_leaves_one_besluit(suite: Suite) -> None:
    zaak = await suite.open_zaak("WMO-HBH", huishouden=HH)
    types = await suite.types("WMO-HBH")
    assert (await _resultaat(suite, zaak, types["resultaattypen"]["Toegekend"])).status_code == 201
    again = await _resultaat(suite, zaak, types["resultaattypen"]["Toegekend"])
    assert again.status_code == 400 and again.json()["invalidParams"][0]["code"] == "unique"
    assert len(await _besluiten(suite, zaak)) == 1
    assert len(await outbox_events(suite, "nl.overheid.zaken.besluit-aangemaakt")) == 1


async def test_an_unknown_resultaattype_stays_a_validatiefout(suite: Suite) -> None:
    zaak = await suite.open_zaak("WMO-HBH", huishouden=HH)
    r = await _resultaat(suite, zaak, f"{CATALOGI}/resultaattypen/00000000-0000-0000-0000-000000000000")
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json")
    assert await _besluiten(suite, zaak) == []
