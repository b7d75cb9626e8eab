"""Besluiten API 1.0.2 at /besluiten/api/v1, hosted by the zaken service beside Zaken and Catalogi: besluiten, the
zaak's besluiten kept in step, the standard's error codes, the audittrail and the events in the outbox."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from tests.zaken.conftest import BASE, CATALOGI, RSIN, ZAKEN, Suite, catalogusbeheerder, headers, outbox_events

BRC = f"{BASE}/besluiten/api/v1"


def _codes(response: httpx.Response) -> list[tuple[str, str]]:
    return [(p["name"], p["code"]) for p in response.json().get("invalidParams", [])]


async def beschikking(suite: Suite, zaaktype: str = "WMO-HBH") -> str:
    """The seeded besluittype Beschikking of the zaaktype's catalogus (published, one of its besluittypen)."""
    return str((await suite.get_json(suite.zaaktypen[zaaktype]))["besluittypen"][0])


async def post_besluit(suite: Suite, besluittype: str, ctx: Any = None, **fields: Any) -> httpx.Response:
    """POST a besluit of ``besluittype``; ``fields`` add to the minimal body or replace its values."""
    body = {"verantwoordelijkeOrganisatie": RSIN, "besluittype": besluittype, "datum": "2026-11-20",
            "ingangsdatum": "2026-12-01", **fields}
    return await suite.client.post(f"{BRC}/besluiten", json=body, headers=headers(ctx))


async def besluit(suite: Suite, besluittype: str, **fields: Any) -> dict[str, Any]:
    r = await post_besluit(suite, besluittype, **fields)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def zaakbesluiten(suite: Suite, zaak: dict[str, Any]) -> list[str]:
    return [z["besluit"] for z in await suite.get_json(f"{zaak['url']}/besluiten")]


async def test_a_besluit_is_recorded_read_changed_and_deleted(suite: Suite) -> None:
    besluittype = await beschikking(suite)
    r = await post_besluit(suite, besluittype, toelichting="Toegekend: 3 uur per week", bestuursorgaan="college",
                           vervaldatum="2027-12-01", vervalreden="tijdelijk", publicatiedatum="2026-11-21",
                           verzenddatum="2026-11-22", uiterlijkeReactiedatum="2027-01-03",
                           url="https://elders.example/x", vervalredenWeergave="genegeerd")
    assert r.status_code == 201, r.text
    assert r.headers["API-Version"] == "1.0.2"
    created = r.json()
    assert r.headers["Location"] == created["url"] and created["url"].startswith(f"{BRC}/besluiten/")
    assert created["identificatie"].startswith("BESLUIT-") and created["zaak"] == ""
    assert {k: created[k] for k in ("verantwoordelijkeOrganisatie", "besluittype", "datum", "ingangsdatum",
                                    "vervaldatum", "vervalreden", "vervalredenWeergave", "publicatiedatum",
                                    "verzenddatum", "uiterlijkeReactiedatum", "toelichting", "bestuursorgaan")} == {
        "verantwoordelijkeOrganisatie": RSIN, "besluittype": besluittype, "datum": "2026-11-20",
        "ingangsdatum": "2026-12-01", "vervaldatum": "2027-12-01", "vervalreden": "tijdelijk",
        "vervalredenWeergave": "Besluit met tijdelijke werking", "publicatiedatum": "2026-11-21",
        "verzenddatum": "2026-11-22", "uiterlijkeReactiedatum": "2027-01-03",
        "toelichting": "Toegekend: 3 uur per week", "bestuursorgaan": "college"}
    got = await suite.client.get(created["url"], headers=headers())
    assert got.status_code == 200 and got.json() == created and got.headers["API-Version"] == "1.0.2"

    # PUT with the body as created (no identificatie): the generated one stays; read-only fields are ignored.
    body = {**created, "toelichting": "aangepast", "vervalreden": "ingetrokken_overheid"}
    del body["identificatie"]
    r = await suite.client.put(created["url"], json=body, headers=headers())
    assert r.status_code == 200, r.text
    assert r.json()["identificatie"] == created["identificatie"] and r.json()["toelichting"] == "aangepast"
    assert r.json()["vervalredenWeergave"] == "Besluit ingetrokken door overheid"
    r = await suite.client.patch(created["url"], json={"vervaldatum": None, "vervalreden": ""}, headers=headers())
    assert r.status_code == 200, r.text
    assert (r.json()["vervaldatum"], r.json()["vervalreden"], r.json()["vervalredenWeergave"]) == (None, "", "")
    assert r.json()["toelichting"] == "aangepast"

    r = await suite.client.delete(created["url"], headers=headers())
    assert r.status_code == 204
    assert (await suite.client.get(created["url"], headers=headers())).status_code == 404
    assert (await suite.client.get(f"{created['url']}/audittrail", headers=headers())).status_code == 404


async def test_the_list_filters_and_pages_like_the_other_zgw_lists(suite: Suite) -> None:
    wmo, jeugd = await beschikking(suite), await beschikking(suite, "JW-AMB")
    zaak = await suite.open_zaak()
    a = await besluit(suite, wmo, identificatie="B-1", zaak=zaak["url"])
    b = await besluit(suite, wmo, identificatie="B-2", verantwoordelijkeOrganisatie="123456782")
    c = await besluit(suite, jeugd, identificatie="B-3")

    async def urls(query: str) -> list[str]:
        return [x["url"] for x in (await suite.get_json(f"{BRC}/besluiten?{query}"))["results"]]

    page = await suite.get_json(f"{BRC}/besluiten")
    assert page["count"] == 3 and page["next"] is None and page["previous"] is None
    assert [x["url"] for x in page["results"]] == [a["url"], b["url"], c["url"]]
    assert await urls("identificatie=B-2") == [b["url"]]
    assert await urls("verantwoordelijkeOrganisatie=123456782") == [b["url"]]
    assert await urls(f"besluittype={wmo}") == [a["url"], b["url"]]
    assert await urls(f"zaak={zaak['url']}") == [a["url"]]
    assert await urls("zaak=https://elders.example/zaken/api/v1/zaken/1") == []
    paged = await suite.get_json(f"{BRC}/besluiten?pageSize=2")
    assert paged["count"] == 3 and len(paged["results"]) == 2 and paged["next"].endswith("page=2")
    second = await suite.get_json(paged["next"])
    assert [x["url"] for x in second["results"]] == [c["url"]] and second["previous"] is not None


async def test_the_zaak_gets_its_besluiten_in_step(suite: Suite) -> None:
    besluittype = await beschikking(suite)
    zaak, other = await suite.open_zaak(), await suite.open_zaak()
    created = await besluit(suite, besluittype, zaak=zaak["url"])
    assert created["zaak"] == zaak["url"]
    assert await zaakbesluiten(suite, zaak) == [created["url"]]
    trail = await suite.get_json(f"{zaak['url']}/audittrail")
    assert [(t["resource"], t["actie"]) for t in trail if t["resource"] == "zaakbesluit"] == [("zaakbesluit", "create")]

    # The besluit moves to another zaak: the first loses it, the other gets it.
    r = await suite.client.patch(created["url"], json={"zaak": other["url"]}, headers=headers())
    assert r.status_code == 200, r.text
    assert await zaakbesluiten(suite, zaak) == [] and await zaakbesluiten(suite, other) == [created["url"]]
    # No zaak any more.
    r = await suite.client.patch(created["url"], json={"zaak": ""}, headers=headers())
    assert r.status_code == 200 and r.json()["zaak"] == ""
    assert await zaakbesluiten(suite, other) == []
    r = await suite.client.patch(created["url"], json={"zaak": zaak["url"]}, headers=headers())
    assert await zaakbesluiten(suite, zaak) == [created["url"]]
    # Deleting the besluit removes it from the zaak.
    assert (await suite.client.delete(created["url"], headers=headers())).status_code == 204
    assert await zaakbesluiten(suite, zaak) == []


async def test_deleting_a_zaak_removes_its_relation_to_the_besluit(suite: Suite) -> None:
    zaak = await suite.open_zaak()
    created = await besluit(suite, await beschikking(suite), zaak=zaak["url"])
    assert (await suite.client.delete(zaak["url"], headers=headers())).status_code == 204
    kept = await suite.get_json(created["url"])
    assert kept["zaak"] == "" and kept["identificatie"] == created["identificatie"]
    assert (await suite.get_json(f"{BRC}/besluiten?zaak={zaak['url']}"))["count"] == 0
    trail = await suite.get_json(f"{created['url']}/audittrail")
    assert trail[-1]["actie"] == "partial_update" and trail[-1]["wijzigingen"]["oud"]["zaak"] == zaak["url"]
    assert trail[-1]["wijzigingen"]["nieuw"]["zaak"] == ""
    gewijzigd = await outbox_events(suite, "nl.overheid.zaken.besluit-gewijzigd")
    assert [(e.data["zaak"], e.data["vorigeZaak"], e.data["velden"]) for e in gewijzigd] == [
        (None, zaak["url"], ["zaak"])]


async def test_a_refused_besluit_changes_no_zaak(suite: Suite) -> None:
    zaak = await suite.open_zaak()
    await besluit(suite, await beschikking(suite), identificatie="DUBBEL")
    r = await post_besluit(suite, await beschikking(suite), identificatie="DUBBEL", zaak=zaak["url"])
    assert r.status_code == 400 and _codes(r) == [("identificatie", "identificatie-niet-uniek")]
    assert await zaakbesluiten(suite, zaak) == []


async def _concept_besluittype(suite: Suite, zaaktype: str = "WMO-HBH") -> str:
    catalogus = (await suite.get_json(suite.zaaktypen[zaaktype]))["catalogus"]
    r = await suite.client.post(f"{CATALOGI}/besluittypen", headers=catalogusbeheerder(), json={
        "catalogus": catalogus, "omschrijving": "Intrekking", "publicatieIndicatie": False,
        "informatieobjecttypen": [], "beginGeldigheid": "2026-01-01"})
    assert r.status_code == 201, r.text
    return str(r.json()["url"])


async def test_bad_input_is_a_400_with_the_standards_codes(suite: Suite) -> None:
    wmo = await beschikking(suite)
    zaak = await suite.open_zaak()
    concept = await _concept_besluittype(suite)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    cases: list[tuple[dict[str, Any], list[tuple[str, str]]]] = [
        ({"besluittype": f"{CATALOGI}/besluittypen/00000000-0000-4000-8000-000000000000"},
         [("besluittype", "bad-url")]),
        ({"besluittype": "https://elders.example/catalogi/api/v1/besluittypen/1"}, [("besluittype", "bad-url")]),
        ({"besluittype": concept}, [("besluittype", "not-published")]),
        # A Jeugdwet beschikking is none of the Wmo zaaktype's besluittypen.
        ({"besluittype": await beschikking(suite, "JW-AMB"), "zaak": zaak["url"]},
         [("nonFieldErrors", "zaaktype-mismatch")]),
        ({"zaak": f"{ZAKEN}/zaken/00000000-0000-4000-8000-000000000000"}, [("zaak", "bad-url")]),
        ({"datum": "2026-13-01"}, [("datum", "invalid")]),
        ({"ingangsdatum": "gisteren"}, [("ingangsdatum", "invalid")]),
        ({"vervaldatum": "2027-02-30"}, [("vervaldatum", "invalid")]),
        ({"datum": tomorrow}, [("datum", "future_not_allowed")]),
        ({"verantwoordelijkeOrganisatie": "123456789"}, [("verantwoordelijkeOrganisatie", "invalid")]),
        ({"vervalreden": "vergeten"}, [("vervalreden", "invalid_choice")]),
        ({"identificatie": "x" * 51}, [("identificatie", "max_length")]),
    ]
    for fields, codes in cases:
        r = await post_besluit(suite, **{"besluittype": wmo, **fields})
        assert r.status_code == 400, (fields, r.text)
        assert r.headers["Content-Type"].startswith("application/problem+json")
        assert r.json()["code"] == "invalid" and _codes(r) == codes, fields
    r = await suite.client.post(f"{BRC}/besluiten", json={"besluittype": wmo}, headers=headers())
    assert r.status_code == 400 and set(_codes(r)) == {("verantwoordelijkeOrganisatie", "required"),
                                                       ("datum", "required"), ("ingangsdatum", "required")}
    await besluit(suite, wmo, identificatie="BESLUIT-1")
    r = await post_besluit(suite, wmo, identificatie="BESLUIT-1")
    assert r.status_code == 400 and _codes(r) == [("identificatie", "identificatie-niet-uniek")]
    # The same identificatie of another organisation is another besluit.
    assert (await post_besluit(suite, wmo, identificatie="BESLUIT-1",
                               verantwoordelijkeOrganisatie="123456782")).status_code == 201
    assert (await suite.get_json(f"{BRC}/besluiten"))["count"] == 2


async def test_what_a_besluit_may_not_change(suite: Suite) -> None:
    wmo = await beschikking(suite)
    created = await besluit(suite, wmo, identificatie="VAST")
    other = await besluit(suite, wmo, identificatie="ANDER")
    jeugd = await beschikking(suite, "JW-AMB")
    for fields, code in (({"besluittype": jeugd}, ("besluittype", "wijzigen-niet-toegelaten")),
                         ({"verantwoordelijkeOrganisatie": "123456782"},
                          ("verantwoordelijkeOrganisatie", "wijzigen-niet-toegelaten")),
                         ({"identificatie": other["identificatie"]}, ("identificatie", "wijzigen-niet-toegelaten")),
                         ({"ingangsdatum": "2026-02-31"}, ("ingangsdatum", "invalid"))):
        r = await suite.client.patch(created["url"], json=fields, headers=headers())
        assert r.status_code == 400 and _codes(r) == [code], (fields, r.text)
    r = await suite.client.put(created["url"], json={"besluittype": wmo}, headers=headers())
    assert r.status_code == 400 and ("datum", "required") in _codes(r)
    assert await suite.get_json(created["url"]) == created


async def test_the_audittrail_of_a_besluit(suite: Suite) -> None:
    created = await besluit(suite, await beschikking(suite))
    r = await suite.client.patch(created["url"], json={"toelichting": "nader bekeken"},
                                 headers=headers(**{"X-Audit-Toelichting": "bezwaar gegrond"}))
    assert r.status_code == 200
    trail = await suite.get_json(f"{created['url']}/audittrail")
    assert [(t["actie"], t["resource"], t["bron"]) for t in trail] == [("create", "besluit", "brc"),
                                                                     ("partial_update", "besluit", "brc")]
    assert {t["hoofdObject"] for t in trail} == {created["url"]} and trail[0]["resourceUrl"] == created["url"]
    assert trail[1]["toelichting"] == "bezwaar gegrond" and trail[1]["applicatieId"] == "test-alles"
    assert trail[1]["wijzigingen"]["oud"]["toelichting"] == ""
    assert trail[1]["wijzigingen"]["nieuw"]["toelichting"] == "nader bekeken"
    assert await suite.get_json(f"{created['url']}/audittrail/{trail[1]['uuid']}") == trail[1]
    missing = await suite.client.get(f"{created['url']}/audittrail/00000000-0000-4000-8000-000000000000",
                                     headers=headers())
    assert missing.status_code == 404


async def test_a_besluittype_with_besluiten_is_not_deleted(suite: Suite) -> None:
    created = await besluit(suite, await beschikking(suite))
    r = await suite.client.delete(created["besluittype"], headers=headers())
    assert r.status_code == 400 and _codes(r) == [("nonFieldErrors", "pending-relations")]
    assert (await suite.client.delete(created["url"], headers=headers())).status_code == 204
    assert (await suite.client.delete(created["besluittype"], headers=headers())).status_code == 204


async def test_every_change_is_an_event_in_the_outbox(suite: Suite) -> None:
    besluittype = await beschikking(suite)
    zaak, other = await suite.open_zaak(), await suite.open_zaak()
    created = await besluit(suite, besluittype, zaak=zaak["url"], vervaldatum="2027-12-01", vervalreden="tijdelijk")
    await suite.client.patch(created["url"], json={"zaak": other["url"], "toelichting": "verhuisd"},
                             headers=headers())
    await suite.client.delete(created["url"], headers=headers())
    events = [e for e in await outbox_events(suite) if ".besluit-" in e.type]
    assert [e.type for e in events] == ["nl.overheid.zaken.besluit-aangemaakt", "nl.overheid.zaken.besluit-gewijzigd",
                                        "nl.overheid.zaken.besluit-verwijderd"]
    aangemaakt, gewijzigd, verwijderd = events
    assert aangemaakt.dataref == created["url"] and aangemaakt.subject == created["url"].rsplit("/", 1)[1]
    assert aangemaakt.data == {"besluit": created["url"], "besluittype": besluittype, "zaak": zaak["url"],
                               "datum": "2026-11-20", "ingangsdatum": "2026-12-01", "vervaldatum": "2027-12-01",
                               "vervalreden": "tijdelijk"}
    assert gewijzigd.data["zaak"] == other["url"] and gewijzigd.data["vorigeZaak"] == zaak["url"]
    assert gewijzigd.data["velden"] == ["toelichting", "zaak"]
    assert verwijderd.data == {"besluit": created["url"], "besluittype": besluittype, "zaak": other["url"]}
    # No identificatie, toelichting or organisation number: nothing that could be or hold personal data.
    for event in events:
        assert RSIN not in str(event.data) and "verhuisd" not in str(event.data)
