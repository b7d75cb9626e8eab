"""Catalogi 1.3.1 as an unchanged ZGW client uses it: the bodies of VNG's Postman collection (folders setUp and ZTC)
sent as they are, against a local Referentielijsten API serving Open Zaak's fixtures; the error codes the
catalogue answers; API-Version per API."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from tests.support.anchors import ZGW
from tests.support.referentielijsten import running_referentielijsten
from tests.zaken.conftest import CATALOGI, ZAKEN, Suite, catalogusbeheerder, headers, make_suite
from tests.zaken.test_catalogi import _codes

COLLECTION = ZGW / "zgw-oas-endpoint-tests.postman_collection.json"


def _requests() -> dict[str, str]:
    """Request name -> raw body, for every request of the collection."""
    out: dict[str, str] = {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if "item" in item:
                walk(item["item"])
            elif (body := item["request"].get("body", {}).get("raw")) is not None:
                out.setdefault(item["name"], body)

    walk(json.loads(COLLECTION.read_text(encoding="utf-8"))["item"])
    return out


BODIES = _requests()


def postman_body(name: str, **variables: str) -> dict[str, Any]:
    """The body the collection sends in request ``name``, its ``{{variables}}`` filled in."""
    raw = re.sub(r"\{\{(\w+)\}\}", lambda m: variables[m.group(1)], BODIES[name])
    return dict(json.loads(raw))


@pytest.fixture(scope="module")
def referentielijsten() -> Iterator[str]:
    with running_referentielijsten() as base:
        yield base


@pytest.fixture
async def ztc(tmp_path, referentielijsten: str) -> AsyncIterator[Suite]:  # type: ignore[no-untyped-def]
    async for s in make_suite(tmp_path, referentielijsten_api_url=referentielijsten):
        yield s


async def _post(suite: Suite, collection: str, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
    r = await suite.client.post(f"{CATALOGI}/{collection}", json=body, headers=headers())
    assert r.status_code == status, r.text
    return dict(r.json())


async def _setup(suite: Suite, base: str) -> dict[str, str]:
    """The catalogue steps of the setUp folder, body for body; returns the collection's variables."""
    import httpx

    async with httpx.AsyncClient() as plain:
        resultaten = (await plain.get(f"{base}/resultaten")).json()["results"]
        omschrijvingen = (await plain.get(f"{base}/resultaattypeomschrijvingen")).json()
    klasse = {r["procestermijn"]: r for r in resultaten}
    v = {"selectielijstklasse_url": klasse["vast_te_leggen_datum"]["url"],
         "procestype_url": klasse["vast_te_leggen_datum"]["procesType"],
         "procestype_procestermijn_nihil_url": klasse["nihil"]["procesType"],
         "selectielijstklasse_nihil_url": klasse["nihil"]["url"],
         "resultaattypeomschrijving_url": omschrijvingen[0]["url"],
         "resultaattypeomschrijving": omschrijvingen[0]["omschrijving"]}
    v["catalogus_url"] = (await _post(suite, "catalogussen", postman_body("Create Catalogus")))["url"]
    v["informatieobjecttype_url"] = (await _post(suite, "informatieobjecttypen",
                                                 postman_body("Create InformatieObjecttype", **v)))["url"]
    v["besluittype_url"] = (await _post(suite, "besluittypen", postman_body("Create Besluittype", **v)))["url"]
    v["zaaktype_url"] = (await _post(suite, "zaaktypen", postman_body("Create Zaaktype", **v)))["url"]
    return v


async def test_the_setup_folder_builds_and_publishes_a_catalogue(ztc: Suite, referentielijsten: str) -> None:
    v = await _setup(ztc, referentielijsten)
    zaaktype = await ztc.get_json(v["zaaktype_url"])
    # "concept": true and "informatieobjecttypen": [] are readOnly in the body: accepted, not taken over.
    assert zaaktype["concept"] is True and zaaktype["besluittypen"] == [v["besluittype_url"]]
    besluittype = await ztc.get_json(v["besluittype_url"])
    # The besluittype's zaaktypen are readOnly: the relation is the zaaktype's besluittypen, seen from both sides.
    assert besluittype["zaaktypen"] == [v["zaaktype_url"]]
    assert besluittype["informatieobjecttypen"] == [v["informatieobjecttype_url"]]

    ztiot = await _post(ztc, "zaaktype-informatieobjecttypen",
                        postman_body("Create Zaaktype-InformatieObjectType relation", **v))
    assert ztiot["informatieobjecttype"] == v["informatieobjecttype_url"] and ztiot["richting"] == "inkomend"
    assert ztiot["zaaktypeIdentificatie"] == "1" and ztiot["catalogus"] == v["catalogus_url"]
    eigenschap = await _post(ztc, "eigenschappen", postman_body("Create Eigenschap", **v))
    resultaattype = await _post(ztc, "resultaattypen",
                                postman_body("Create Resultaattype afleidingswijze afgehandeld", **v))
    # Derived from the resultaattypeomschrijving it names in the Referentielijsten API.
    assert resultaattype["omschrijvingGeneriek"] == v["resultaattypeomschrijving"]
    await _post(ztc, "statustypen", postman_body("Create begin Statustype", **v))
    await _post(ztc, "statustypen", postman_body("Create eind Statustype", **v))
    await _post(ztc, "roltypen", postman_body("Create Roltype", **v))
    r = await ztc.client.post(f"{v['zaaktype_url']}/publish", headers=headers())
    assert r.status_code == 400 and {("besluittypen", "concept-relation"),
                                     ("informatieobjecttypen", "concept-relation")} <= set(_codes(r)), r.text
    for url in (v["besluittype_url"], v["informatieobjecttype_url"], v["zaaktype_url"]):
        r = await ztc.client.post(f"{url}/publish", headers=headers())
        assert r.status_code == 200 and r.json()["concept"] is False, r.text

    zaaktype = await ztc.get_json(v["zaaktype_url"])
    assert zaaktype["informatieobjecttypen"] == [v["informatieobjecttype_url"]]
    assert zaaktype["eigenschappen"] == [eigenschap["url"]] and zaaktype["resultaattypen"] == [resultaattype["url"]]
    # Published: nothing under the zaaktype changes any more, and the zaaktype cannot go.
    r = await ztc.client.patch(ztiot["url"], json={"volgnummer": 3}, headers=headers())
    assert r.status_code == 400 and ("zaaktype", "non-concept-zaaktype") in _codes(r)
    r = await ztc.client.delete(v["zaaktype_url"], headers=catalogusbeheerder())
    assert r.status_code == 400 and ("nonFieldErrors", "non-concept-object") in _codes(r)
    r = await ztc.client.delete(v["besluittype_url"], headers=catalogusbeheerder())
    assert r.status_code == 400 and ("nonFieldErrors", "non-concept-object") in _codes(r)


async def test_the_ztc_zaaktype_body_with_readonly_urls_of_another_host(ztc: Suite, referentielijsten: str) -> None:
    v = await _setup(ztc, referentielijsten)
    # statustypen, resultaattypen and eigenschappen name resources of another host: readOnly, so ignored.
    body = postman_body("Maak een ZAAKTYPE aan.", **v)
    assert body["statustypen"] and body["concept"] is True
    body["onbekendVeld"] = "wordt genegeerd"
    created = await _post(ztc, "zaaktypen", body)
    assert created["statustypen"] == [] and created["eigenschappen"] == [] and "onbekendVeld" not in created
    # A PUT of the same body (how the collection changes it) and a PATCH.
    r = await ztc.client.put(created["url"], json={**body, "omschrijving": "aangepast"}, headers=headers())
    assert r.status_code == 200 and r.json()["omschrijving"] == "aangepast", r.text
    r = await ztc.client.patch(created["url"], json={"omschrijving": "aangepast2", "url": "x", "concept": False},
                               headers=headers())
    assert r.status_code == 200 and r.json()["omschrijving"] == "aangepast2" and r.json()["concept"] is True


async def test_zaaktype_informatieobjecttypen(ztc: Suite, referentielijsten: str) -> None:
    v = await _setup(ztc, referentielijsten)
    body = postman_body("Maak een ZAAKTYPE-INFORMATIEOBJECTTYPE relatie aan.", created_zaaktype_url=v["zaaktype_url"],
                        created_informatieobjecttype_url=v["informatieobjecttype_url"])
    relatie = await _post(ztc, "zaaktype-informatieobjecttypen", body)
    assert relatie["volgnummer"] == 2 and relatie["richting"] == "intern" and relatie["statustype"] is None
    # By omschrijving too (how Catalogi 1.3 names an informatieobjecttype here); volgnummer is unique per zaaktype.
    r = await ztc.client.post(f"{CATALOGI}/zaaktype-informatieobjecttypen", headers=headers(),
                              json={**body, "informatieobjecttype": "informatieobject"})
    assert r.status_code == 400 and ("volgnummer", "unique") in _codes(r)
    other = await _post(ztc, "zaaktype-informatieobjecttypen", {**body, "informatieobjecttype": "informatieobject",
                                                                "volgnummer": 3, "richting": "uitgaand"})
    assert other["informatieobjecttype"] == v["informatieobjecttype_url"]
    page = await ztc.get_json(f"{CATALOGI}/zaaktype-informatieobjecttypen?zaaktype={v['zaaktype_url']}"
                              f"&richting=uitgaand&status=alles")
    assert [r["url"] for r in page["results"]] == [other["url"]]
    page = await ztc.get_json(f"{CATALOGI}/zaaktype-informatieobjecttypen?informatieobjecttype=informatieobject"
                              "&status=concept")
    assert page["count"] == 2
    r = await ztc.client.put(relatie["url"], json={**body, "volgnummer": 4}, headers=headers())
    assert r.status_code == 200 and r.json()["volgnummer"] == 4, r.text
    r = await ztc.client.patch(relatie["url"], json={"volgnummer": 5}, headers=headers())
    assert r.status_code == 200 and r.json()["volgnummer"] == 5, r.text
    # Its statustype is one of the same zaaktype; its informatieobjecttype of the same catalogus.
    seeded = await ztc.types("WMO-HBH")
    r = await ztc.client.patch(relatie["url"], json={"statustype": seeded["statustypen"][0]}, headers=headers())
    assert r.status_code == 400 and ("statustype", "zaaktype-mismatch") in _codes(r)
    wmo_iot = (await ztc.get_json(f"{CATALOGI}/informatieobjecttypen"))["results"]
    foreign = next(i["url"] for i in wmo_iot if i["catalogus"] != v["catalogus_url"])
    r = await ztc.client.patch(relatie["url"], json={"informatieobjecttype": foreign}, headers=headers())
    assert r.status_code == 400 and ("informatieobjecttype", "relations-incorrect-catalogus") in _codes(r)
    r = await ztc.client.patch(relatie["url"], json={"informatieobjecttype": f"{CATALOGI}/informatieobjecttypen/"
                                                     "00000000-0000-0000-0000-000000000000"}, headers=headers())
    assert r.status_code == 400 and ("informatieobjecttype", "bad-url") in _codes(r)
    assert (await ztc.client.delete(relatie["url"], headers=headers())).status_code == 204
    zaaktype = await ztc.get_json(v["zaaktype_url"])
    assert zaaktype["informatieobjecttypen"] == [v["informatieobjecttype_url"]]  # still named by the other one


async def test_resultaattype_rules_of_the_referentielijsten(ztc: Suite, referentielijsten: str) -> None:
    v = await _setup(ztc, referentielijsten)
    body = postman_body("Create Resultaattype afleidingswijze afgehandeld", **v)
    # The selectielijstklasse of another procestype than the zaaktype's.
    r = await ztc.client.post(f"{CATALOGI}/resultaattypen", headers=headers(),
                              json={**body, "selectielijstklasse": v["selectielijstklasse_nihil_url"]})
    assert r.status_code == 400 and ("selectielijstklasse", "procestype-mismatch") in _codes(r)
    # A procestermijn nihil goes with afleidingswijze afgehandeld only.
    zaaktype = await ztc.client.patch(v["zaaktype_url"], headers=headers(),
                                      json={"selectielijstProcestype": v["procestype_procestermijn_nihil_url"]})
    assert zaaktype.status_code == 200, zaaktype.text
    r = await ztc.client.post(f"{CATALOGI}/resultaattypen", headers=headers(),
                              json={**body, "selectielijstklasse": v["selectielijstklasse_nihil_url"]})
    assert r.status_code == 400
    assert ("brondatumArchiefprocedure.afleidingswijze", "invalid-afleidingswijze-for-procestermijn") in _codes(r)
    ok = await _post(ztc, "resultaattypen", {**body, "selectielijstklasse": v["selectielijstklasse_nihil_url"],
                                             "brondatumArchiefprocedure": {"afleidingswijze": "afgehandeld"}})
    # Without its own archiefnominatie it takes the selectielijstklasse's waardering.
    assert ok["archiefnominatie"] in ("vernietigen", "blijvend_bewaren")
    # Each afleidingswijze needs its own fields and leaves the others empty.
    r = await ztc.client.post(f"{CATALOGI}/resultaattypen", headers=headers(), json={
        **body, "brondatumArchiefprocedure": {"afleidingswijze": "eigenschap", "registratie": "BRP"}})
    assert r.status_code == 400
    assert {("brondatumArchiefprocedure.datumkenmerk", "required"),
            ("brondatumArchiefprocedure.registratie", "must-be-empty")} <= set(_codes(r))
    # URLs outside the configured Referentielijsten API, or that name no such resource.
    r = await ztc.client.post(f"{CATALOGI}/resultaattypen", headers=headers(),
                              json={**body, "resultaattypeomschrijving": "https://elders.example/api/v1/x"})
    assert r.status_code == 400 and ("resultaattypeomschrijving", "bad-url") in _codes(r)
    r = await ztc.client.post(f"{CATALOGI}/resultaattypen", headers=headers(), json={
        **body, "selectielijstklasse": f"{referentielijsten}/resultaten/00000000-0000-0000-0000-000000000000"})
    assert r.status_code == 400 and ("selectielijstklasse", "bad-url") in _codes(r)
    r = await ztc.client.patch(v["zaaktype_url"], headers=headers(),
                               json={"selectielijstProcestype": f"{referentielijsten}/procestypen/onbekend"})
    assert r.status_code == 400 and ("selectielijstProcestype", "bad-url") in _codes(r)


async def test_without_a_referentielijsten_api_the_urls_are_taken_as_given(suite: Suite) -> None:
    catalogus = await _post(suite, "catalogussen", postman_body("Create Catalogus"))
    v = {"catalogus_url": catalogus["url"], "procestype_url": "https://selectielijst.example/api/v1/procestypen/1",
         "besluittype_url": ""}
    body = postman_body("Create Zaaktype", **v)
    body["besluittypen"] = []
    zaaktype = await _post(suite, "zaaktypen", body)
    resultaattype = await _post(suite, "resultaattypen", postman_body(
        "Create Resultaattype afleidingswijze afgehandeld", zaaktype_url=zaaktype["url"],
        resultaattypeomschrijving_url="https://selectielijst.example/api/v1/resultaattypeomschrijvingen/1",
        selectielijstklasse_url="https://selectielijst.example/api/v1/resultaten/1"))
    assert resultaattype["omschrijvingGeneriek"] == ""  # nothing to derive it from; not made up


async def test_error_codes_of_the_standard(ztc: Suite, referentielijsten: str) -> None:
    v = await _setup(ztc, referentielijsten)
    zaaktype = postman_body("Create Zaaktype", **v)
    cases: list[tuple[str, dict[str, Any], tuple[str, str]]] = [
        ("zaaktypen", {k: x for k, x in zaaktype.items() if k != "doel"}, ("doel", "required")),
        ("zaaktypen", {**zaaktype, "doel": None}, ("doel", "null")),
        ("zaaktypen", {**zaaktype, "beginGeldigheid": "1 januari"}, ("beginGeldigheid", "invalid")),
        ("zaaktypen", {**zaaktype, "vertrouwelijkheidaanduiding": "strikt"},
         ("vertrouwelijkheidaanduiding", "invalid_choice")),
        ("zaaktypen", {**zaaktype, "omschrijving": "x" * 81}, ("omschrijving", "max_length")),
        ("zaaktypen", {**zaaktype, "trefwoorden": "los"}, ("trefwoorden", "not_a_list")),
        ("zaaktypen", {**zaaktype, "catalogus": f"{CATALOGI}/catalogussen/00000000-0000-0000-0000-000000000000"},
         ("catalogus", "bad-url")),
        ("zaaktypen", {**zaaktype, "identificatie": "1"}, ("beginGeldigheid", "overlap")),
        ("catalogussen", postman_body("Create Catalogus"), ("nonFieldErrors", "unique")),
        ("besluittypen", {**postman_body("Create Besluittype", **v), "omschrijving": "ander", "informatieobjecttypen": [
            f"{CATALOGI}/informatieobjecttypen/00000000-0000-0000-0000-000000000000"]},
         ("informatieobjecttypen.0", "bad-url")),
        ("statustypen", {"omschrijving": "x", "zaaktype": v["zaaktype_url"], "volgnummer": 0},
         ("volgnummer", "min_value")),
        ("resultaattypen", {**postman_body("Create Resultaattype afleidingswijze afgehandeld", **v),
                            "resultaattypeomschrijving": f"{referentielijsten}/resultaten/x"},
         ("resultaattypeomschrijving", "bad-url")),
    ]
    for collection, body, expected in cases:
        r = await ztc.client.post(f"{CATALOGI}/{collection}", json=body, headers=headers())
        assert r.status_code == 400, (expected, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        assert expected in _codes(r), (expected, r.text)
    # A resource that is there but is not what the field names: invalid-resource.
    r = await ztc.client.post(f"{CATALOGI}/resultaattypen", headers=headers(), json={
        **postman_body("Create Resultaattype afleidingswijze afgehandeld", **v),
        "resultaattypeomschrijving": f"{referentielijsten}/resultaattypeomschrijvingen/../resultaten/"
                                     f"{v['selectielijstklasse_url'].rsplit('/', 1)[1]}"})
    assert r.status_code == 400 and ("resultaattypeomschrijving", "invalid-resource") in _codes(r)
    # Published types are not changed.
    r = await ztc.client.post(f"{v['informatieobjecttype_url']}/publish", headers=headers())
    assert r.status_code == 200
    r = await ztc.client.patch(v["informatieobjecttype_url"], json={"omschrijving": "anders"}, headers=headers())
    assert r.status_code == 400 and ("nonFieldErrors", "non-concept-object") in _codes(r)
    # Nothing of the refused requests was stored.
    page = await ztc.get_json(f"{CATALOGI}/zaaktypen?catalogus={v['catalogus_url']}&status=alles")
    assert page["count"] == 1


async def test_api_version_per_api(suite: Suite) -> None:
    catalogi = await suite.client.get(f"{CATALOGI}/catalogussen", headers=headers())
    zaken = await suite.client.get(f"{ZAKEN}/zaken", headers={**headers(), "Accept-Crs": "EPSG:4326"})
    assert catalogi.headers["api-version"] == "1.3.1"
    assert zaken.headers["api-version"] == "1.5.1"
    # An error answers the version of its API too; a path of no API the service's own.
    missing = await suite.client.get(f"{CATALOGI}/zaaktypen/00000000-0000-0000-0000-000000000000", headers=headers())
    assert missing.status_code == 404 and missing.headers["api-version"] == "1.3.1"
    health = await suite.client.get("/health/live")
    assert health.headers["api-version"] == "1.0.0"
