"""Catalogi API 1.3.1: besluittypen, informatieobjecttypen (concept → publish, versions by omschrijving) and
zaakobjecttypen (under a concept zaaktype), and how the spec links them to catalogussen, zaaktypen and
resultaattypen."""

from __future__ import annotations

from typing import Any

from tests.zaken.conftest import CATALOGI, Suite, catalogusbeheerder, headers
from tests.zaken.test_catalogi import _catalogus_url, _codes, _complete, _zaaktype_body


def _iot(catalogus: str, omschrijving: str = "Rapportage", **extra: Any) -> dict[str, Any]:
    return {"catalogus": catalogus, "omschrijving": omschrijving, "vertrouwelijkheidaanduiding": "vertrouwelijk",
            "informatieobjectcategorie": "Rapport", "beginGeldigheid": "2026-01-01", **extra}


def _besluittype(catalogus: str, omschrijving: str = "Herziening", **extra: Any) -> dict[str, Any]:
    return {"catalogus": catalogus, "omschrijving": omschrijving, "publicatieIndicatie": False,
            "informatieobjecttypen": [], "beginGeldigheid": "2026-01-01", **extra}


async def _create(suite: Suite, collection: str, body: dict[str, Any]) -> dict[str, Any]:
    r = await suite.client.post(f"{CATALOGI}/{collection}", json=body, headers=headers())
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == r.json()["url"]
    return r.json()


async def test_besluittype_and_informatieobjecttype_from_concept_to_published(suite: Suite) -> None:
    wmo = await _catalogus_url(suite, "WMO")
    iot = await _create(suite, "informatieobjecttypen", _iot(wmo))
    assert iot["concept"] is True and iot["besluittypen"] == []
    bt = await _create(suite, "besluittypen", _besluittype(wmo, informatieobjecttypen=["Rapportage"],
                                                           reactietermijn="P6W"))
    # Written by omschrijving, answered with URLs (and the omschrijvingen as vastgelegdIn).
    assert bt["concept"] is True and bt["informatieobjecttypen"] == [iot["url"]]
    assert bt["vastgelegdIn"] == ["Rapportage"] and bt["zaaktypen"] == [] and bt["reactietermijn"] == "P6W"
    assert (await suite.get_json(iot["url"]))["besluittypen"] == [bt["url"]]
    catalogus = await suite.get_json(wmo)
    assert bt["url"] in catalogus["besluittypen"] and iot["url"] in catalogus["informatieobjecttypen"]

    r = await suite.client.post(f"{CATALOGI}/besluittypen", headers=headers(),
                                json=_besluittype(wmo, "Ander", informatieobjecttypen=["Bestaat niet"]))
    assert r.status_code == 400 and ("informatieobjecttypen.0", "does_not_exist") in _codes(r)
    # An informatieobjecttype of another catalogus is not found by its omschrijving.
    jeugd = await _catalogus_url(suite, "JEUGD")
    r = await suite.client.post(f"{CATALOGI}/besluittypen", headers=headers(),
                                json=_besluittype(jeugd, informatieobjecttypen=["Rapportage"]))
    assert r.status_code == 400 and ("informatieobjecttypen.0", "does_not_exist") in _codes(r)

    r = await suite.client.patch(bt["url"], json={"toelichting": "bij herziening"}, headers=headers())
    assert r.status_code == 200 and r.json()["toelichting"] == "bij herziening"
    r = await suite.client.patch(bt["url"], json={"catalogus": jeugd}, headers=headers())
    assert r.status_code == 400 and ("catalogus", "wijzigen-niet-toegelaten") in _codes(r)

    # The default list shows published ones only (status=definitief).
    listed = await suite.get_json(f"{CATALOGI}/besluittypen?catalogus={wmo}")
    assert bt["url"] not in [b["url"] for b in listed["results"]]
    listed = await suite.get_json(f"{CATALOGI}/besluittypen?catalogus={wmo}&status=concept")
    assert [b["url"] for b in listed["results"]] == [bt["url"]]

    for item in (bt, iot):
        r = await suite.client.post(f"{item['url']}/publish", headers=headers())
        assert r.status_code == 200 and r.json()["concept"] is False
        r = await suite.client.patch(item["url"], json={"omschrijving": "Anders"}, headers=headers())
        assert r.status_code == 400 and ("nonFieldErrors", "non-concept-object") in _codes(r)
        # Closing a published version is allowed: that is how a new version takes over.
        r = await suite.client.patch(item["url"], json={"eindeGeldigheid": "2026-12-31"}, headers=headers())
        assert r.status_code == 200 and r.json()["eindeGeldigheid"] == "2026-12-31"
        r = await suite.client.delete(item["url"], headers=catalogusbeheerder())
        assert r.status_code == 400 and ("nonFieldErrors", "non-concept-object") in _codes(r)
    listed = await suite.get_json(f"{CATALOGI}/besluittypen?omschrijving=Herziening&datumGeldigheid=2026-06-01")
    assert [b["url"] for b in listed["results"]] == [bt["url"]]
    assert (await suite.get_json(f"{CATALOGI}/besluittypen?omschrijving=Herziening&datumGeldigheid=2027-06-01")
            )["count"] == 0
    listed = await suite.get_json(f"{CATALOGI}/besluittypen?informatieobjecttypen={iot['url']}")
    assert [b["url"] for b in listed["results"]] == [bt["url"]]
    # catalogi.geforceerd-verwijderen (here through heeftAlleAutorisaties) deletes a published one.
    for item in (bt, iot):
        r = await suite.client.delete(item["url"], headers=headers())
        assert r.status_code == 204, r.text
        assert (await suite.client.get(item["url"], headers=headers())).status_code == 404


async def test_versions_of_one_omschrijving_may_not_overlap(suite: Suite) -> None:
    wmo = await _catalogus_url(suite, "WMO")
    for collection, body in (("besluittypen", _besluittype), ("informatieobjecttypen", _iot)):
        first = await _create(suite, collection, body(wmo, "Versie", eindeGeldigheid="2026-06-30"))
        r = await suite.client.post(f"{CATALOGI}/{collection}", headers=headers(),
                                    json=body(wmo, "Versie", beginGeldigheid="2026-06-01"))
        assert r.status_code == 400 and ("beginGeldigheid", "overlap") in _codes(r), collection
        await _create(suite, collection, body(wmo, "Versie", beginGeldigheid="2026-07-01"))
        # Another catalogus has its own omschrijvingen.
        await _create(suite, collection, body(await _catalogus_url(suite, "JEUGD"), "Versie"))
        assert (await suite.client.delete(first["url"], headers=headers())).status_code == 204
        assert (await suite.client.get(first["url"], headers=headers())).status_code == 404


async def test_zaaktype_besluittypen_are_of_its_catalogus_and_published_before_it(suite: Suite) -> None:
    wmo = await _catalogus_url(suite, "WMO")
    bt = await _create(suite, "besluittypen", _besluittype(wmo))
    elders = await _create(suite, "besluittypen", _besluittype(await _catalogus_url(suite, "JEUGD")))
    r = await suite.client.post(f"{CATALOGI}/zaaktypen", headers=headers(),
                                json=_zaaktype_body(wmo, besluittypen=[elders["url"]]))
    assert r.status_code == 400 and ("besluittypen", "relations-incorrect-catalogus") in _codes(r)
    zaaktype = await _create(suite, "zaaktypen", _zaaktype_body(wmo, besluittypen=[bt["url"]]))
    assert zaaktype["besluittypen"] == [bt["url"]]
    assert (await suite.get_json(bt["url"]))["zaaktypen"] == [zaaktype["url"]]
    listed = await suite.get_json(f"{CATALOGI}/besluittypen?zaaktypen={zaaktype['url']}&status=alles")
    assert [b["url"] for b in listed["results"]] == [bt["url"]]

    await _complete(suite, zaaktype["url"])
    r = await suite.client.post(f"{zaaktype['url']}/publish", headers=headers())
    assert r.status_code == 400 and ("besluittypen", "concept-relation") in _codes(r)
    assert (await suite.client.post(f"{bt['url']}/publish", headers=headers())).status_code == 200
    r = await suite.client.post(f"{zaaktype['url']}/publish", headers=headers())
    assert r.status_code == 200 and r.json()["concept"] is False


async def test_resultaattype_besluittypen_and_informatieobjecttypen(suite: Suite) -> None:
    wmo = await _catalogus_url(suite, "WMO")
    zaaktype = await _create(suite, "zaaktypen", _zaaktype_body(wmo))
    bt = await _create(suite, "besluittypen", _besluittype(wmo))
    iot = await _create(suite, "informatieobjecttypen", _iot(wmo))
    body = {"zaaktype": zaaktype["url"], "omschrijving": "Toegekend", "besluittypen": [bt["url"]],
            "informatieobjecttypen": [iot["url"]],
            "resultaattypeomschrijving": "https://selectielijst.openzaak.nl/api/v1/resultaattypeomschrijvingen/x",
            "selectielijstklasse": "https://selectielijst.openzaak.nl/api/v1/resultaten/y"}
    resultaattype = await _create(suite, "resultaattypen", body)
    assert resultaattype["besluittypen"] == [bt["url"]] and resultaattype["besluittypeOmschrijving"] == ["Herziening"]
    assert resultaattype["informatieobjecttypeOmschrijving"] == ["Rapportage"]
    besluittype = await suite.get_json(bt["url"])
    assert besluittype["resultaattypen"] == [resultaattype["url"]]
    assert besluittype["resultaattypenOmschrijving"] == ["Toegekend"]
    elders = await _create(suite, "besluittypen", _besluittype(await _catalogus_url(suite, "JEUGD")))
    r = await suite.client.patch(resultaattype["url"], json={"besluittypen": [elders["url"]]}, headers=headers())
    assert r.status_code == 400 and ("besluittypen", "relations-incorrect-catalogus") in _codes(r)


async def test_zaakobjecttypen_hang_under_a_concept_zaaktype(suite: Suite) -> None:
    wmo = await _catalogus_url(suite, "WMO")
    zaaktype = await _create(suite, "zaaktypen", _zaaktype_body(wmo))
    await _complete(suite, zaaktype["url"])
    zaaktype = await suite.get_json(zaaktype["url"])
    body = {"anderObjecttype": False, "objecttype": "https://objecttypen.example.nl/api/v2/objecttypes/adres",
            "relatieOmschrijving": "Woonadres", "zaaktype": zaaktype["url"], "catalogus": wmo,
            "beginGeldigheid": "2026-01-01", "statustypen": [zaaktype["statustypen"][0]],
            "resultaattypen": zaaktype["resultaattypen"]}
    zot = await _create(suite, "zaakobjecttypen", body)
    assert zot["zaaktypeIdentificatie"] == "TEST-ZT" and zot["catalogus"] == wmo
    assert (await suite.get_json(zaaktype["url"]))["zaakobjecttypen"] == [zot["url"]]
    # The statustype and resultaattype it names show it from their side.
    assert (await suite.get_json(zaaktype["statustypen"][0]))["zaakobjecttype"] == zot["url"]
    assert (await suite.get_json(zaaktype["resultaattypen"][0]))["zaakobjecttypen"] == [zot["url"]]

    vreemd = (await suite.types("WMO-BEG"))["statustypen"][0]
    r = await suite.client.patch(zot["url"], json={"statustypen": [vreemd]}, headers=headers())
    assert r.status_code == 400 and ("statustypen", "zaaktype-mismatch") in _codes(r)
    r = await suite.client.post(f"{CATALOGI}/zaakobjecttypen", headers=headers(),
                                json={**body, "catalogus": await _catalogus_url(suite, "JEUGD")})
    assert r.status_code == 400 and ("catalogus", "relations-incorrect-catalogus") in _codes(r)
    r = await suite.client.post(f"{CATALOGI}/zaakobjecttypen", headers=headers(),
                                json={**body, "zaaktype": suite.zaaktypen["WMO-HBH"], "statustypen": [],
                                      "resultaattypen": []})
    assert r.status_code == 400 and ("zaaktype", "non-concept-zaaktype") in _codes(r)

    r = await suite.client.patch(zot["url"], json={"relatieOmschrijving": "Verblijfadres"}, headers=headers())
    assert r.status_code == 200 and r.json()["relatieOmschrijving"] == "Verblijfadres"
    for query, count in (("anderObjecttype=false", 1), ("anderObjecttype=true", 9),
                         (f"objecttype={body['objecttype']}", 1), ("relatieOmschrijving=Verblijfadres", 1),
                         ("zaaktypeIdentificatie=TEST-ZT", 1), ("datumBeginGeldigheid=2026-01-01", 10),
                         (f"catalogus={wmo}", 3)):
        assert (await suite.get_json(f"{CATALOGI}/zaakobjecttypen?{query}"))["count"] == count, query

    assert (await suite.client.post(f"{zaaktype['url']}/publish", headers=headers())).status_code == 200
    r = await suite.client.delete(zot["url"], headers=catalogusbeheerder())
    assert r.status_code == 400 and ("zaaktype", "non-concept-zaaktype") in _codes(r)
