"""Catalogi reads per kolom: a client whose catalogi grants hold for kolom jeugd never sees the wmo catalogus or
anything in it, in lists (filtered before paging, so counts and pages hold); a detail outside is 403, as for a zaak;
it changes only its own catalogus (403 elsewhere)."""

from __future__ import annotations

from typing import Any

from sds.runtime.auth import AuthContext, Autorisatie
from tests.zaken.conftest import CATALOGI, Suite, client_ctx, headers
from tests.zaken.test_catalogi import _catalogus_url, _zaaktype_body

LISTS = ("catalogussen", "zaaktypen", "statustypen", "roltypen", "resultaattypen", "eigenschappen", "zaakobjecttypen",
         "besluittypen", "informatieobjecttypen")


def jeugd(*scopes: str) -> AuthContext:
    return client_ctx("catalogi-jeugd", Autorisatie(component="ztc", kolom="jeugd",
                                                    scopes=list(scopes or ("catalogi.lezen",))))


async def _all(suite: Suite, collection: str, ctx: AuthContext | None, size: int) -> tuple[int, list[dict[str, Any]]]:
    items: list[dict[str, Any]] = []
    url: str | None = f"{CATALOGI}/{collection}?pageSize={size}"
    count = -1
    while url:
        page = await suite.get_json(url, ctx)
        count = page["count"]
        items += page["results"]
        url = page["next"]
    return count, items


async def test_kolom_jeugd_sees_only_the_jeugd_catalogus(suite: Suite) -> None:
    ctx = jeugd()
    jeugd_catalogus = await _catalogus_url(suite, "JEUGD")
    for collection in LISTS:
        _, everything = await _all(suite, collection, None, 100)
        expected = sorted(i["url"] for i in everything
                          if (i["url"] if collection == "catalogussen" else i["catalogus"]) == jeugd_catalogus)
        assert expected, collection
        for size in (1, 100):
            count, seen = await _all(suite, collection, ctx, size)
            assert count == len(expected) and sorted(i["url"] for i in seen) == expected, (collection, size)
        hidden = next(i["url"] for i in everything if i["url"] not in expected)
        r = await suite.client.get(hidden, headers=headers(ctx))
        assert r.status_code == 403 and r.json()["code"] == "permission_denied", collection
        gone = hidden.rsplit("/", 1)[0] + "/00000000-0000-4000-8000-000000000000"
        assert (await suite.client.get(gone, headers=headers(ctx))).status_code == 404, collection
        assert (await suite.client.get(expected[0], headers=headers(ctx))).status_code == 200, collection
    # Filters cannot reach past the grant either.
    wmo = await _catalogus_url(suite, "WMO")
    assert (await suite.get_json(f"{CATALOGI}/zaaktypen?catalogus={wmo}", ctx))["count"] == 0
    assert (await suite.get_json(f"{CATALOGI}/statustypen?zaaktype={suite.zaaktypen['WMO-HBH']}", ctx))["count"] == 0


async def test_writes_outside_the_kolom_are_forbidden(suite: Suite) -> None:
    writer = jeugd("catalogi.lezen", "catalogi.schrijven")
    wmo, jeugd_catalogus = await _catalogus_url(suite, "WMO"), await _catalogus_url(suite, "JEUGD")
    r = await suite.client.post(f"{CATALOGI}/zaaktypen", json=_zaaktype_body(wmo), headers=headers(writer))
    assert r.status_code == 403
    r = await suite.client.post(f"{CATALOGI}/zaaktypen", json=_zaaktype_body(jeugd_catalogus), headers=headers(writer))
    assert r.status_code == 201, r.text
    created = r.json()
    r = await suite.client.post(f"{CATALOGI}/besluittypen", headers=headers(writer), json={
        "catalogus": wmo, "publicatieIndicatie": False, "informatieobjecttypen": [], "beginGeldigheid": "2026-01-01"})
    assert r.status_code == 403
    r = await suite.client.post(f"{CATALOGI}/catalogussen", headers=headers(writer), json={
        "domein": "EXTRA", "rsin": "002220647", "contactpersoonBeheerNaam": "beheer"})
    assert r.status_code == 403
    # A wmo zaaktype is outside this client's autorisaties: 403, also on writes.
    r = await suite.client.patch(suite.zaaktypen["WMO-HBH"], json={"toelichting": "x"}, headers=headers(writer))
    assert r.status_code == 403
    # Reading jeugd but writing only wmo: the jeugd zaaktype is there, and not its to change.
    mixed = client_ctx("mixed", Autorisatie(component="ztc", kolom="jeugd", scopes=["catalogi.lezen"]),
                       Autorisatie(component="ztc", kolom="wmo", scopes=["catalogi.schrijven"]))
    r = await suite.client.patch(created["url"], json={"toelichting": "x"}, headers=headers(mixed))
    assert r.status_code == 403
    r = await suite.client.post(f"{suite.zaaktypen['JW-AMB']}/publish", headers=headers(mixed))
    assert r.status_code == 403


async def test_a_grant_per_zaaktype_shows_that_zaaktype_in_its_catalogus(suite: Suite) -> None:
    ctx = client_ctx("hbh", Autorisatie(component="ztc", zaaktype=suite.zaaktypen["WMO-HBH"],
                                        scopes=["catalogi.lezen"]))
    zaaktypen = await suite.get_json(f"{CATALOGI}/zaaktypen", ctx)
    assert [z["url"] for z in zaaktypen["results"]] == [suite.zaaktypen["WMO-HBH"]]
    catalogussen = await suite.get_json(f"{CATALOGI}/catalogussen", ctx)
    [catalogus] = catalogussen["results"]
    assert catalogus["zaaktypen"] == [suite.zaaktypen["WMO-HBH"]]
    roltypen = await suite.get_json(f"{CATALOGI}/roltypen", ctx)
    assert roltypen["count"] == 4 and {r["zaaktype"] for r in roltypen["results"]} == {suite.zaaktypen["WMO-HBH"]}
    assert (await suite.client.get(suite.zaaktypen["WMO-BEG"], headers=headers(ctx))).status_code == 403
    geen = client_ctx("geen", Autorisatie(component="zrc", scopes=["zaken.lezen"]))
    assert (await suite.client.get(f"{CATALOGI}/zaaktypen", headers=headers(geen))).status_code == 403
