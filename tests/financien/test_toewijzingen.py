"""Toewijzingen from a zaak's toekenningen: the verplichting to the cent, rejections recorded and published, one
toewijzing per toekenning however often the event comes, start and stop zorg, and each aanbieder sees its own."""

from __future__ import annotations

from typing import Any

from sds.runtime.auth import AuthContext, Autorisatie
from services.financien.models import toewijzingen
from tests.financien.conftest import API, Fin, aanbieder_app, beheer, inkoper, toegekend, toekenning

AFGEGEVEN = "nl.sociaal-domein.financien.toewijzing-afgegeven"
AFGEWEZEN = "nl.sociaal-domein.financien.toewijzing-afgewezen"


async def _enige(fin: Fin, **params: Any) -> dict[str, Any]:
    r = await fin.get("/toewijzingen", **params)
    assert r.status_code == 200, r.text
    [one] = r.json()["results"]
    return one  # type: ignore[no-any-return]


async def test_a_toekenning_becomes_a_toewijzing_whose_verplichting_is_exact(fin: Fin) -> None:
    made = await fin.inkoop(tarief="52.40")
    # 3 uur per week over four whole weeks at 52.40: 3 * 4 * 5240 cents.
    await fin.deliver(toegekend([toekenning(made["aanbieder"]["url"])]))
    t = await _enige(fin)
    assert t["status"] == "toegewezen" and t["verplichting"] == "628.80"
    assert t["contract"] == made["contract"]["url"] and t["aanbieder"] == made["aanbieder"]["url"]
    [event] = await fin.outbox()
    assert event.type == AFGEGEVEN and event.data["verplichting"] == 62880
    assert event.data["toewijzing"] == t["url"] and event.data["contract"] == made["contract"]["url"]


async def test_a_partial_week_counts_whole_and_months_take_the_tarief_they_start_in(fin: Fin) -> None:
    made = await fin.inkoop(tarief="52.40")
    # 2 March to 10 March is one week and two days: two weeks of 3 uur.
    await fin.deliver(toegekend([toekenning(made["aanbieder"]["url"], begin="2026-03-02", eind="2026-03-10")]))
    assert (await _enige(fin))["verplichting"] == "314.40"
    aanbieder = await fin.made("/aanbieders", {"naam": "B", "agbCode": "22222222", "kvkNummer": "12345678"})
    contract = await fin.made("/contracten", {"aanbieder": aanbieder["url"], "kolommen": ["jeugd"],
                                              "begindatum": "2026-01-01", "uitvoeringsvariant": "outputgericht"})
    product = await fin.made("/producten", {"contract": contract["url"], "productcategorie": "02",
                                            "productcode": "02A01", "eenheid": "uur", "frequentie": "per-maand"})
    await fin.made("/tarieven", {"product": product["url"], "begindatum": "2026-01-01", "einddatum": "2026-06-30",
                                 "bedrag": "52.40"})
    await fin.made("/tarieven", {"product": product["url"], "begindatum": "2026-07-01", "bedrag": "54.00"})
    await fin.deliver(toegekend([toekenning(aanbieder["url"], volume=10, frequentie="per-maand",
                                            begin="2026-05-15", eind="2026-08-10")], nr=2, kolom="jeugd"))
    # May and June at 52.40, July and August at 54.00: 10 * (2 * 5240 + 2 * 5400) cents.
    t = next(x for x in (await fin.get("/toewijzingen")).json()["results"] if x["kolom"] == "jeugd")
    assert t["verplichting"] == "2128.00"


async def test_an_open_ended_toekenning_ends_with_its_contract(fin: Fin) -> None:
    made = await fin.inkoop(tarief="1.00", frequentie="per-dag", eenheid="etmaal", eind="2026-03-31")
    await fin.deliver(toegekend([toekenning(made["aanbieder"]["url"], volume=1, frequentie="per-dag",
                                            eenheid="etmaal", begin="2026-03-02", eind=None)]))
    t = await _enige(fin)
    assert t["einddatum"] == "2026-03-31" and t["verplichting"] == "30.00"


async def test_the_same_event_twice_makes_one_toewijzing(fin: Fin) -> None:
    made = await fin.inkoop()
    event = toegekend([toekenning(made["aanbieder"]["url"]), toekenning(made["aanbieder"]["url"], volume=1)])
    await fin.deliver(event, event)
    assert await fin.count(toewijzingen) == 2
    assert [e.type for e in await fin.outbox()] == [AFGEGEVEN, AFGEGEVEN]


async def test_without_a_fitting_contract_the_rejection_is_recorded_and_published(fin: Fin) -> None:
    made = await fin.inkoop()
    aanbieder = made["aanbieder"]["url"]
    await fin.deliver(
        toegekend([toekenning(aanbieder)], nr=1, kolom="jeugd"),
        toegekend([toekenning(aanbieder, productcode="09Z99")], nr=2),
        toegekend([toekenning(aanbieder, eenheid="minuut")], nr=3),
        toegekend([toekenning(aanbieder, begin="2026-12-01", eind="2027-01-31")], nr=4),
        toegekend([toekenning(f"{API}/aanbieders/00000000-0000-4000-8000-000000000000")], nr=5),
        toegekend([toekenning(aanbieder)], nr=6, uitkomst="afgewezen"),
    )
    r = await fin.get("/toewijzingen", status="afgewezen")
    assert [t["redenen"] for t in r.json()["results"]] == [
        ["geen-contract"], ["product-niet-gecontracteerd"], ["product-niet-gecontracteerd"],
        ["periode-buiten-contract"], ["aanbieder-onbekend"]]
    assert all(t["verplichting"] == "0.00" for t in r.json()["results"])
    events = await fin.outbox()
    assert [e.type for e in events] == [AFGEWEZEN] * 5
    assert events[0].data["redenen"] == ["geen-contract"]


async def test_start_and_stop_zorg_by_the_aanbieder(fin: Fin) -> None:
    made = await fin.inkoop(applicaties=["zorg-app"])
    await fin.deliver(toegekend([toekenning(made["aanbieder"]["url"])]))
    t = await _enige(fin)
    app = aanbieder_app("zorg-app")
    r = await fin.post(f"{t['url']}/stop-zorg", {"einddatum": "2026-03-20", "redenBeeindiging": "19"}, app)
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "einddatum"
    r = await fin.post(f"{t['url']}/start-zorg", {"begindatum": "2026-02-01"}, app)
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "begindatum"
    r = await fin.post(f"{t['url']}/start-zorg", {"begindatum": "2026-03-02"}, inkoper())
    assert r.status_code == 403
    r = await fin.post(f"{t['url']}/start-zorg", {"begindatum": "2026-03-02"}, app)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "gestart" and r.json()["startZorg"] == "2026-03-02"
    r = await fin.post(f"{t['url']}/stop-zorg", {"einddatum": "2026-03-20", "redenBeeindiging": "99"}, app)
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "redenBeeindiging"
    r = await fin.post(f"{t['url']}/stop-zorg", {"einddatum": "2026-03-20", "redenBeeindiging": "19"}, app)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "gestopt" and r.json()["redenBeeindiging"] == "19"
    events = await fin.outbox()
    assert [e.type.rsplit(".", 1)[1] for e in events] == ["toewijzing-afgegeven", "zorg-gestart", "zorg-gestopt"]
    assert events[2].data["redenBeeindiging"] == "19"


async def test_an_aanbieder_never_reads_another_aanbieders_toewijzing_or_contract(fin: Fin) -> None:
    a = await fin.inkoop(agb="11111111", applicaties=["app-a"])
    b = await fin.inkoop(agb="22222222", applicaties=["app-b"])
    await fin.deliver(toegekend([toekenning(a["aanbieder"]["url"])], nr=1),
                      toegekend([toekenning(b["aanbieder"]["url"])], nr=2))
    alle = (await fin.get("/toewijzingen", beheer())).json()["results"]
    van_a = next(t for t in alle if t["aanbieder"] == a["aanbieder"]["url"])
    van_b = next(t for t in alle if t["aanbieder"] == b["aanbieder"]["url"])
    lijst = (await fin.get("/toewijzingen", aanbieder_app("app-a"))).json()
    assert [t["url"] for t in lijst["results"]] == [van_a["url"]]
    assert (await fin.get(van_a["url"], aanbieder_app("app-a"))).status_code == 200
    assert (await fin.get(van_b["url"], aanbieder_app("app-a"))).status_code == 403
    r = await fin.post(f"{van_b['url']}/start-zorg", {"begindatum": "2026-03-02"}, aanbieder_app("app-a"))
    assert r.status_code == 403
    assert (await fin.get(b["contract"]["url"], aanbieder_app("app-a"))).status_code == 403
    assert [c["url"] for c in (await fin.get("/contracten", aanbieder_app("app-a"))).json()["results"]] == [
        a["contract"]["url"]]
    assert (await fin.get(b["aanbieder"]["url"], aanbieder_app("app-a"))).status_code == 403
    assert (await fin.get("/budgetten", aanbieder_app("app-a"))).status_code == 403


async def test_reading_needs_the_scope(fin: Fin) -> None:
    ctx = AuthContext(client_id="x", autorisaties=[Autorisatie(component="zaken", scopes=["financien.lezen"])])
    assert (await fin.get("/toewijzingen", ctx)).status_code == 403


async def test_a_changed_toekenning_changes_its_toewijzing_and_one_taken_off_ends_it(fin: Fin) -> None:
    made = await fin.inkoop(applicaties=["zorg-app"])
    aanbieder = made["aanbieder"]["url"]
    eerst = toegekend([toekenning(aanbieder), toekenning(aanbieder, volume=1)])
    await fin.deliver(eerst)
    # zaken sends resultaat-vastgesteld again when the toekenningen on the resultaat change: the first now 2 uur
    # a week, the second taken off (on the day of the event, which is after the toewijzing's period here).
    tweede = toegekend([toekenning(aanbieder, volume=2)])
    await fin.deliver(tweede, tweede)
    r = (await fin.get("/toewijzingen")).json()["results"]
    assert [(t["status"], t["verplichting"]) for t in r] == [("toegewezen", "419.20"), ("beeindigd", "209.60")]
    types = [e.type.rsplit(".", 1)[1] for e in await fin.outbox()]
    assert types == ["toewijzing-afgegeven", "toewijzing-afgegeven", "toewijzing-gewijzigd", "toewijzing-beeindigd"]
    assert (await fin.outbox())[2].data["verplichting"] == 41920
    # A change that fits no contract leaves the toewijzing as it was, with the rejection on it and published.
    await fin.deliver(toegekend([toekenning(aanbieder, volume=2, eenheid="minuut")]))
    t = (await fin.get("/toewijzingen")).json()["results"][0]
    assert t["status"] == "toegewezen" and t["verplichting"] == "419.20"
    assert t["redenen"] == ["product-niet-gecontracteerd"]
    assert (await fin.outbox())[-1].type == AFGEWEZEN


async def test_a_budget_threshold_passed_by_the_verplichtingen_is_reported_once(fin: Fin) -> None:
    made = await fin.inkoop(tarief="52.40")
    budget = await fin.made("/budgetten", {"jaar": 2026, "kolom": "wmo", "bedrag": "700.00"})
    aanbieder = made["aanbieder"]["url"]
    await fin.deliver(toegekend([toekenning(aanbieder, volume=1)], nr=1))   # 209.60: 30 %
    await fin.deliver(toegekend([toekenning(aanbieder, volume=2)], nr=2))   # 628.80: 89.8 %, past 80
    await fin.deliver(toegekend([toekenning(aanbieder, volume=1, begin="2026-03-02", eind="2026-03-08")], nr=3))
    # 681.20: 97.3 %, nothing new; then 890.80: past 100.
    await fin.deliver(toegekend([toekenning(aanbieder, volume=1)], nr=4))
    drempel = [e for e in await fin.outbox() if e.type.endswith("budget-drempel-bereikt")]
    assert [(e.data["drempelPercentage"], e.data["verplichtBedrag"]) for e in drempel] == [(80, 62880),
                                                                                           (100, 89080)]
    assert drempel[0].data["budget"] == budget["url"] and drempel[0].data["budgetBedrag"] == 70000
