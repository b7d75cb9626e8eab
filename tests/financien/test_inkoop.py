"""Inkoop- en contractbeheer and budgetten: what is stored, and that bad input is a 400 naming the field with
nothing stored."""

from __future__ import annotations

from typing import Any

import pytest

from services.financien.models import aanbieders, budgetten, contracten, producten, tarieven
from tests.financien.conftest import API, Fin, aanbieder_app, make_fin

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def _fields(body: dict[str, Any]) -> set[str]:
    return {p["name"] for p in body["invalidParams"]}


async def test_an_aanbieder_contract_product_and_tarief_are_stored_and_read_back(fin: Fin) -> None:
    made = await fin.inkoop(applicaties=["zorg-app"], tarief="52.40")
    aanbieder = (await fin.get(made["aanbieder"]["url"])).json()
    assert aanbieder["agbCode"] == "12345678" and aanbieder["applicaties"] == ["zorg-app"]
    contract = (await fin.get(made["contract"]["url"])).json()
    assert contract["uitvoeringsvariant"] == "inspanningsgericht" and contract["kolommen"] == ["wmo"]
    r = await fin.get("/tarieven", product=made["product"]["url"])
    assert r.status_code == 200, r.text
    [tarief] = r.json()["results"]
    assert tarief["bedrag"] == "52.40" and tarief["product"] == made["product"]["url"]
    lijst = (await fin.get("/producten", contract=made["contract"]["url"])).json()
    assert lijst["count"] == 1 and lijst["results"][0]["eenheid"] == "uur"


@pytest.mark.parametrize(("body", "fields"), [
    ({"naam": "X", "agbCode": "1234567", "kvkNummer": "12345678"}, {"agbCode"}),
    ({"naam": "X", "agbCode": "1234567A", "kvkNummer": "123456789"}, {"agbCode", "kvkNummer"}),
    ({"naam": "", "agbCode": "12345678", "kvkNummer": "12345678"}, {"naam"}),
])
async def test_a_bad_aanbieder_is_refused_naming_each_field(fin: Fin, body: dict[str, Any], fields: set[str]) -> None:
    r = await fin.post("/aanbieders", body)
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "invalid" and _fields(r.json()) == fields
    assert await fin.count(aanbieders) == 0


async def test_an_agb_code_and_an_applicatie_belong_to_one_aanbieder(fin: Fin) -> None:
    await fin.made("/aanbieders", {"naam": "A", "agbCode": "12345678", "kvkNummer": "12345678",
                                   "applicaties": ["app-a"]})
    r = await fin.post("/aanbieders", {"naam": "B", "agbCode": "12345678", "kvkNummer": "12345678",
                                       "applicaties": ["app-a"]})
    assert r.status_code == 400 and _fields(r.json()) == {"agbCode", "applicaties"}
    assert await fin.count(aanbieders) == 1


async def test_a_contract_with_an_unknown_aanbieder_or_a_period_ending_before_it_starts_is_refused(fin: Fin) -> None:
    r = await fin.post("/contracten", {"aanbieder": f"{API}/aanbieders/{UNKNOWN}", "kolommen": ["wmo"],
                                       "begindatum": "2026-01-01", "uitvoeringsvariant": "outputgericht"})
    assert r.status_code == 400 and _fields(r.json()) == {"aanbieder"}
    assert r.json()["invalidParams"][0]["code"] == "does_not_exist"
    aanbieder = await fin.made("/aanbieders", {"naam": "A", "agbCode": "12345678", "kvkNummer": "12345678"})
    r = await fin.post("/contracten", {"aanbieder": aanbieder["url"], "kolommen": ["wmo", "wmo"],
                                       "begindatum": "2026-06-01", "einddatum": "2026-05-31",
                                       "uitvoeringsvariant": "resultaatgericht"})
    assert r.status_code == 400 and _fields(r.json()) == {"kolommen", "einddatum", "uitvoeringsvariant"}
    assert await fin.count(contracten) == 0


async def test_a_product_needs_a_known_contract_and_istandaard_codes(fin: Fin) -> None:
    r = await fin.post("/producten", {"contract": f"{API}/contracten/{UNKNOWN}", "productcategorie": "2",
                                      "productcode": "02a01", "eenheid": "jaar", "frequentie": "per-kwartaal"})
    assert r.status_code == 400
    assert _fields(r.json()) == {"productcategorie", "productcode", "eenheid", "frequentie"}
    r = await fin.post("/producten", {"contract": f"{API}/contracten/{UNKNOWN}", "productcategorie": "02",
                                      "productcode": "02A01", "eenheid": "uur", "frequentie": "per-week"})
    assert r.status_code == 400 and _fields(r.json()) == {"contract"}
    assert await fin.count(producten) == 0


@pytest.mark.parametrize(("bedrag", "ok"), [("52.405", False), ("-1.00", False), ("abc", False), (True, False),
                                             ("52.4", True), (52, True)])
async def test_a_tarief_is_whole_cents(fin: Fin, bedrag: Any, ok: bool) -> None:
    made = await fin.inkoop(begin="2025-01-01", eind="2025-12-31")
    r = await fin.post("/tarieven", {"product": made["product"]["url"], "begindatum": "2026-01-01",
                                     "bedrag": bedrag})
    if ok:
        assert r.status_code == 201, r.text
        assert r.json()["bedrag"] in ("52.40", "52.00")
    else:
        assert r.status_code == 400 and _fields(r.json()) == {"bedrag"}
        assert await fin.count(tarieven) == 1


async def test_tarieven_of_a_product_do_not_overlap(fin: Fin) -> None:
    made = await fin.inkoop(begin="2026-01-01", eind="2026-06-30")
    product = made["product"]["url"]
    for begin, eind in (("2026-06-30", "2026-12-31"), ("2025-01-01", None), ("2025-12-01", "2026-01-01")):
        r = await fin.post("/tarieven", {"product": product, "begindatum": begin, "einddatum": eind,
                                         "bedrag": "10.00"})
        assert r.status_code == 400, (begin, eind, r.text)
        assert r.json()["invalidParams"][0]["code"] == "overlap"
    r = await fin.post("/tarieven", {"product": product, "begindatum": "2026-07-01", "bedrag": "54.00"})
    assert r.status_code == 201, r.text
    r = await fin.post("/tarieven", {"product": product, "begindatum": "2026-06-01", "einddatum": "2026-05-01",
                                     "bedrag": "54.00"})
    assert r.status_code == 400 and _fields(r.json()) == {"einddatum"}
    assert await fin.count(tarieven) == 2


async def test_an_aanbieder_applicatie_cannot_buy_in(fin: Fin) -> None:
    await fin.inkoop(applicaties=["zorg-app"])
    r = await fin.post("/aanbieders", {"naam": "Eigen", "agbCode": "11112222", "kvkNummer": "12345678"},
                       aanbieder_app("zorg-app"))
    assert r.status_code == 403
    assert await fin.count(aanbieders) == 1


async def test_budgetten_per_kolom_or_cluster_per_year_and_a_taakbudget(fin: Fin) -> None:
    b = await fin.made("/budgetten", {"jaar": 2026, "kolom": "wmo", "bedrag": "1250000.00"})
    assert b["bedrag"] == "1250000.00" and b["kolom"] == "wmo"
    await fin.made("/budgetten", {"jaar": 2026, "cluster": "zuid", "bedrag": "10.00"})
    r = await fin.post("/budgetten", {"jaar": 2026, "kolom": "wmo", "bedrag": "1.00"})
    assert r.status_code == 400 and r.json()["invalidParams"][0]["code"] == "unique"
    r = await fin.post("/budgetten", {"jaar": 2026, "kolom": "wmo", "cluster": "zuid", "bedrag": "1.00"})
    assert r.status_code == 400 and _fields(r.json()) == {"kolom", "cluster"}
    made = await fin.inkoop()  # an inspanningsgericht contract: no taakbudget
    r = await fin.post("/budgetten", {"jaar": 2026, "kolom": "jeugd", "aanbieder": made["aanbieder"]["url"],
                                      "bedrag": "1.00"})
    assert r.status_code == 400 and _fields(r.json()) == {"aanbieder"}
    await fin.made("/contracten", {"aanbieder": made["aanbieder"]["url"], "kolommen": ["jeugd"],
                                   "begindatum": "2026-01-01", "uitvoeringsvariant": "taakgericht"})
    taak = await fin.made("/budgetten", {"jaar": 2026, "kolom": "jeugd", "aanbieder": made["aanbieder"]["url"],
                                         "bedrag": "500000.00"})
    assert taak["aanbieder"] == made["aanbieder"]["url"]
    assert (await fin.get("/budgetten", jaar=2026)).json()["count"] == 3
    assert await fin.count(budgetten) == 3
    # An aanbieder's applicatie: a budget's detail is outside its rights (403, as another's contract; 404 only
    # for a budget that does not exist), the list is refused (budgetten are the municipality's).
    await fin.made("/aanbieders", {"naam": "App", "agbCode": "44445555", "kvkNummer": "12345678",
                                   "applicaties": ["zorg-app"]})
    assert (await fin.get(taak["url"], aanbieder_app("zorg-app"))).status_code == 403
    assert (await fin.get(b["url"], aanbieder_app("zorg-app"))).status_code == 403
    assert (await fin.get(b["url"][:-12] + "000000000000")).status_code == 404
    assert (await fin.get(b["url"])).status_code == 200
    assert (await fin.get("/budgetten", aanbieder_app("zorg-app"))).status_code == 403


async def test_with_a_profile_contracten_and_budgetten_name_only_its_kolommen_and_clusters(tmp_path: Any) -> None:
    async for fin in make_fin(tmp_path, archetype="geclusterd-integraal"):
        aanbieder = await fin.made("/aanbieders", {"naam": "A", "agbCode": "12345678", "kvkNummer": "12345678"})
        base = {"aanbieder": aanbieder["url"], "begindatum": "2026-01-01", "uitvoeringsvariant": "taakgericht"}
        r = await fin.post("/contracten", {**base, "kolommen": ["jeugd"], "cluster": "noord"})
        assert r.status_code == 400 and _fields(r.json()) == {"cluster"}
        r = await fin.post("/contracten", {**base, "kolommen": ["jeugd", "schuldhulp"], "cluster": "zorg-en-jeugd"})
        assert r.status_code == 400 and _fields(r.json()) == {"kolommen"}
        r = await fin.post("/budgetten", {"jaar": 2026, "cluster": "noord", "bedrag": "1.00"})
        assert r.status_code == 400 and _fields(r.json()) == {"cluster"}
        assert await fin.count(contracten) == 0 and await fin.count(budgetten) == 0
        await fin.made("/contracten", {**base, "kolommen": ["jeugd", "wmo"], "cluster": "zorg-en-jeugd"})
        await fin.made("/budgetten", {"jaar": 2026, "cluster": "zorg-en-jeugd", "bedrag": "1.00"})


async def test_a_list_filter_that_is_no_url_is_refused_naming_it(fin: Fin) -> None:
    r = await fin.get("/producten", contract="geen-url")
    assert r.status_code == 400 and _fields(r.json()) == {"contract"}
    r = await fin.get("/tarieven", product=f"{API}/producten/x")
    assert r.status_code == 400 and _fields(r.json()) == {"product"}


async def test_the_list_of_aanbieders_leaves_out_the_applicaties_a_single_one_shows(fin: Fin) -> None:
    made = await fin.inkoop(applicaties=["zorg-app"])
    [listed] = (await fin.get("/aanbieders")).json()["results"]
    assert listed["url"] == made["aanbieder"]["url"] and "applicaties" not in listed
    assert (await fin.get(listed["url"])).json()["applicaties"] == ["zorg-app"]
    assert [a["url"] for a in (await fin.get("/aanbieders", aanbieder_app("zorg-app"))).json()["results"]] == [
        listed["url"]]
