"""Point 7 per archetype: budgets, verplichtingen and realisatie per kolom (transitie-proof, integraal in tweede
instantie), per cluster (both clustered profiles), for the whole domain and per household (totaal integraal)."""

from __future__ import annotations

from typing import Any

from contracts.envelope import CloudEvent
from contracts.events import make_event
from sds.runtime.verwerkingenlog import DEV_PSEUDONIEM_SLEUTEL, pseudoniem
from services.financien.models import verwerkingen
from tests.financien.conftest import HUISHOUDEN, ZAKEN, Fin, aanbieder_app, make_fin, toekenning

ANDER_HUISHOUDEN = HUISHOUDEN.rsplit("/", 1)[0] + "/9d3c1a2b-0000-4000-8000-000000000002"


def _toegekend(nr: int, kolom: str, huishouden: str, aanbieder: str, **kw: Any) -> CloudEvent:
    resultaat = f"{ZAKEN}/resultaten/{nr}"
    return make_event("nl.overheid.zaken.resultaat-vastgesteld", {
        "zaak": f"{ZAKEN}/zaken/{nr}", "zaaktype": "http://zaken.test/catalogi/api/v1/zaaktypen/1",
        "huishouden": huishouden, "kolom": kolom, "resultaat": resultaat,
        "resultaattype": "http://zaken.test/catalogi/api/v1/resultaattypen/1", "uitkomst": "toegekend",
        "toekenningen": [toekenning(aanbieder, **kw)]}, source="urn:nld:sociaal-domein:zaken", subject=str(nr),
        dataref=resultaat)


async def _sociaal_domein(fin: Fin) -> dict[str, Any]:
    """One aanbieder contracted for the one cluster of totaal integraal, for wmo and jeugd, 52.40 an uur."""
    aanbieder = await fin.made("/aanbieders", {"naam": "Integraal", "agbCode": "12345678", "kvkNummer": "87654321",
                                               "applicaties": ["zorg-app"]})
    contract = await fin.made("/contracten", {
        "aanbieder": aanbieder["url"], "kolommen": ["wmo", "jeugd"], "cluster": "sociaal-domein",
        "begindatum": "2026-01-01", "einddatum": "2026-12-31", "uitvoeringsvariant": "inspanningsgericht"})
    product = await fin.made("/producten", {"contract": contract["url"], "productcategorie": "02",
                                            "productcode": "02A01", "eenheid": "uur", "frequentie": "per-week"})
    await fin.made("/tarieven", {"product": product["url"], "begindatum": "2026-01-01", "einddatum": "2026-12-31",
                                 "bedrag": "52.40"})
    return aanbieder  # type: ignore[no-any-return]


async def test_under_totaal_integraal_the_whole_domain_and_one_household_over_all_kolommen(tmp_path: Any) -> None:
    async for fin in make_fin(tmp_path, archetype="totaal-integraal"):
        aanbieder = await _sociaal_domein(fin)
        await fin.made("/budgetten", {"jaar": 2026, "cluster": "sociaal-domein", "bedrag": "10000.00"})
        # The household has wmo (3 uur a week, 4 weeks: 628.80) and jeugd (2 uur, 4 weeks: 419.20); another
        # household wmo only (1 uur, 4 weeks: 209.60).
        await fin.deliver(_toegekend(1, "wmo", HUISHOUDEN, aanbieder["url"]),
                          _toegekend(2, "jeugd", HUISHOUDEN, aanbieder["url"], volume=2),
                          _toegekend(3, "wmo", ANDER_HUISHOUDEN, aanbieder["url"], volume=1))
        app = aanbieder_app("zorg-app")
        jeugd = next(t for t in (await fin.get("/toewijzingen", app)).json()["results"] if t["kolom"] == "jeugd")
        r = await fin.post("/declaraties", {"identificatie": "D-1", "begindatum": "2026-03-01",
                                            "einddatum": "2026-03-31", "regels": [{
                                                "referentie": "R1", "toewijzing": jeugd["url"],
                                                "begindatum": "2026-03-02", "einddatum": "2026-03-08", "volume": 2,
                                                "eenheid": "uur", "productTarief": "52.40"}]}, app)
        assert [x["retourcode"] for x in r.json()["regels"]] == ["0200"]

        m = (await fin.get("/budgetmonitor", jaar=2026)).json()
        assert m["totaal"] == {"budget": "10000.00", "verplicht": "1257.60", "gerealiseerd": "104.80"}
        assert m["perCluster"] == [{"cluster": "sociaal-domein", "budget": "10000.00", "verplicht": "1257.60",
                                    "gerealiseerd": "104.80"}]

        async with fin.app.state.db.transaction() as session:
            await session.execute(verwerkingen.delete())
        r = await fin.get("/budgetmonitor/huishouden", huishouden=HUISHOUDEN, jaar=2026)
        assert r.status_code == 200, r.text
        assert r.json() == {"huishouden": HUISHOUDEN, "jaar": 2026,
                            "totaal": {"verplicht": "1048.00", "gerealiseerd": "104.80"},
                            "perKolom": [{"kolom": "jeugd", "verplicht": "419.20", "gerealiseerd": "104.80"},
                                         {"kolom": "wmo", "verplicht": "628.80", "gerealiseerd": "0.00"}]}
        assert (await fin.get("/budgetmonitor/huishouden", huishouden=HUISHOUDEN, jaar=2027)).json()["perKolom"] == []
        # What a household costs is personal data: the read is logged, per kolom, by pseudonym.
        async with fin.app.state.db.transaction() as session:
            logged = (await session.execute(verwerkingen.select())).all()
        hh = pseudoniem(HUISHOUDEN, DEV_PSEUDONIEM_SLEUTEL.encode())
        assert sorted((r.verwerkingsactiviteit, r.grondslag, r.betrokkene) for r in logged) == [
            ("huishoudkosten-raadplegen", "financien:jeugd", hh), ("huishoudkosten-raadplegen", "financien:wmo", hh)]
        # The municipality's figures: not an aanbieder's; and a huishouden is named by its URL.
        assert (await fin.get("/budgetmonitor/huishouden", app, huishouden=HUISHOUDEN, jaar=2026)).status_code == 403
        r = await fin.get("/budgetmonitor/huishouden", huishouden="123456782", jaar=2026)
        assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "huishouden"


async def test_per_kolom_the_domain_budget_is_the_kolommen_together(fin: Fin) -> None:
    made = await fin.inkoop(kolommen=["wmo"])
    await fin.made("/budgetten", {"jaar": 2026, "kolom": "wmo", "bedrag": "1000.00"})
    await fin.made("/budgetten", {"jaar": 2026, "kolom": "jeugd", "bedrag": "500.00"})
    await fin.deliver(_toegekend(1, "wmo", HUISHOUDEN, made["aanbieder"]["url"]))
    m = (await fin.get("/budgetmonitor", jaar=2026)).json()
    assert m["totaal"] == {"budget": "1500.00", "verplicht": "628.80", "gerealiseerd": "0.00"}
    assert [(x["kolom"], x["budget"], x["verplicht"]) for x in m["perKolom"]] == [
        ("jeugd", "500.00", "0.00"), ("wmo", "1000.00", "628.80")]


async def test_under_geclusterd_integraal_elders_the_external_party_works_its_cluster_through_its_own_applicatie(
        tmp_path: Any) -> None:
    async for fin in make_fin(tmp_path, archetype="geclusterd-integraal-elders"):
        regio = await fin.made("/aanbieders", {"naam": "Regionale jeugdorganisatie", "agbCode": "12345678",
                                               "kvkNummer": "87654321", "applicaties": ["regio-jeugd-app"]})
        contract = await fin.made("/contracten", {
            "aanbieder": regio["url"], "kolommen": ["jeugd"], "cluster": "jeugdzorg", "begindatum": "2026-01-01",
            "einddatum": "2026-12-31", "uitvoeringsvariant": "inspanningsgericht"})
        product = await fin.made("/producten", {"contract": contract["url"], "productcategorie": "02",
                                                "productcode": "02A01", "eenheid": "uur", "frequentie": "per-week"})
        await fin.made("/tarieven", {"product": product["url"], "begindatum": "2026-01-01",
                                     "einddatum": "2026-12-31", "bedrag": "52.40"})
        await fin.made("/budgetten", {"jaar": 2026, "cluster": "jeugdzorg", "bedrag": "5000.00"})
        await fin.inkoop(agb="22222222", applicaties=["intern-app"], kolommen=["participatie"])
        await fin.deliver(_toegekend(1, "jeugd", HUISHOUDEN, regio["url"]))

        regio_app, intern_app = aanbieder_app("regio-jeugd-app"), aanbieder_app("intern-app")
        [t] = (await fin.get("/toewijzingen", regio_app)).json()["results"]
        assert t["kolom"] == "jeugd" and t["contract"] == contract["url"]
        assert (await fin.get("/toewijzingen", intern_app)).json()["results"] == []
        regel = {"toewijzing": t["url"], "begindatum": "2026-03-02", "einddatum": "2026-03-08", "volume": 3,
                 "eenheid": "uur", "productTarief": "52.40"}
        body = {"begindatum": "2026-03-01", "einddatum": "2026-03-31"}
        r = await fin.post("/declaraties", {**body, "identificatie": "I-1", "regels": [{**regel, "referentie": "X"}]},
                           intern_app)
        assert [x["retourcode"] for x in r.json()["regels"]] == ["SD01"]
        r = await fin.post("/declaraties", {**body, "identificatie": "J-1", "regels": [{**regel, "referentie": "R"}]},
                           regio_app)
        assert [x["retourcode"] for x in r.json()["regels"]] == ["0200"]
        m = (await fin.get("/budgetmonitor", jaar=2026)).json()
        assert m["perCluster"] == [{"cluster": "jeugdzorg", "budget": "5000.00", "verplicht": "628.80",
                                    "gerealiseerd": "157.20"}]
