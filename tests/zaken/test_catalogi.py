"""Catalogi API 1.3.1: the seeded catalogue, concept → publish, versions by geldigheid, validation codes."""

from __future__ import annotations

from typing import Any

from sds.runtime.auth import Autorisatie
from tests.zaken.conftest import CATALOGI, RSIN, Suite, client_ctx, headers


def _codes(response: Any) -> list[tuple[str, str]]:
    return [(p["name"], p["code"]) for p in response.json().get("invalidParams", [])]


async def _catalogus_url(suite: Suite, domein: str) -> str:
    page = await suite.get_json(f"{CATALOGI}/catalogussen?domein={domein}")
    return page["results"][0]["url"]


def _zaaktype_body(catalogus: str, identificatie: str = "TEST-ZT", begin: str = "2026-01-01", **extra: Any) -> dict:
    return {"identificatie": identificatie, "omschrijving": "Test zaaktype", "vertrouwelijkheidaanduiding": "intern",
            "doel": "testen", "aanleiding": "test", "indicatieInternOfExtern": "extern",
            "handelingInitiator": "aanvragen", "onderwerp": "test", "handelingBehandelaar": "behandelen",
            "doorlooptijd": "P6W", "opschortingEnAanhoudingMogelijk": False, "verlengingMogelijk": False,
            "publicatieIndicatie": False, "referentieproces": {"naam": "test"}, "verantwoordelijke": "team",
            "catalogus": catalogus, "beginGeldigheid": begin, "versiedatum": begin, "besluittypen": [],
            "gerelateerdeZaaktypen": [], "productenOfDiensten": [], **extra}


async def _complete(suite: Suite, zaaktype: str) -> None:
    """The minimum a zaaktype needs before it can be published."""
    for volgnummer in (1, 2):
        r = await suite.client.post(f"{CATALOGI}/statustypen", headers=headers(), json={
            "omschrijving": f"stap {volgnummer}", "zaaktype": zaaktype, "volgnummer": volgnummer})
        assert r.status_code == 201, r.text
    r = await suite.client.post(f"{CATALOGI}/roltypen", headers=headers(), json={
        "zaaktype": zaaktype, "omschrijving": "Regisseur", "omschrijvingGeneriek": "zaakcoordinator"})
    assert r.status_code == 201, r.text
    r = await suite.client.post(f"{CATALOGI}/resultaattypen", headers=headers(), json={
        "zaaktype": zaaktype, "omschrijving": "Toegekend",
        "resultaattypeomschrijving": "https://selectielijst.openzaak.nl/api/v1/resultaattypeomschrijvingen/x",
        "selectielijstklasse": "https://selectielijst.openzaak.nl/api/v1/resultaten/y"})
    assert r.status_code == 201, r.text


async def test_seed_has_a_catalogus_per_kolom_and_an_integral_one(suite: Suite) -> None:
    page = await suite.get_json(f"{CATALOGI}/catalogussen")
    assert sorted(c["kolom"] for c in page["results"]) == ["integraal", "jeugd", "participatie", "schuldhulp", "wmo"]
    zaaktypen = await suite.get_json(f"{CATALOGI}/zaaktypen")
    assert zaaktypen["count"] == 9
    for zt in zaaktypen["results"]:
        assert zt["concept"] is False and zt["doorlooptijd"].startswith("P")
        assert len(zt["statustypen"]) >= 3
        types = await suite.types(next(k for k, v in suite.zaaktypen.items() if v == zt["url"]))
        assert {"Regisseur", "Aanvrager", "Behandelaar"} <= set(types["roltypen"])
        assert {"Toegekend", "Afgewezen", "Ingetrokken"} <= set(types["resultaattypen"])
    eind = [await suite.get_json(u) for u in (await suite.types("WMO-HBH"))["statustypen"]]
    assert [s["isEindstatus"] for s in eind] == [False, False, False, True]


async def test_seed_twice_changes_nothing(suite: Suite) -> None:
    from services.zaken.seed_catalogus import run

    again = await run(suite.url, "http://testserver", RSIN)
    assert again == suite.zaaktypen
    assert (await suite.get_json(f"{CATALOGI}/zaaktypen"))["count"] == 9


async def test_a_new_zaaktype_is_a_concept_until_published(suite: Suite) -> None:
    catalogus = await _catalogus_url(suite, "WMO")
    r = await suite.client.post(f"{CATALOGI}/zaaktypen", json=_zaaktype_body(catalogus), headers=headers())
    assert r.status_code == 201, r.text
    zaaktype = r.json()
    assert zaaktype["concept"] is True and r.headers["Location"] == zaaktype["url"]
    # The default list shows only published zaaktypen; status=concept and status=alles show it.
    assert zaaktype["url"] not in [z["url"] for z in (await suite.get_json(f"{CATALOGI}/zaaktypen"))["results"]]
    concept = await suite.get_json(f"{CATALOGI}/zaaktypen?status=concept")
    assert [z["url"] for z in concept["results"]] == [zaaktype["url"]]
    assert (await suite.get_json(f"{CATALOGI}/zaaktypen?status=alles"))["count"] == 10

    await _complete(suite, zaaktype["url"])
    r = await suite.client.post(f"{zaaktype['url']}/publish", headers=headers())
    assert r.status_code == 200 and r.json()["concept"] is False

    # Published: the zaaktype and its types are frozen, except for closing its geldigheid.
    r = await suite.client.patch(zaaktype["url"], json={"omschrijving": "anders"}, headers=headers())
    assert r.status_code == 400 and _codes(r) == [("nonFieldErrors", "non-concept-object")]
    r = await suite.client.post(f"{CATALOGI}/statustypen", headers=headers(), json={
        "omschrijving": "extra", "zaaktype": zaaktype["url"], "volgnummer": 3})
    assert r.status_code == 400 and _codes(r) == [("zaaktype", "non-concept-zaaktype")]
    schrijver = client_ctx("schrijver", Autorisatie(component="ztc", scopes=["catalogi.lezen", "catalogi.schrijven"]))
    r = await suite.client.delete(zaaktype["url"], headers=headers(schrijver))
    assert r.status_code == 400 and _codes(r) == [("nonFieldErrors", "non-concept-object")]
    r = await suite.client.patch(zaaktype["url"], json={"eindeGeldigheid": "2026-12-31"}, headers=headers())
    assert r.status_code == 200 and r.json()["eindeGeldigheid"] == "2026-12-31"


async def test_publishing_asks_only_for_published_relations_as_the_zgw_reference_does(suite: Suite) -> None:
    # VNG's endpoint tests publish a zaaktype before it has statustypen, roltypen or resultaattypen.
    catalogus = await _catalogus_url(suite, "WMO")
    r = await suite.client.post(f"{CATALOGI}/zaaktypen", json=_zaaktype_body(catalogus), headers=headers())
    assert r.status_code == 201, r.text
    r = await suite.client.post(f"{r.json()['url']}/publish", headers=headers())
    assert r.status_code == 200 and r.json()["concept"] is False


async def test_a_published_zaaktype_goes_only_when_forced_and_only_without_zaken(suite: Suite) -> None:
    catalogus = await _catalogus_url(suite, "WMO")
    zaaktype = (await suite.client.post(f"{CATALOGI}/zaaktypen", json=_zaaktype_body(catalogus),
                                        headers=headers())).json()
    await _complete(suite, zaaktype["url"])
    assert (await suite.client.post(f"{zaaktype['url']}/publish", headers=headers())).status_code == 200
    zaaktype_detail = await suite.get_json(zaaktype["url"])
    statustype = zaaktype_detail["statustypen"][0]
    schrijver = client_ctx("schrijver", Autorisatie(component="ztc", scopes=["catalogi.lezen", "catalogi.schrijven"]))
    geforceerd = client_ctx("opruimer", Autorisatie(component="ztc", scopes=["catalogi.lezen",
                                                                     "catalogi.geforceerd-verwijderen"]))
    # catalogi.schrijven deletes concepts only, of a zaaktype as of its types.
    r = await suite.client.delete(statustype, headers=headers(schrijver))
    assert r.status_code == 400 and _codes(r) == [("zaaktype", "non-concept-zaaktype")]
    # A seeded zaaktype has zaken: even forced it stays, and so do its types.
    seeded = suite.zaaktypen["WMO-HBH"]
    r = await suite.client.post("/zaken/api/v1/zaken", headers=headers(), json={
        "bronorganisatie": RSIN, "verantwoordelijkeOrganisatie": RSIN, "zaaktype": seeded, "startdatum": "2026-11-01"})
    assert r.status_code == 201, r.text
    r = await suite.client.delete(seeded, headers=headers(geforceerd))
    assert r.status_code == 400 and _codes(r) == [("nonFieldErrors", "pending-relations")]
    seeded_statustype = (await suite.get_json(seeded))["statustypen"][0]
    r = await suite.client.delete(seeded_statustype, headers=headers(geforceerd))
    assert r.status_code == 400 and _codes(r) == [("nonFieldErrors", "pending-relations")]
    assert (await suite.client.get(seeded, headers=headers())).status_code == 200
    # Without zaken, catalogi.geforceerd-verwijderen deletes the published zaaktype (Open Zaak's scope for it).
    r = await suite.client.delete(statustype, headers=headers(geforceerd))
    assert r.status_code == 204, r.text
    r = await suite.client.delete(zaaktype["url"], headers=headers(geforceerd))
    assert r.status_code == 204, r.text
    assert (await suite.client.get(zaaktype["url"], headers=headers())).status_code == 404


async def test_versions_may_not_overlap_and_datum_geldigheid_picks_one(suite: Suite) -> None:
    catalogus = await _catalogus_url(suite, "JEUGD")
    first = (await suite.client.post(f"{CATALOGI}/zaaktypen", headers=headers(),
                                     json=_zaaktype_body(catalogus, "JW-VERSIE", "2026-01-01"))).json()
    r = await suite.client.post(f"{CATALOGI}/zaaktypen", headers=headers(),
                                json=_zaaktype_body(catalogus, "JW-VERSIE", "2026-06-01"))
    assert r.status_code == 400 and _codes(r) == [("beginGeldigheid", "overlap")]
    r = await suite.client.patch(first["url"], json={"eindeGeldigheid": "2026-05-31"}, headers=headers())
    assert r.status_code == 200, r.text
    second = await suite.client.post(f"{CATALOGI}/zaaktypen", headers=headers(),
                                     json=_zaaktype_body(catalogus, "JW-VERSIE", "2026-06-01"))
    assert second.status_code == 201, second.text
    for url in (first["url"], second.json()["url"]):
        await _complete(suite, url)
        assert (await suite.client.post(f"{url}/publish", headers=headers())).status_code == 200
    may = await suite.get_json(f"{CATALOGI}/zaaktypen?identificatie=JW-VERSIE&datumGeldigheid=2026-05-15")
    july = await suite.get_json(f"{CATALOGI}/zaaktypen?identificatie=JW-VERSIE&datumGeldigheid=2026-07-01")
    assert [z["url"] for z in may["results"]] == [first["url"]]
    assert [z["url"] for z in july["results"]] == [second.json()["url"]]


async def test_validation_codes(suite: Suite) -> None:
    r = await suite.client.post(f"{CATALOGI}/catalogussen", headers=headers(), json={
        "domein": "X", "rsin": "123456789", "contactpersoonBeheerNaam": "beheer"})
    assert r.status_code == 400 and _codes(r) == [("rsin", "invalid")]
    r = await suite.client.post(f"{CATALOGI}/catalogussen", headers=headers(), json={
        "domein": "WMO", "rsin": RSIN, "contactpersoonBeheerNaam": "beheer"})
    assert r.status_code == 400 and _codes(r) == [("nonFieldErrors", "unique")]
    catalogus = await _catalogus_url(suite, "WMO")
    r = await suite.client.post(f"{CATALOGI}/zaaktypen", headers=headers(),
                                json=_zaaktype_body(catalogus, doorlooptijd="acht weken"))
    assert r.status_code == 400 and _codes(r)[0][0] == "doorlooptijd"
    r = await suite.client.post(f"{CATALOGI}/zaaktypen", headers=headers(),
                                json=_zaaktype_body("http://elders.example/catalogi/api/v1/catalogussen/1"))
    assert r.status_code == 400 and _codes(r) == [("catalogus", "bad-url")]
    zaaktype = (await suite.client.post(f"{CATALOGI}/zaaktypen", headers=headers(),
                                        json=_zaaktype_body(catalogus, "DUBBEL"))).json()
    body = {"omschrijving": "a", "zaaktype": zaaktype["url"], "volgnummer": 1}
    assert (await suite.client.post(f"{CATALOGI}/statustypen", headers=headers(), json=body)).status_code == 201
    r = await suite.client.post(f"{CATALOGI}/statustypen", headers=headers(), json=body)
    assert r.status_code == 400 and _codes(r) == [("volgnummer", "unique")]
    r = await suite.client.post(f"{CATALOGI}/roltypen", headers=headers(), json={
        "zaaktype": zaaktype["url"], "omschrijving": "x", "omschrijvingGeneriek": "regisseur"})
    assert r.status_code == 400 and _codes(r) == [("omschrijvingGeneriek", "invalid_choice")]


async def test_catalogi_scopes(suite: Suite) -> None:
    lezer = client_ctx("lezer", Autorisatie(component="ztc", scopes=["catalogi.lezen"]))
    niemand = client_ctx("niemand", Autorisatie(component="zrc", scopes=["zaken.lezen"]))
    assert (await suite.client.get(f"{CATALOGI}/zaaktypen", headers=headers(lezer))).status_code == 200
    assert (await suite.client.get(f"{CATALOGI}/zaaktypen", headers=headers(niemand))).status_code == 403
    catalogus = await _catalogus_url(suite, "WMO")
    r = await suite.client.post(f"{CATALOGI}/zaaktypen", json=_zaaktype_body(catalogus), headers=headers(lezer))
    assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
