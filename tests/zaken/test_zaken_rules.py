"""Zaken API 1.5.1 rules, each from the spec, with the ZGW codes in invalidParams."""

from __future__ import annotations

from typing import Any

from sds.runtime.auth import Autorisatie
from tests.zaken.conftest import CATALOGI, OTHER_RSIN, RSIN, ZAKEN, Suite, client_ctx, headers

HUISHOUDEN = "http://testserver/klantgegevens/api/v1/huishoudens/0b1c2d3e-0000-4000-8000-000000000001"


def _codes(response: Any) -> list[tuple[str, str]]:
    return [(p["name"], p["code"]) for p in response.json().get("invalidParams", [])]


async def _post(suite: Suite, collection: str, body: dict[str, Any], ctx: Any = None) -> Any:
    return await suite.client.post(f"{ZAKEN}/{collection}", json=body, headers=headers(ctx))


async def _status(suite: Suite, zaak: dict, statustype: str, when: str = "2026-11-02T10:00:00+01:00",
                  ctx: Any = None) -> Any:
    return await _post(suite, "statussen", {"zaak": zaak["url"], "statustype": statustype,
                                            "datumStatusGezet": when}, ctx)


async def _close(suite: Suite, zaak: dict, zaaktype: str = "WMO-HBH") -> None:
    types = await suite.types(zaaktype)
    r = await _post(suite, "resultaten", {"zaak": zaak["url"], "resultaattype": types["resultaattypen"]["Afgewezen"]})
    assert r.status_code == 201, r.text
    r = await _status(suite, zaak, types["statustypen"][-1], "2026-11-20T12:00:00+01:00")
    assert r.status_code == 201, r.text


async def test_identificatie_is_generated_and_unique_per_bronorganisatie(suite: Suite) -> None:
    first, second = await suite.open_zaak(), await suite.open_zaak()
    assert first["identificatie"] != second["identificatie"]
    assert first["identificatie"].startswith("ZAAK-")
    r = await suite.zaak(identificatie=first["identificatie"])
    assert r.status_code == 400 and _codes(r) == [("identificatie", "identificatie-niet-uniek")]
    # The same identificatie under another bronorganisatie is another zaak.
    r = await suite.zaak(identificatie=first["identificatie"], bronorganisatie=OTHER_RSIN)
    assert r.status_code == 201, r.text


async def test_bronorganisatie_passes_the_elfproef(suite: Suite) -> None:
    r = await suite.zaak(bronorganisatie="123456789")
    assert r.status_code == 400 and _codes(r) == [("bronorganisatie", "invalid")]
    r = await suite.zaak(verantwoordelijkeOrganisatie="12345678")
    assert r.status_code == 400 and _codes(r)[0][0] == "verantwoordelijkeOrganisatie"


async def test_zaaktype_must_be_published(suite: Suite) -> None:
    catalogus = (await suite.get_json(f"{CATALOGI}/catalogussen?domein=WMO"))["results"][0]["url"]
    from tests.zaken.test_catalogi import _zaaktype_body

    concept = (await suite.client.post(f"{CATALOGI}/zaaktypen", json=_zaaktype_body(catalogus), headers=headers()))
    r = await suite.client.post(f"{ZAKEN}/zaken", headers=headers(), json={
        "bronorganisatie": RSIN, "verantwoordelijkeOrganisatie": RSIN, "zaaktype": concept.json()["url"],
        "startdatum": "2026-11-01"})
    assert r.status_code == 400 and _codes(r) == [("zaaktype", "zaaktype-concept")]
    r = await suite.client.post(f"{ZAKEN}/zaken", headers=headers(), json={
        "bronorganisatie": RSIN, "verantwoordelijkeOrganisatie": RSIN, "startdatum": "2026-11-01",
        "zaaktype": "https://elders.example/catalogi/api/v1/zaaktypen/0b1c2d3e-0000-4000-8000-000000000001"})
    assert r.status_code == 400 and _codes(r) == [("zaaktype", "bad-url")]


async def test_types_must_belong_to_the_zaaktype_of_the_zaak(suite: Suite) -> None:
    zaak = await suite.open_zaak("WMO-HBH")
    jeugd = await suite.types("JW-AMB")
    r = await _status(suite, zaak, jeugd["statustypen"][0])
    assert r.status_code == 400 and _codes(r) == [("statustype", "zaaktype-mismatch")]
    r = await _post(suite, "rollen", {"zaak": zaak["url"], "roltype": jeugd["roltypen"]["Behandelaar"],
                                      "betrokkeneType": "medewerker", "roltoelichting": "x",
                                      "betrokkeneIdentificatie": {"identificatie": "m1"}})
    assert r.status_code == 400 and _codes(r) == [("roltype", "zaaktype-mismatch")]
    r = await _post(suite, "resultaten", {"zaak": zaak["url"], "resultaattype": jeugd["resultaattypen"]["Toegekend"]})
    assert r.status_code == 400 and _codes(r) == [("resultaattype", "zaaktype-mismatch")]
    r = await suite.client.post(f"{zaak['url']}/zaakeigenschappen", headers=headers(), json={
        "zaak": zaak["url"], "eigenschap": jeugd["eigenschappen"]["aanvraagdatum"], "waarde": "20261101"})
    assert r.status_code == 400 and _codes(r) == [("eigenschap", "zaaktype-mismatch")]
    own = await suite.types("WMO-HBH")
    r = await suite.client.post(f"{zaak['url']}/zaakeigenschappen", headers=headers(), json={
        "zaak": zaak["url"], "eigenschap": own["eigenschappen"]["aanvraagdatum"], "waarde": "20261101"})
    assert r.status_code == 201, r.text
    assert (await suite.get_json(zaak["url"]))["eigenschappen"] == [r.json()["url"]]


async def test_end_status_needs_a_resultaat_sets_einddatum_and_closes(suite: Suite) -> None:
    zaak = await suite.open_zaak()
    types = await suite.types("WMO-HBH")
    r = await _status(suite, zaak, types["statustypen"][0])
    assert r.status_code == 201 and r.json()["indicatieLaatstGezetteStatus"] is True
    r = await _status(suite, zaak, types["statustypen"][-1])
    assert r.status_code == 400 and _codes(r) == [("statustype", "resultaat-does-not-exist")]
    await _close(suite, zaak)
    closed = await suite.get_json(zaak["url"])
    assert closed["einddatum"] == "2026-11-20"
    assert closed["archiefnominatie"] == "vernietigen" and closed["archiefactiedatum"] == "2031-11-20"
    statussen = await suite.get_json(f"{ZAKEN}/statussen?zaak={zaak['url']}")
    assert [s["indicatieLaatstGezetteStatus"] for s in statussen["results"]] == [False, True]
    assert closed["status"] == statussen["results"][1]["url"]


async def test_closed_zaak_changes_only_with_geforceerd_bijwerken_and_reopens_with_heropenen(suite: Suite) -> None:
    zaak = await suite.open_zaak()
    await _close(suite, zaak)
    zaaktype = suite.zaaktypen["WMO-HBH"]
    gewoon = client_ctx("gewoon", Autorisatie(component="zrc", zaaktype=zaaktype, scopes=[
        "zaken.lezen", "zaken.bijwerken", "zaken.statussen.toevoegen"],
        max_vertrouwelijkheidaanduiding="zeer_geheim"))
    forceer = client_ctx("forceer", Autorisatie(component="zrc", zaaktype=zaaktype, scopes=[
        "zaken.lezen", "zaken.bijwerken", "zaken.geforceerd-bijwerken"], max_vertrouwelijkheidaanduiding="geheim"))
    heropen = client_ctx("heropen", Autorisatie(component="zrc", zaaktype=zaaktype, scopes=[
        "zaken.lezen", "zaken.statussen.toevoegen", "zaken.heropenen"], max_vertrouwelijkheidaanduiding="geheim"))
    r = await suite.client.patch(zaak["url"], json={"omschrijving": "na sluiten"}, headers=headers(gewoon))
    assert r.status_code == 403
    r = await suite.client.patch(zaak["url"], json={"omschrijving": "na sluiten"}, headers=headers(forceer))
    assert r.status_code == 200 and r.json()["omschrijving"] == "na sluiten"
    types = await suite.types("WMO-HBH")
    r = await _status(suite, zaak, types["statustypen"][1], "2026-11-25T09:00:00+01:00", ctx=gewoon)
    assert r.status_code == 403
    r = await _status(suite, zaak, types["statustypen"][1], "2026-11-25T09:00:00+01:00", ctx=heropen)
    assert r.status_code == 201, r.text
    reopened = await suite.get_json(zaak["url"])
    assert reopened["einddatum"] is None and reopened["archiefactiedatum"] is None


async def test_hoofdzaak_and_deelzaken(suite: Suite) -> None:
    hoofd = await suite.open_zaak("INT-PLAN")
    deel = await suite.open_zaak("WMO-HBH", hoofdzaak=hoofd["url"])
    assert (await suite.get_json(hoofd["url"]))["deelzaken"] == [deel["url"]]
    r = await suite.zaak("JW-AMB", hoofdzaak=deel["url"])
    assert r.status_code == 400 and _codes(r) == [("hoofdzaak", "deelzaak-als-hoofdzaak")]
    r = await suite.client.patch(hoofd["url"], json={"hoofdzaak": hoofd["url"]}, headers=headers())
    assert r.status_code == 400 and _codes(r) == [("hoofdzaak", "self-forbidden")]
    r = await suite.client.delete(hoofd["url"], headers=headers())
    assert r.status_code == 400 and _codes(r) == [("nonFieldErrors", "pending-relations")]


async def test_update_rules(suite: Suite) -> None:
    zaak = await suite.open_zaak(omschrijving="eerst")
    r = await suite.client.patch(zaak["url"], json={"identificatie": "ANDERS"}, headers=headers())
    assert r.status_code == 400 and _codes(r) == [("identificatie", "wijzigen-niet-toegelaten")]
    put = {k: zaak[k] for k in ("bronorganisatie", "verantwoordelijkeOrganisatie", "zaaktype", "startdatum")}
    r = await suite.client.put(zaak["url"], json={**put, "omschrijving": "tweede"}, headers=headers())
    assert r.status_code == 200 and r.json()["omschrijving"] == "tweede"
    assert r.json()["identificatie"] == zaak["identificatie"]
    r = await suite.client.patch(zaak["url"], json={"startdatum": "geen datum"}, headers=headers())
    assert r.status_code == 400 and _codes(r)[0][0] == "startdatum"
    r = await suite.client.delete(zaak["url"], headers=headers())
    assert r.status_code == 204
    assert (await suite.client.get(zaak["url"], headers=headers())).status_code == 404


async def test_filters_and_ordering(suite: Suite) -> None:
    a = await suite.open_zaak("WMO-HBH", startdatum="2026-10-01")
    b = await suite.open_zaak("WMO-HBH", startdatum="2026-11-15")
    c = await suite.open_zaak("JW-AMB", startdatum="2026-09-01")
    page = await suite.get_json(f"{ZAKEN}/zaken?zaaktype={suite.zaaktypen['WMO-HBH']}&ordering=startdatum")
    assert [z["url"] for z in page["results"]] == [a["url"], b["url"]]
    page = await suite.get_json(f"{ZAKEN}/zaken?ordering=-startdatum")
    assert [z["url"] for z in page["results"]] == [b["url"], a["url"], c["url"]]
    page = await suite.get_json(f"{ZAKEN}/zaken?startdatum__gte=2026-10-01&startdatum__lt=2026-11-15")
    assert [z["url"] for z in page["results"]] == [a["url"]]
    page = await suite.get_json(f"{ZAKEN}/zaken?identificatie={c['identificatie']}")
    assert [z["url"] for z in page["results"]] == [c["url"]]
    page = await suite.get_json(f"{ZAKEN}/zaken?maximaleVertrouwelijkheidaanduiding=vertrouwelijk")
    assert c["url"] not in [z["url"] for z in page["results"]]  # jeugdhulp is confidentieel
    r = await suite.client.get(f"{ZAKEN}/zaken?ordering=omschrijving", headers=headers())
    assert r.status_code == 400 and _codes(r) == [("ordering", "invalid_choice")]
    r = await suite.client.get(f"{ZAKEN}/zaken?archiefstatus__in=gearchiveerd,weg", headers=headers())
    assert r.status_code == 400 and _codes(r) == [("archiefstatus__in", "invalid_choice")]


async def test_search_by_bsn_is_a_post_body(suite: Suite) -> None:
    zaak = await suite.open_zaak()
    types = await suite.types("WMO-HBH")
    r = await _post(suite, "rollen", {"zaak": zaak["url"], "roltype": types["roltypen"]["Aanvrager"],
                                      "betrokkeneType": "natuurlijk_persoon", "roltoelichting": "aanvrager",
                                      "betrokkeneIdentificatie": {"inpBsn": "111222333"}})
    assert r.status_code == 201, r.text
    await suite.open_zaak()
    r = await suite.client.post(f"{ZAKEN}/zaken/_zoek", headers=headers(), json={
        "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": "111222333"})
    assert r.status_code == 200 and [z["url"] for z in r.json()["results"]] == [zaak["url"]]
    r = await suite.client.post(f"{ZAKEN}/zaken/_zoek", headers=headers(), json={"uuid__in": [zaak["uuid"]]})
    assert r.json()["count"] == 1
    r = await _post(suite, "rollen", {"zaak": zaak["url"], "roltype": types["roltypen"]["Aanvrager"],
                                      "betrokkeneType": "natuurlijk_persoon", "roltoelichting": "x",
                                      "betrokkeneIdentificatie": {"inpBsn": "123456789"}})
    assert r.status_code == 400 and _codes(r)[0][0] == "betrokkeneIdentificatie.inpBsn"


async def test_zaakobjecten_huishouden_and_natuurlijk_persoon_and_klantcontacten(suite: Suite) -> None:
    zaak = await suite.open_zaak()
    r = await _post(suite, "zaakobjecten", {"zaak": zaak["url"], "objectType": "huishouden", "object": HUISHOUDEN,
                                            "objectIdentificatie": {"nummer": "H-000123"}})
    assert r.status_code == 201, r.text
    r = await _post(suite, "zaakobjecten", {"zaak": zaak["url"], "objectType": "natuurlijk_persoon",
                                            "objectIdentificatie": {"inpBsn": "111222333"},
                                            "relatieomschrijving": "kind"})
    assert r.status_code == 201, r.text
    page = await suite.get_json(f"{ZAKEN}/zaakobjecten?zaak={zaak['url']}&objectType=huishouden")
    assert page["count"] == 1 and page["results"][0]["object"] == HUISHOUDEN
    assert (await suite.get_json(zaak["url"]))["huishouden"] == HUISHOUDEN
    r = await _post(suite, "zaakobjecten", {"zaak": zaak["url"], "objectType": "schip"})
    assert r.status_code == 400 and _codes(r)[0] == ("objectType", "invalid_choice")
    r = await _post(suite, "klantcontacten", {"zaak": zaak["url"], "datumtijd": "2026-11-03T09:30:00+01:00",
                                              "kanaal": "telefoon", "onderwerp": "terugbelverzoek"})
    assert r.status_code == 201 and r.json()["identificatie"]
    assert (await suite.get_json(f"{ZAKEN}/klantcontacten?zaak={zaak['url']}"))["count"] == 1


async def test_audittrail_records_every_change(suite: Suite) -> None:
    zaak = await suite.open_zaak()
    await suite.client.patch(zaak["url"], json={"omschrijving": "gewijzigd"},
                             headers=headers(**{"X-Audit-Toelichting": "typefout"}))
    trail = await suite.get_json(f"{zaak['url']}/audittrail")
    assert [(t["actie"], t["resource"]) for t in trail] == [("create", "zaak"), ("partial_update", "zaak")]
    assert trail[1]["toelichting"] == "typefout" and trail[1]["hoofdObject"] == zaak["url"]
    assert trail[1]["wijzigingen"]["oud"]["omschrijving"] == "" and trail[1]["wijzigingen"]["nieuw"]["omschrijving"]
    one = await suite.get_json(f"{zaak['url']}/audittrail/{trail[0]['uuid']}")
    assert one == trail[0]


async def test_write_without_scope_is_403_and_unknown_is_404(suite: Suite) -> None:
    lezer = client_ctx("lezer", Autorisatie(component="zrc", scopes=["zaken.lezen"],
                                            max_vertrouwelijkheidaanduiding="zeer_geheim"))
    assert (await suite.zaak(ctx=lezer)).status_code == 403
    zaak = await suite.open_zaak()
    r = await suite.client.patch(zaak["url"], json={"omschrijving": "x"}, headers=headers(lezer))
    assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
    r = await suite.client.get(f"{ZAKEN}/zaken/0b1c2d3e-0000-4000-8000-000000000009", headers=headers())
    assert r.status_code == 404


async def test_expand_is_bounded_and_follows_authorisation(suite: Suite) -> None:
    from sds.runtime.auth import Autorisatie

    hoofd = await suite.open_zaak("INT-PLAN")
    zaak = await suite.open_zaak("JW-AMB", hoofdzaak=hoofd["url"])
    types = await suite.types("JW-AMB")
    await _status(suite, zaak, types["statustypen"][0])
    r = await _post(suite, "rollen", {"zaak": zaak["url"], "roltype": types["roltypen"]["Behandelaar"],
                                      "betrokkeneType": "medewerker", "roltoelichting": "x",
                                      "betrokkeneIdentificatie": {"identificatie": "m1"}})
    url = f"{zaak['url']}?expand=zaaktype,status.statustype,rollen.roltype,hoofdzaak"
    expanded = (await suite.get_json(url))["_expand"]
    assert expanded["zaaktype"]["identificatie"] == "JW-AMB"
    assert expanded["status"]["_expand"]["statustype"]["url"] == types["statustypen"][0]
    assert [rol["_expand"]["roltype"]["omschrijving"] for rol in expanded["rollen"]] == ["Behandelaar"]
    assert expanded["hoofdzaak"]["url"] == hoofd["url"]
    page = await suite.get_json(f"{ZAKEN}/zaken?expand=hoofdzaak,deelzaken")
    by_url = {z["url"]: z["_expand"] for z in page["results"]}
    assert [d["url"] for d in by_url[hoofd["url"]]["deelzaken"]] == [zaak["url"]]
    # A client limited to kolom jeugd sees the zaak but not its integral hoofdzaak, expanded or not.
    jeugd = client_ctx("jeugd", Autorisatie(component="zrc", kolom="jeugd", scopes=["zaken.lezen"],
                                            max_vertrouwelijkheidaanduiding="zeer_geheim"))
    assert (await suite.get_json(f"{zaak['url']}?expand=hoofdzaak", jeugd))["_expand"]["hoofdzaak"] is None
    r = await suite.client.get(f"{zaak['url']}?expand=hoofdzaak.status.statustype", headers=headers())
    assert r.status_code == 400 and _codes(r) == [("expand", "invalid")]
    r = await suite.client.get(f"{ZAKEN}/zaken?expand=" + ",".join(f"x{i}" for i in range(11)), headers=headers())
    assert r.status_code == 400 and _codes(r) == [("expand", "max_items")]
