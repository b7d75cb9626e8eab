"""Every read and write of a toewijzing, declaratie or verzoek that names a household is in financien's
verwerkingenlog, by pseudonym only, through the shared sds.runtime.verwerkingenlog, in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sds.runtime.verwerkingenlog import DEV_PSEUDONIEM_SLEUTEL, pseudoniem
from services.financien.models import verwerkingen
from tests.financien.conftest import HUISHOUDEN, Fin, aanbieder_app, toegekend, toekenning

SLEUTEL = DEV_PSEUDONIEM_SLEUTEL.encode()


async def _records(fin: Fin) -> list[tuple[str, str, str, str, str]]:
    async with fin.app.state.db.transaction() as session:
        rows = (await session.execute(select(verwerkingen).order_by(verwerkingen.c.id))).all()
    return [(r.client_id, r.verwerkingsactiviteit, r.handeling, r.grondslag, r.betrokkene) for r in rows]


async def _toewijzing(fin: Fin) -> dict[str, Any]:
    made = await fin.inkoop(applicaties=["zorg-app"])
    await fin.deliver(toegekend([toekenning(made["aanbieder"]["url"])]))
    async with fin.app.state.db.transaction() as session:
        await session.execute(verwerkingen.delete())
    r = await fin.get("/toewijzingen", aanbieder_app("zorg-app"))
    [t] = r.json()["results"]
    return t  # type: ignore[no-any-return]


async def test_reading_and_declaring_on_a_toewijzing_is_logged_per_household(fin: Fin) -> None:
    hh = pseudoniem(HUISHOUDEN, SLEUTEL)
    t = await _toewijzing(fin)  # the list read
    app = aanbieder_app("zorg-app")
    assert (await fin.get(t["url"], app)).status_code == 200
    r = await fin.post("/declaraties", {"identificatie": "D-1", "begindatum": "2026-03-01", "einddatum": "2026-03-31",
                                        "regels": [{"referentie": "R1", "toewijzing": t["url"], "begindatum":
                                                    "2026-03-02", "einddatum": "2026-03-08", "volume": 3,
                                                    "eenheid": "uur", "productTarief": "52.40"}]}, app)
    assert r.status_code == 201, r.text
    assert (await fin.get(r.json()["url"], app)).status_code == 200
    assert await _records(fin) == [
        ("zorg-app", "toewijzing-raadplegen", "lezen", "financien:wmo", hh),
        ("zorg-app", "toewijzing-raadplegen", "lezen", "financien:wmo", hh),
        ("zorg-app", "declaratie-indienen", "schrijven", "financien:wmo", hh),
        ("zorg-app", "declaratie-raadplegen", "lezen", "financien:wmo", hh)]
    # The log names the household by pseudonym only.
    assert all(HUISHOUDEN not in str(rec) for rec in await _records(fin))


async def test_what_is_not_shown_is_not_logged(fin: Fin) -> None:
    t = await _toewijzing(fin)
    await fin.inkoop(agb="22222222", applicaties=["ander-app"])
    before = await _records(fin)
    assert (await fin.get(t["url"], aanbieder_app("ander-app"))).status_code == 403
    assert (await fin.get("/toewijzingen", aanbieder_app("ander-app"))).json()["count"] == 0
    assert await _records(fin) == before


async def test_start_and_stop_zorg_and_a_verzoek_om_wijziging_are_logged(fin: Fin) -> None:
    hh = pseudoniem(HUISHOUDEN, SLEUTEL)
    t = await _toewijzing(fin)
    app = aanbieder_app("zorg-app")
    assert (await fin.post(f"{t['url']}/start-zorg", {"begindatum": "2026-03-02"}, app)).status_code == 200
    r = await fin.post(f"{t['url']}/verzoeken-om-wijziging", {"einddatum": "2026-03-22", "reden": "Eerder klaar"}, app)
    assert r.status_code == 201, r.text
    assert (await fin.get(r.json()["url"], app)).status_code == 200
    assert [(a, h, b) for _, a, h, _, b in await _records(fin)][1:] == [
        ("start-zorg-melden", "schrijven", hh), ("verzoek-om-wijziging-indienen", "schrijven", hh),
        ("verzoek-om-wijziging-raadplegen", "lezen", hh)]
