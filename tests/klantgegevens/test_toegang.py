"""Purpose-bound access: a lawful reason from intake and zaken events, or a consent; anything else is 403
(404 only for what does not exist). Contactmomenten stay within their cluster."""

from __future__ import annotations

from datetime import UTC, datetime

from services.klantgegevens import handlers
from tests.klantgegevens.conftest import (
    INTAKE,
    ZAKEN,
    Kg,
    aanvraag_ingediend,
    event,
    inwoner,
    kolom_client,
    zaak_geopend,
)

WMO = kolom_client("wmo")
JEUGD = kolom_client("jeugd")


async def _household(kg: Kg) -> tuple[dict, dict]:
    p = await kg.persoon()
    return p, await kg.huishouden((p, "ouder"))


async def _lookup(kg: Kg, p: dict, ctx) -> list:  # type: ignore[no-untyped-def]
    r = await kg.post("/personen", {"type": "RaadpleegMetBurgerservicenummer",
                                    "burgerservicenummer": [p["burgerservicenummer"]]}, ctx)
    assert r.status_code == 200, r.text
    return r.json()["personen"]


async def test_wmo_cannot_see_a_household_with_only_a_jeugd_zaak_until_a_wmo_aanvraag_arrives(kg: Kg) -> None:
    p, h = await _household(kg)
    await kg.deliver(zaak_geopend(h["url"], "jeugd"))
    assert (await kg.get(h["url"], JEUGD)).status_code == 200
    assert (await kg.get(h["url"], WMO)).status_code == 403
    assert (await kg.get(p["url"], WMO)).status_code == 403
    # 404 only for what does not exist, to every client.
    for absent in (h["url"][:-12] + "000000000000", p["url"][:-12] + "000000000000"):
        r = await kg.get(absent, WMO)
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    assert (await kg.get(h["url"], WMO)).json()["code"] == "permission_denied"
    assert await _lookup(kg, p, WMO) == []

    await kg.deliver(aanvraag_ingediend(h["url"], ["wmo"]))
    r = await kg.get(h["url"], WMO)
    assert r.status_code == 200, r.text
    assert [lid["persoon"] for lid in r.json()["leden"]] == [p["url"]]
    assert [x["uuid"] for x in await _lookup(kg, p, WMO)] == [p["uuid"]]


async def test_the_reason_ends_with_the_zaak_or_aanvraag(kg: Kg) -> None:
    _, h = await _household(kg)
    await kg.deliver(zaak_geopend(h["url"], "wmo", nr=7))
    assert (await kg.get(h["url"], WMO)).status_code == 200
    await kg.deliver(event(handlers.ZAAK_AFGESLOTEN, {
        "zaak": f"{ZAKEN}/zaken/7", "zaaktype": "http://zaken.test/catalogi/api/v1/zaaktypen/wmo",
        "huishouden": h["url"], "kolommen": ["wmo"], "resultaattype": "http://zaken.test/resultaattypen/1",
        "einddatum": "2026-11-20"}))
    assert (await kg.get(h["url"], WMO)).status_code == 403


async def test_a_cluster_reason_from_triage_reaches_clients_of_that_cluster(kg: Kg) -> None:
    _, h = await _household(kg)
    zorg = kolom_client("wmo", clusters=["zorg"], client_id="cluster-zorg")
    await kg.deliver(aanvraag_ingediend(h["url"], ["jeugd"], nr=3))
    assert (await kg.get(h["url"], zorg)).status_code == 403
    await kg.deliver(event(handlers.AANVRAAG_GETRIEERD, {
        "aanvraag": f"{INTAKE}/aanvragen/3", "huishouden": h["url"], "integraal": False, "regie": "per-cluster",
        "zaken": [{"kolommen": ["jeugd"], "cluster": "zorg", "zaaktype": "http://zaken.test/zaaktypen/j",
                   "integraal": False, "regisseur": False}], "delegaties": [],
        "redenen": [{"code": "vraag-jeugd"}]}))
    assert (await kg.get(h["url"], zorg)).status_code == 200
    assert (await kg.get(h["url"], WMO)).status_code == 403


async def test_a_payment_arrears_signal_is_a_reason_for_schuldhulp_only(kg: Kg) -> None:
    _, h = await _household(kg)
    await kg.deliver(event(handlers.SIGNAAL_ONTVANGEN, {
        "signaal": f"{INTAKE}/signalen/1", "huishouden": h["url"], "partnersoort": "woningcorporatie",
        "signaalsoort": "huurachterstand", "crisis": False, "registratiedatum": "2026-11-01"}))
    assert (await kg.get(h["url"], kolom_client("schuldhulp"))).status_code == 200
    assert (await kg.get(h["url"], WMO)).status_code == 403


async def test_a_consent_opens_access_and_its_withdrawal_closes_it(kg: Kg) -> None:
    p, h = await _household(kg)
    assert (await kg.get(h["url"], WMO)).status_code == 403
    # The resident gives consent through the municipality's portal.
    r = await kg.post("/toestemmingen", {"persoon": p["url"], "doel": "ondersteuning-thuis", "kolom": "wmo",
                                         "startdatum": "2026-01-01"}, inwoner(p["burgerservicenummer"]))
    assert r.status_code == 201, r.text
    toestemming = r.json()
    assert toestemming["geldig"] is True
    assert (await kg.get(h["url"], WMO)).status_code == 200
    assert (await kg.get(h["url"], JEUGD)).status_code == 403

    r = await kg.post(f"/toestemmingen/{toestemming['uuid']}/intrekking", {}, inwoner(p["burgerservicenummer"]))
    assert r.status_code == 200 and r.json()["ingetrokken"] is not None and r.json()["geldig"] is False
    assert (await kg.get(h["url"], WMO)).status_code == 403


async def test_a_consent_opens_only_the_household_of_its_giver(kg: Kg) -> None:
    # Found by the access matrix: the consent of one household's member opened every household to that kolom.
    p, h = await _household(kg)
    q, other = await _household(kg)
    r = await kg.post("/toestemmingen", {"persoon": p["url"], "doel": "ondersteuning-thuis", "kolom": "wmo",
                                         "startdatum": "2026-01-01"}, inwoner(p["burgerservicenummer"]))
    assert r.status_code == 201, r.text
    assert (await kg.get(h["url"], WMO)).status_code == 200
    assert (await kg.get(p["url"], WMO)).status_code == 200
    assert (await kg.get(other["url"], WMO)).status_code == 403
    assert (await kg.get(q["url"], WMO)).status_code == 403


async def test_an_expired_or_future_consent_gives_no_access(kg: Kg) -> None:
    p, h = await _household(kg)
    for start, end in (("2020-01-01", "2020-12-31"), ("2099-01-01", None)):
        r = await kg.post("/toestemmingen", {"persoon": p["url"], "doel": "ondersteuning-thuis", "kolom": "wmo",
                                             "startdatum": start, "einddatum": end},
                          inwoner(p["burgerservicenummer"]))
        assert r.status_code == 201 and r.json()["geldig"] is False
    assert (await kg.get(h["url"], WMO)).status_code == 403


async def test_a_consent_needs_exactly_one_of_kolom_or_cluster(kg: Kg) -> None:
    p, _ = await _household(kg)
    r = await kg.post("/toestemmingen", {"persoon": p["url"], "doel": "x", "startdatum": "2026-01-01"},
                      inwoner(p["burgerservicenummer"]))
    assert r.status_code == 400


async def test_a_resident_cannot_give_consent_for_someone_else(kg: Kg) -> None:
    p, _ = await _household(kg)
    other = await kg.persoon()
    r = await kg.post("/toestemmingen", {"persoon": p["url"], "doel": "x", "kolom": "wmo",
                                         "startdatum": "2026-01-01"}, inwoner(other["burgerservicenummer"]))
    assert r.status_code == 400


async def test_contactmomenten_stay_within_their_cluster(kg: Kg) -> None:
    p, h = await _household(kg)
    await kg.deliver(zaak_geopend(h["url"], "wmo", nr=1, cluster="zorg"),
                     zaak_geopend(h["url"], "participatie", nr=2, cluster="inkomen"))
    zorg = kolom_client("wmo", clusters=["zorg"], client_id="cluster-zorg")
    inkomen = kolom_client("participatie", clusters=["inkomen"], client_id="cluster-inkomen")
    moment = {"persoon": p["url"], "kanaal": "telefoon", "onderwerp": "vraag over hulp bij het huishouden",
              "medewerker": "consulent 12", "tijdstip": datetime(2026, 11, 3, 10, tzinfo=UTC).isoformat()}
    r = await kg.post("/contactmomenten", {**moment, "cluster": "zorg"}, zorg)
    assert r.status_code == 201, r.text
    zorg_moment = r.json()
    assert (await kg.post("/contactmomenten", {**moment, "cluster": "zorg"}, inkomen)).status_code == 403
    r = await kg.post("/contactmomenten", {**moment, "cluster": "inkomen", "onderwerp": "uitkering"}, inkomen)
    assert r.status_code == 201

    seen_by_zorg = (await kg.get("/contactmomenten", zorg, persoon=p["url"])).json()
    seen_by_inkomen = (await kg.get("/contactmomenten", inkomen, persoon=p["url"])).json()
    assert [m["cluster"] for m in seen_by_zorg["results"]] == ["zorg"]
    assert [m["cluster"] for m in seen_by_inkomen["results"]] == ["inkomen"]
    assert (await kg.get(zorg_moment["url"], inkomen)).status_code == 403
    assert (await kg.get(zorg_moment["url"], zorg)).status_code == 200


async def test_a_contactmoment_for_a_person_without_reason_is_refused(kg: Kg) -> None:
    p, _ = await _household(kg)
    r = await kg.post("/contactmomenten", {
        "persoon": p["url"], "cluster": "zorg", "kanaal": "balie", "onderwerp": "x", "medewerker": "y",
        "tijdstip": "2026-11-03T10:00:00+00:00"}, kolom_client("wmo", clusters=["zorg"]))
    assert r.status_code == 400
    assert r.json()["invalidParams"][0]["name"] == "persoon"


async def test_redelivered_event_has_no_second_effect_through_the_consumer(kg: Kg) -> None:
    from services.klantgegevens.models import grondslagen

    _, h = await _household(kg)
    ev = zaak_geopend(h["url"], "wmo", nr=9)
    await kg.deliver(ev, ev)
    assert await kg.count(grondslagen) == 1


async def test_a_deleted_zaak_is_no_reason_and_leaves_the_dossier(kg: Kg) -> None:
    p, h = await _household(kg)
    await kg.deliver(zaak_geopend(h["url"], "wmo", nr=5))
    assert (await kg.get(h["url"], WMO)).status_code == 200
    await kg.deliver(event(handlers.ZAAK_GEMUTEERD, {
        "zaak": f"{ZAKEN}/zaken/5", "zaaktype": "http://zaken.test/catalogi/api/v1/zaaktypen/wmo",
        "actie": "verwijderd", "velden": [], "huishouden": h["url"]}))
    assert (await kg.get(h["url"], WMO)).status_code == 403
    assert (await kg.get("/eigen-dossier", inwoner(p["burgerservicenummer"]))).json()["zaken"] == []


async def test_a_team_sees_only_the_consents_of_its_own_kolom(kg: Kg) -> None:
    p, h = await _household(kg)
    for kolom, doel in (("wmo", "ondersteuning-thuis"), ("schuldhulp", "schuldhulpverlening")):
        r = await kg.post("/toestemmingen", {"persoon": p["url"], "doel": doel, "kolom": kolom,
                                             "startdatum": "2026-01-01"}, inwoner(p["burgerservicenummer"]))
        assert r.status_code == 201, r.text
    schuldhulp = kolom_client("schuldhulp")
    seen_by_wmo = (await kg.get("/toestemmingen", WMO, persoon=p["url"])).json()
    seen_by_schuldhulp = (await kg.get("/toestemmingen", schuldhulp, persoon=p["url"])).json()
    # The wmo team may know the person (its consent) but not that they asked for help with debts.
    assert [t["doel"] for t in seen_by_wmo["results"]] == ["ondersteuning-thuis"]
    assert [t["doel"] for t in seen_by_schuldhulp["results"]] == ["schuldhulpverlening"]
    seen_by_self = (await kg.get("/toestemmingen", inwoner(p["burgerservicenummer"]), persoon=p["url"])).json()
    assert sorted(t["kolom"] for t in seen_by_self["results"]) == ["schuldhulp", "wmo"]
