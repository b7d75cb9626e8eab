"""Verzoeken of an aanbieder: om wijziging (317) of its toewijzing and om toewijzing (315) for a client it has seen;
the municipality grants (the toewijzing changes or is made, its verplichting to the cent) or refuses, once."""

from __future__ import annotations

from typing import Any

from services.financien.models import toewijzingen, verzoeken_om_toewijzing, verzoeken_om_wijziging
from tests.financien.conftest import HUISHOUDEN, Fin, aanbieder_app, inkoper, toegekend, toekenning

GEWIJZIGD = "nl.sociaal-domein.financien.toewijzing-gewijzigd"
AFGEGEVEN = "nl.sociaal-domein.financien.toewijzing-afgegeven"
ZAAK = "http://zaken.test/zaken/api/v1/zaken/5d7e1b0c-2f3a-4b5c-8d9e-0a1b2c3d4e5f"
APP = aanbieder_app("zorg-app")


async def _toewijzing(fin: Fin) -> dict[str, Any]:
    """3 uur per week from 2 to 29 March at 52.40: 628.80, on the aanbieder with applicatie zorg-app."""
    made = await fin.inkoop(tarief="52.40", applicaties=["zorg-app"])
    await fin.deliver(toegekend([toekenning(made["aanbieder"]["url"])]))
    [t] = (await fin.get("/toewijzingen")).json()["results"]
    assert t["verplichting"] == "628.80"
    return t  # type: ignore[no-any-return]


async def _wijziging(fin: Fin, t: dict[str, Any], **body: Any) -> dict[str, Any]:
    r = await fin.post(f"{t['url']}/verzoeken-om-wijziging",
                       {"omvang": {"volume": 5, "eenheid": "uur", "frequentie": "per-week"},
                        "einddatum": "2026-04-12", "reden": "Meer begeleiding nodig na de intake.", **body}, APP)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_a_granted_verzoek_om_wijziging_changes_the_toewijzing_and_its_verplichting(fin: Fin) -> None:
    t = await _toewijzing(fin)
    v = await _wijziging(fin, t)
    assert v["status"] == "ingediend" and v["toewijzing"] == t["url"]
    # Asked is not granted: the toewijzing is as it was.
    assert (await fin.get(t["url"])).json()["verplichting"] == "628.80"
    r = await fin.post(f"{v['url']}/toekennen", {}, inkoper())
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "toegekend"
    nu = (await fin.get(t["url"])).json()
    # 5 uur per week over six whole weeks (2 March to 12 April) at 52.40: 5 * 6 * 5240 cents.
    assert nu["verplichting"] == "1572.00" and nu["einddatum"] == "2026-04-12"
    assert nu["omvang"] == {"volume": 5, "eenheid": "uur", "frequentie": "per-week"}
    events = await fin.outbox()
    assert [e.type for e in events][1:] == [
        "nl.sociaal-domein.financien.verzoek-om-wijziging-ingediend", GEWIJZIGD,
        "nl.sociaal-domein.financien.verzoek-om-wijziging-beantwoord"]
    assert events[2].data["verplichting"] == 157200 and events[2].data["toewijzing"] == t["url"]
    assert events[3].data["antwoord"] == "toegekend"
    # The budgetmonitor counts the toewijzing as it is now.
    [wmo] = (await fin.get("/budgetmonitor", jaar=2026)).json()["perKolom"]
    assert wmo["verplicht"] == "1572.00"


async def test_only_a_new_einddatum_keeps_the_omvang(fin: Fin) -> None:
    t = await _toewijzing(fin)
    r = await fin.post(f"{t['url']}/verzoeken-om-wijziging", {"einddatum": "2026-03-15", "reden": "Eerder klaar."},
                       APP)
    assert r.status_code == 201, r.text
    assert (await fin.post(f"{r.json()['url']}/toekennen", {}, inkoper())).status_code == 200
    # 3 uur per week over two weeks: 3 * 2 * 5240 cents.
    assert (await fin.get(t["url"])).json()["verplichting"] == "314.40"


async def test_a_refused_verzoek_records_why_and_is_answered_once(fin: Fin) -> None:
    t = await _toewijzing(fin)
    v = await _wijziging(fin, t)
    # The aanbieder does not answer its own verzoek.
    assert (await fin.post(f"{v['url']}/toekennen", {}, APP)).status_code == 403
    assert (await fin.post(f"{v['url']}/afwijzen", {"reden": "Zelf"}, APP)).status_code == 403
    r = await fin.post(f"{v['url']}/afwijzen", {"reden": "Past niet in het ondersteuningsplan."}, inkoper())
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "afgewezen" and r.json()["redenAfwijzing"] == "Past niet in het ondersteuningsplan."
    assert (await fin.get(v["url"], APP)).json()["redenAfwijzing"] == "Past niet in het ondersteuningsplan."
    for path, body in (("toekennen", {}), ("afwijzen", {"reden": "Nogmaals"})):
        r = await fin.post(f"{v['url']}/{path}", body, inkoper())
        assert r.status_code == 400 and r.json()["invalidParams"][0]["code"] == "al-beantwoord"
    assert (await fin.get(t["url"])).json()["verplichting"] == "628.80"
    assert [e.type for e in await fin.outbox()][-1] == "nl.sociaal-domein.financien.verzoek-om-wijziging-beantwoord"


async def test_another_aanbieder_neither_sees_nor_asks_for_anothers_toewijzing(fin: Fin) -> None:
    t = await _toewijzing(fin)
    v = await _wijziging(fin, t)
    await fin.inkoop(agb="22222222", applicaties=["ander-app"])
    ander = aanbieder_app("ander-app")
    r = await fin.post(f"{t['url']}/verzoeken-om-wijziging", {"einddatum": "2026-03-15", "reden": "x"}, ander)
    assert r.status_code == 403
    assert (await fin.get(v["url"], ander)).status_code == 403
    # The verzoeken of another's toewijzing answer as the toewijzing does: it does not exist for this one.
    assert (await fin.get(t["url"], ander)).status_code == 403
    assert (await fin.get(f"{t['url']}/verzoeken-om-wijziging", ander)).status_code == 403
    assert [x["url"] for x in (await fin.get(f"{t['url']}/verzoeken-om-wijziging", APP)).json()["results"]] == [
        v["url"]]
    assert (await fin.get("/verzoeken-om-wijziging", ander)).json()["results"] == []
    assert [x["url"] for x in (await fin.get("/verzoeken-om-wijziging", APP)).json()["results"]] == [v["url"]]
    assert [x["url"] for x in (await fin.get("/verzoeken-om-wijziging")).json()["results"]] == [v["url"]]
    # The municipality answers a verzoek, it does not make one.
    r = await fin.post(f"{t['url']}/verzoeken-om-wijziging", {"einddatum": "2026-03-15", "reden": "x"}, inkoper())
    assert r.status_code == 403
    assert await fin.count(verzoeken_om_wijziging) == 1


async def test_bad_verzoeken_om_wijziging_name_the_field_and_store_nothing(fin: Fin) -> None:
    t = await _toewijzing(fin)
    cases = [
        ({"reden": "Niets gevraagd"}, "omvang"),
        ({"einddatum": "2026-03-01", "reden": "Voor de begindatum"}, "einddatum"),
        ({"einddatum": "2026-03-15", "reden": "x" * 501}, "reden"),
        ({"einddatum": "2026-03-15"}, "reden"),
        ({"omvang": {"volume": 0, "eenheid": "uur", "frequentie": "per-week"}, "reden": "x"}, "omvang.volume"),
        ({"omvang": {"volume": 3, "eenheid": "minuut", "frequentie": "per-week"}, "reden": "x"}, "product"),
        ({"einddatum": "2027-02-01", "reden": "Na het contract"}, "begindatum"),
    ]
    for body, name in cases:
        r = await fin.post(f"{t['url']}/verzoeken-om-wijziging", body, APP)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["code"] == "invalid" and r.json()["invalidParams"][0]["name"] == name, (body, r.text)
    assert await fin.count(verzoeken_om_wijziging) == 0
    assert len(await fin.outbox()) == 1  # the toewijzing's own afgegeven


# --- verzoek om toewijzing (315) ----------------------------------------------------------------------------

def _om_toewijzing(**body: Any) -> dict[str, Any]:
    return {"klant": HUISHOUDEN, "kolom": "jeugd", "product": {"productcategorie": "02", "productcode": "02A01"},
            "omvang": {"volume": 2, "eenheid": "uur", "frequentie": "per-week"}, "begindatum": "2026-03-02",
            "einddatum": "2026-03-29", "verwijzer": {"type": "02", "zorgverlenercode": "01234567"}, **body}


async def test_a_granted_verzoek_om_toewijzing_makes_the_toewijzing_against_the_contract(fin: Fin) -> None:
    made = await fin.inkoop(tarief="61.15", kolommen=["jeugd"], applicaties=["zorg-app"])
    r = await fin.post("/verzoeken-om-toewijzing", _om_toewijzing(), APP)
    assert r.status_code == 201, r.text
    v = r.json()
    assert v["status"] == "ingediend" and v["verwijzer"]["zorgverlenercode"] == "01234567"
    assert await fin.count(toewijzingen) == 0
    assert (await fin.post(f"{v['url']}/toekennen", {"zaak": ZAAK}, APP)).status_code == 403
    r = await fin.post(f"{v['url']}/toekennen", {"zaak": ZAAK}, inkoper())
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "toegekend"
    t = (await fin.get(r.json()["toewijzing"], APP)).json()
    # 2 uur per week over four weeks at 61.15: 2 * 4 * 6115 cents.
    assert t["verplichting"] == "489.20" and t["contract"] == made["contract"]["url"] and t["kolom"] == "jeugd"
    assert t["status"] == "toegewezen" and t["zaak"] == ZAAK
    events = await fin.outbox()
    assert [e.type for e in events] == ["nl.sociaal-domein.financien.verzoek-om-toewijzing-ingediend", AFGEGEVEN,
                                        "nl.sociaal-domein.financien.verzoek-om-toewijzing-beantwoord"]
    assert events[0].data["verwijzerType"] == "02" and events[0].data["klant"] == HUISHOUDEN
    assert events[1].data["verplichting"] == 48920 and events[1].data["huishouden"] == HUISHOUDEN
    assert events[2].data["toewijzing"] == t["url"]
    r = await fin.post(f"{v['url']}/afwijzen", {"reden": "Toch niet"}, inkoper())
    assert r.status_code == 400 and r.json()["invalidParams"][0]["code"] == "al-beantwoord"
    assert await fin.count(toewijzingen) == 1


async def test_a_refused_verzoek_om_toewijzing_makes_nothing_and_records_why(fin: Fin) -> None:
    await fin.inkoop(kolommen=["jeugd"], applicaties=["zorg-app"])
    v = (await fin.post("/verzoeken-om-toewijzing", _om_toewijzing(), APP)).json()
    r = await fin.post(f"{v['url']}/afwijzen", {"reden": "Valt onder de Wlz."}, inkoper())
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "afgewezen" and r.json()["redenAfwijzing"] == "Valt onder de Wlz."
    assert r.json()["toewijzing"] is None
    r = await fin.post(f"{v['url']}/toekennen", {"zaak": ZAAK}, inkoper())
    assert r.status_code == 400 and r.json()["invalidParams"][0]["code"] == "al-beantwoord"
    assert await fin.count(toewijzingen) == 0
    assert (await fin.outbox())[-1].data["antwoord"] == "afgewezen"


async def test_verzoeken_om_toewijzing_are_each_aanbieders_own(fin: Fin) -> None:
    await fin.inkoop(kolommen=["jeugd"], applicaties=["zorg-app"])
    await fin.inkoop(agb="22222222", kolommen=["jeugd"], applicaties=["ander-app"])
    v = (await fin.post("/verzoeken-om-toewijzing", _om_toewijzing(), APP)).json()
    ander = aanbieder_app("ander-app")
    assert (await fin.get(v["url"], ander)).status_code == 403
    assert (await fin.get("/verzoeken-om-toewijzing", ander)).json()["results"] == []
    assert [x["url"] for x in (await fin.get("/verzoeken-om-toewijzing")).json()["results"]] == [v["url"]]
    assert (await fin.post("/verzoeken-om-toewijzing", _om_toewijzing(), inkoper())).status_code == 403


async def test_bad_verzoeken_om_toewijzing_name_the_field_and_store_nothing(fin: Fin) -> None:
    await fin.inkoop(kolommen=["jeugd"], applicaties=["zorg-app"])
    cases = [
        (_om_toewijzing(verwijzer=None), "verwijzer"),
        (_om_toewijzing(verwijzer={"type": "02", "naam": "Dr. Jansen"}), "verwijzer.zorgverlenercode"),
        (_om_toewijzing(verwijzer={"type": "04"}), "verwijzer.naam"),
        (_om_toewijzing(verwijzer={"type": "99", "naam": "x"}), "verwijzer.type"),
        (_om_toewijzing(klant="123456782"), "klant"),
        (_om_toewijzing(klant="http://klantgegevens.test/personen/123456782"), "klant"),
        (_om_toewijzing(einddatum="2026-03-01"), "einddatum"),
        (_om_toewijzing(kolom="wmo"), "kolom"),
        (_om_toewijzing(product={"productcategorie": "02", "productcode": "09Z99"}), "product"),
        (_om_toewijzing(begindatum="2025-12-01"), "begindatum"),
    ]
    for body, name in cases:
        r = await fin.post("/verzoeken-om-toewijzing", body, APP)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["code"] == "invalid" and r.json()["invalidParams"][0]["name"] == name, (body, r.text)
    v = (await fin.post("/verzoeken-om-toewijzing", _om_toewijzing(), APP)).json()
    r = await fin.post(f"{v['url']}/toekennen", {"zaak": "geen-url"}, inkoper())
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "zaak"
    r = await fin.post(f"{v['url']}/afwijzen", {"reden": ""}, inkoper())
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "reden"
    assert await fin.count(verzoeken_om_toewijzing) == 1 and await fin.count(toewijzingen) == 0
    assert len(await fin.outbox()) == 1
