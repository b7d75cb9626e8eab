"""Zaken API 1.5.1: PUT, PATCH and DELETE on resultaten, zaakobjecten and zaakeigenschappen, with the spec's
rules: what may not change (``wijzigen-niet-toegelaten``), the zaaktype of a zaakobjecttype, the client's rights
(403 outside its autorisaties, whether it may see the zaak or not), a closed zaak, the audittrail and the events."""

from __future__ import annotations

from typing import Any

from sds.runtime.auth import Autorisatie
from tests.zaken.conftest import CATALOGI, ZAKEN, Suite, client_ctx, headers, outbox_events

HUISHOUDEN = "http://testserver/klantgegevens/api/v1/huishoudens/7"
TOEKENNING: dict[str, Any] = {"product": {"productcategorie": "54", "productcode": "54001"},
              "omvang": {"volume": 3, "eenheid": "uur", "frequentie": "per-week"}, "begindatum": "2026-12-01"}


def _codes(response: Any) -> list[tuple[str, str]]:
    return [(p["name"], p["code"]) for p in response.json().get("invalidParams", [])]


async def _post(suite: Suite, path: str, body: dict[str, Any], ctx: Any = None) -> dict[str, Any]:
    r = await suite.client.post(f"{ZAKEN}/{path}", json=body, headers=headers(ctx))
    assert r.status_code == 201, r.text
    return r.json()


async def _trail(suite: Suite, zaak: dict[str, Any]) -> list[dict[str, Any]]:
    return await suite.get_json(f"{zaak['url']}/audittrail")


async def test_resultaat_update_keeps_its_type_and_zaak_and_is_audited(suite: Suite) -> None:
    zaak = await suite.open_zaak()
    types = await suite.types("WMO-HBH")
    resultaat = await _post(suite, "resultaten", {"zaak": zaak["url"],
                                                  "resultaattype": types["resultaattypen"]["Afgewezen"]})
    # A body read back and sent again, with one change: url and uuid are read-only and ignored.
    r = await suite.client.put(resultaat["url"], json={**resultaat, "toelichting": "na heroverweging"},
                               headers=headers())
    assert r.status_code == 200, r.text
    assert r.json()["toelichting"] == "na heroverweging" and r.json()["url"] == resultaat["url"]
    r = await suite.client.patch(resultaat["url"], json={"toelichting": "kort"}, headers=headers())
    assert r.status_code == 200 and r.json()["toelichting"] == "kort"
    assert r.json()["resultaattype"] == types["resultaattypen"]["Afgewezen"]

    r = await suite.client.patch(resultaat["url"], headers=headers(),
                                 json={"resultaattype": types["resultaattypen"]["Toegekend"]})
    assert r.status_code == 400 and ("resultaattype", "wijzigen-niet-toegelaten") in _codes(r)
    other = await suite.open_zaak()
    r = await suite.client.patch(resultaat["url"], json={"zaak": other["url"]}, headers=headers())
    assert r.status_code == 400 and ("zaak", "wijzigen-niet-toegelaten") in _codes(r)
    # PUT is the whole resource: leaving out a required field is a validation error, not a partial update.
    r = await suite.client.put(resultaat["url"], json={"zaak": zaak["url"]}, headers=headers())
    assert r.status_code == 400 and ("resultaattype", "required") in _codes(r)
    assert (await suite.client.patch(f"{ZAKEN}/resultaten/00000000-0000-4000-8000-000000000000",
                                     json={}, headers=headers())).status_code == 404

    entries = [e for e in await _trail(suite, zaak) if e["resource"] == "resultaat"]
    assert [e["actie"] for e in entries] == ["create", "update", "partial_update"]
    assert entries[2]["wijzigingen"]["oud"]["toelichting"] == "na heroverweging"
    assert entries[2]["wijzigingen"]["nieuw"]["toelichting"] == "kort"


async def test_changed_toekenningen_are_announced_again(suite: Suite) -> None:
    zaak = await suite.open_zaak(huishouden=HUISHOUDEN)
    types = await suite.types("WMO-HBH")
    resultaat = await _post(suite, "resultaten", {"zaak": zaak["url"], "toekenningen": [TOEKENNING],
                                                  "resultaattype": types["resultaattypen"]["Toegekend"]})
    await suite.client.patch(resultaat["url"], json={"toelichting": "alleen tekst"}, headers=headers())
    assert len(await outbox_events(suite, "nl.overheid.zaken.resultaat-vastgesteld")) == 1
    meer = {**TOEKENNING, "omvang": {**TOEKENNING["omvang"], "volume": 5}}
    r = await suite.client.patch(resultaat["url"], json={"toekenningen": [meer]}, headers=headers())
    assert r.status_code == 200, r.text
    announced = await outbox_events(suite, "nl.overheid.zaken.resultaat-vastgesteld")
    assert len(announced) == 2
    assert announced[1].data["resultaat"] == resultaat["url"]
    assert announced[1].data["toekenningen"][0]["omvang"]["volume"] == 5
    # A resultaat afgewezen grants nothing: toekenningen on it are refused, on update as on create.
    afgewezen = await _post(suite, "resultaten", {"zaak": (await suite.open_zaak())["url"],
                                                  "resultaattype": types["resultaattypen"]["Afgewezen"]})
    r = await suite.client.patch(afgewezen["url"], json={"toekenningen": [TOEKENNING]}, headers=headers())
    assert r.status_code == 400 and ("toekenningen", "invalid") in _codes(r)


async def test_zaakobject_update_keeps_zaak_object_and_type(suite: Suite) -> None:
    zaak = await suite.open_zaak()
    obj = await _post(suite, "zaakobjecten", {"zaak": zaak["url"], "objectType": "huishouden", "object": HUISHOUDEN,
                                              "relatieomschrijving": "aanvrager"})
    r = await suite.client.patch(obj["url"], json={"relatieomschrijving": "gezin"}, headers=headers())
    assert r.status_code == 200 and r.json()["relatieomschrijving"] == "gezin"
    r = await suite.client.put(obj["url"], json={**obj, "relatieomschrijving": "huishouden"}, headers=headers())
    assert r.status_code == 200 and r.json()["relatieomschrijving"] == "huishouden"
    for change, field in (({"objectType": "adres"}, "objectType"), ({"object": f"{HUISHOUDEN}8"}, "object")):
        r = await suite.client.patch(obj["url"], json=change, headers=headers())
        assert r.status_code == 400 and (field, "wijzigen-niet-toegelaten") in _codes(r), r.text

    # The zaakobjecttype must be one of the zaak's zaaktype.
    eigen = (await suite.get_json(suite.zaaktypen["WMO-HBH"]))["zaakobjecttypen"][0]
    vreemd = (await suite.get_json(suite.zaaktypen["WMO-BEG"]))["zaakobjecttypen"][0]
    r = await suite.client.patch(obj["url"], json={"zaakobjecttype": vreemd}, headers=headers())
    assert r.status_code == 400 and ("zaakobjecttype", "zaaktype-mismatch") in _codes(r)
    r = await suite.client.patch(obj["url"], json={"zaakobjecttype": eigen}, headers=headers())
    assert r.status_code == 200 and r.json()["zaakobjecttype"] == eigen
    acties = [e["actie"] for e in await _trail(suite, zaak) if e["resource"] == "zaakobject"]
    assert acties == ["create", "partial_update", "update", "partial_update"]


async def test_zaakeigenschap_only_the_waarde_changes_and_it_can_be_deleted(suite: Suite) -> None:
    zaak = await suite.open_zaak()
    types = await suite.types("WMO-HBH")
    eig = await _post(suite, f"zaken/{zaak['uuid']}/zaakeigenschappen",
                      {"zaak": zaak["url"], "eigenschap": types["eigenschappen"]["aanvraagdatum"],
                       "waarde": "20261101"})
    r = await suite.client.put(eig["url"], json={**eig, "waarde": "20261102"}, headers=headers())
    assert r.status_code == 200 and r.json()["waarde"] == "20261102" and r.json()["naam"] == "aanvraagdatum"
    r = await suite.client.patch(eig["url"], json={"waarde": "20261103"}, headers=headers())
    assert r.status_code == 200 and r.json()["waarde"] == "20261103"
    other_eigenschap = (await suite.types("WMO-BEG"))["eigenschappen"]["aanvraagdatum"]
    r = await suite.client.patch(eig["url"], json={"eigenschap": other_eigenschap}, headers=headers())
    assert r.status_code == 400 and ("eigenschap", "wijzigen-niet-toegelaten") in _codes(r)
    r = await suite.client.patch(eig["url"], json={"waarde": ""}, headers=headers())
    assert r.status_code == 400 and ("waarde", "min_length") in _codes(r)
    # Under another zaak the same uuid is not there.
    other = await suite.open_zaak()
    assert (await suite.client.patch(f"{other['url']}/zaakeigenschappen/{eig['uuid']}", json={"waarde": "1"},
                                     headers=headers())).status_code == 404

    assert (await suite.client.delete(eig["url"], headers=headers())).status_code == 204
    assert (await suite.client.get(eig["url"], headers=headers())).status_code == 404
    assert (await suite.get_json(zaak["url"]))["eigenschappen"] == []
    entries = [e for e in await _trail(suite, zaak) if e["resource"] == "zaakeigenschap"]
    assert [e["actie"] for e in entries] == ["create", "update", "partial_update", "destroy"]
    assert entries[1]["wijzigingen"] == {"oud": {"waarde": "20261101"}, "nieuw": {"waarde": "20261102"}}


async def test_changes_under_a_zaak_follow_the_clients_rights(suite: Suite) -> None:
    wmo = await suite.open_zaak("WMO-HBH", vertrouwelijkheidaanduiding="vertrouwelijk")
    types = await suite.types("WMO-HBH")
    resultaat = await _post(suite, "resultaten", {"zaak": wmo["url"],
                                                  "resultaattype": types["resultaattypen"]["Afgewezen"]})
    obj = await _post(suite, "zaakobjecten", {"zaak": wmo["url"], "objectType": "huishouden", "object": HUISHOUDEN})
    eig = await _post(suite, f"zaken/{wmo['uuid']}/zaakeigenschappen",
                      {"zaak": wmo["url"], "eigenschap": types["eigenschappen"]["aanvraagdatum"], "waarde": "x"})
    jeugd = client_ctx("jeugd", Autorisatie(component="zrc", kolom="jeugd", max_vertrouwelijkheidaanduiding="geheim",
                                            scopes=["zaken.lezen", "zaken.bijwerken"]))
    lezer = client_ctx("wmo-lezer", Autorisatie(component="zrc", kolom="wmo", scopes=["zaken.lezen"],
                                                max_vertrouwelijkheidaanduiding="geheim"))
    # zaken.bijwerken on wmo, but up to intern: the vertrouwelijk zaak is not there for it.
    laag = client_ctx("wmo-laag", Autorisatie(component="zrc", kolom="wmo", max_vertrouwelijkheidaanduiding="intern",
                                              scopes=["zaken.lezen", "zaken.bijwerken"]))
    schrijver = client_ctx("wmo", Autorisatie(component="zrc", kolom="wmo", max_vertrouwelijkheidaanduiding="geheim",
                                              scopes=["zaken.lezen", "zaken.bijwerken"]))
    writes = [("patch", resultaat["url"], {"toelichting": "x"}), ("patch", obj["url"], {"relatieomschrijving": "x"}),
              ("patch", eig["url"], {"waarde": "y"}), ("delete", eig["url"], None)]
    for ctx, status in ((jeugd, 403), (laag, 403), (lezer, 403), (schrijver, None)):
        for method, url, body in writes:
            kwargs: dict[str, Any] = {"json": body} if body is not None else {}
            r = await suite.client.request(method.upper(), url, headers=headers(ctx), **kwargs)
            assert r.status_code == (status or (204 if method == "delete" else 200)), (ctx.client_id, url, r.text)
    assert (await suite.get_json(resultaat["url"]))["toelichting"] == "x"


async def test_a_closed_zaak_changes_only_with_geforceerd_bijwerken(suite: Suite) -> None:
    zaak = await suite.open_zaak("JW-AMB")
    types = await suite.types("JW-AMB")
    resultaat = await _post(suite, "resultaten", {"zaak": zaak["url"],
                                                  "resultaattype": types["resultaattypen"]["Afgewezen"]})
    obj = await _post(suite, "zaakobjecten", {"zaak": zaak["url"], "objectType": "huishouden", "object": HUISHOUDEN})
    eig = await _post(suite, f"zaken/{zaak['uuid']}/zaakeigenschappen",
                      {"zaak": zaak["url"], "eigenschap": types["eigenschappen"]["aanvraagdatum"], "waarde": "x"})
    await _post(suite, "statussen", {"zaak": zaak["url"], "statustype": types["statustypen"][-1],
                                     "datumStatusGezet": "2026-11-20T10:00:00Z"})
    assert (await suite.get_json(zaak["url"]))["einddatum"] == "2026-11-20"
    scopes = ["zaken.lezen", "zaken.bijwerken"]
    gewoon = client_ctx("jeugd", Autorisatie(component="zrc", kolom="jeugd", scopes=scopes,
                                             max_vertrouwelijkheidaanduiding="geheim"))
    geforceerd = client_ctx("jeugd-f", Autorisatie(component="zrc", kolom="jeugd", scopes=[
        *scopes, "zaken.geforceerd-bijwerken"], max_vertrouwelijkheidaanduiding="geheim"))
    for url, body in ((resultaat["url"], {"toelichting": "later"}), (obj["url"], {"relatieomschrijving": "later"}),
                      (eig["url"], {"waarde": "later"})):
        assert (await suite.client.patch(url, json=body, headers=headers(gewoon))).status_code == 403
        assert (await suite.client.patch(url, json=body, headers=headers(geforceerd))).status_code == 200
    assert (await suite.client.delete(eig["url"], headers=headers(gewoon))).status_code == 403
    assert (await suite.client.delete(eig["url"], headers=headers(geforceerd))).status_code == 204


async def test_zaaktype_lists_its_zaakobjecttypen(suite: Suite) -> None:
    """The seeded zaakobjecttype the tests above rely on is the zaaktype's own (a sanity check of the seed)."""
    zaaktype = await suite.get_json(suite.zaaktypen["WMO-HBH"])
    [zot] = zaaktype["zaakobjecttypen"]
    assert (await suite.get_json(zot))["zaaktype"] == zaaktype["url"]
    assert (await suite.get_json(f"{CATALOGI}/zaakobjecttypen?zaaktype={zaaktype['url']}"))["count"] == 1


async def test_a_zaakobject_names_a_zaakobjecttype_of_its_own_zaaktype(suite: Suite) -> None:
    zaak = await suite.open_zaak("WMO-HBH")
    eigen = (await suite.get_json(suite.zaaktypen["WMO-HBH"]))["zaakobjecttypen"]
    ander = (await suite.get_json(suite.zaaktypen["JW-AMB"]))["zaakobjecttypen"]
    assert eigen and ander
    obj = await _post(suite, "zaakobjecten", {"zaak": zaak["url"], "objectType": "huishouden", "object": HUISHOUDEN,
                                              "zaakobjecttype": eigen[0]})
    assert obj["zaakobjecttype"] == eigen[0]
    r = await suite.client.post(f"{ZAKEN}/zaakobjecten", headers=headers(), json={
        "zaak": zaak["url"], "objectType": "huishouden", "object": HUISHOUDEN, "zaakobjecttype": ander[0]})
    assert r.status_code == 400 and r.json()["invalidParams"][0]["code"] == "zaaktype-mismatch", r.text
