"""ZGW authorisation: a client limited to kolom jeugd never sees a wmo zaak — not in lists, details, _zoek
or the audittrail — and max vertrouwelijkheidaanduiding cuts inside the query, before paging."""

from __future__ import annotations

import uuid

from sds.runtime.auth import Autorisatie
from tests.zaken.conftest import ZAKEN, Suite, client_ctx, headers

JEUGD_SCOPES = ["zaken.lezen", "zaken.aanmaken", "zaken.bijwerken", "audittrails.lezen"]


def jeugd_client(max_vertrouwelijkheid: str = "zeer_geheim"):  # type: ignore[no-untyped-def]
    return client_ctx("regio-jeugd", Autorisatie(component="zrc", kolom="jeugd", scopes=JEUGD_SCOPES,
                                                 max_vertrouwelijkheidaanduiding=max_vertrouwelijkheid))


async def test_kolom_jeugd_never_sees_a_wmo_zaak(suite: Suite) -> None:
    wmo = [await suite.open_zaak("WMO-HBH") for _ in range(3)]
    jeugd = [await suite.open_zaak("JW-AMB"), await suite.open_zaak("JW-VERBLIJF")]
    ctx = jeugd_client()

    # Lists: every page, any page size, counts included.
    for size in (1, 2, 100):
        seen, url = [], f"{ZAKEN}/zaken?pageSize={size}"
        while url:
            page = await suite.get_json(url, ctx)
            assert page["count"] == 2
            seen += [z["url"] for z in page["results"]]
            url = page["next"]
        assert sorted(seen) == sorted(z["url"] for z in jeugd)
    page = await suite.get_json(f"{ZAKEN}/zaken?zaaktype={suite.zaaktypen['WMO-HBH']}", ctx)
    assert page["count"] == 0 and page["results"] == []

    # Details outside the grant: 403 permission_denied, as the Zaken API answers; 404 is for what is not there.
    for zaak in wmo:
        for url in (zaak["url"], f"{zaak['url']}/audittrail"):
            r = await suite.client.get(url, headers=headers(ctx))
            assert r.status_code == 403 and r.json()["code"] == "permission_denied", url
        trail = await suite.get_json(f"{zaak['url']}/audittrail")
        r = await suite.client.get(f"{zaak['url']}/audittrail/{trail[0]['uuid']}", headers=headers(ctx))
        assert r.status_code == 403
    missing = f"{ZAKEN}/zaken/{uuid.uuid4()}"
    assert (await suite.client.get(missing, headers=headers(ctx))).status_code == 404
    assert (await suite.client.get(f"{missing}/audittrail", headers=headers(ctx))).status_code == 404
    assert (await suite.client.get(jeugd[0]["url"], headers=headers(ctx))).status_code == 200
    assert (await suite.client.get(f"{jeugd[0]['url']}/audittrail", headers=headers(ctx))).status_code == 200

    # _zoek, also when asked for the wmo zaken by uuid.
    r = await suite.client.post(f"{ZAKEN}/zaken/_zoek", headers=headers(ctx),
                                json={"uuid__in": [z["uuid"] for z in wmo + jeugd]})
    assert r.status_code == 200 and sorted(z["url"] for z in r.json()["results"]) == sorted(z["url"] for z in jeugd)

    # Lists under a zaak follow the zaak's visibility.
    types = await suite.types("WMO-HBH")
    r = await suite.client.post(f"{ZAKEN}/statussen", headers=headers(), json={
        "zaak": wmo[0]["url"], "statustype": types["statustypen"][0], "datumStatusGezet": "2026-11-02T10:00:00Z"})
    assert r.status_code == 201
    assert (await suite.get_json(f"{ZAKEN}/statussen", ctx))["count"] == 0
    assert (await suite.client.get(r.json()["url"], headers=headers(ctx))).status_code == 403
    assert (await suite.client.get(f"{ZAKEN}/statussen/{uuid.uuid4()}", headers=headers(ctx))).status_code == 404

    # Writes outside the grant: 403.
    r = await suite.client.patch(wmo[0]["url"], json={"omschrijving": "x"}, headers=headers(ctx))
    assert r.status_code == 403
    assert (await suite.zaak("WMO-HBH", ctx=ctx)).status_code == 403
    assert (await suite.zaak("JW-AMB", ctx=ctx)).status_code == 201


async def test_max_vertrouwelijkheidaanduiding_filters_before_paging(suite: Suite) -> None:
    open_ = [await suite.open_zaak("JW-AMB", vertrouwelijkheidaanduiding="intern") for _ in range(3)]
    geheim = [await suite.open_zaak("JW-AMB", vertrouwelijkheidaanduiding="geheim") for _ in range(3)]
    ctx = jeugd_client("vertrouwelijk")
    page = await suite.get_json(f"{ZAKEN}/zaken?pageSize=2", ctx)
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    rest = await suite.get_json(page["next"], ctx)
    assert sorted(z["url"] for z in page["results"] + rest["results"]) == sorted(z["url"] for z in open_)
    assert (await suite.client.get(geheim[0]["url"], headers=headers(ctx))).status_code == 403
    # Creating above the client's maximum is outside its rights.
    assert (await suite.zaak("JW-AMB", ctx=ctx, vertrouwelijkheidaanduiding="geheim")).status_code == 403


async def test_grant_per_zaaktype_and_per_catalogus(suite: Suite) -> None:
    hbh = await suite.open_zaak("WMO-HBH")
    beg = await suite.open_zaak("WMO-BEG")
    per_zaaktype = client_ctx("hbh", Autorisatie(component="zrc", zaaktype=suite.zaaktypen["WMO-HBH"],
                                                 scopes=["zaken.lezen"], max_vertrouwelijkheidaanduiding="geheim"))
    page = await suite.get_json(f"{ZAKEN}/zaken", per_zaaktype)
    assert [z["url"] for z in page["results"]] == [hbh["url"]]
    catalogus = (await suite.get_json(suite.zaaktypen["WMO-BEG"]))["catalogus"]
    per_catalogus = client_ctx("wmo", Autorisatie(component="zrc", catalogus=catalogus, scopes=["zaken.lezen"],
                                                  max_vertrouwelijkheidaanduiding="geheim"))
    page = await suite.get_json(f"{ZAKEN}/zaken", per_catalogus)
    assert sorted(z["url"] for z in page["results"]) == sorted([hbh["url"], beg["url"]])
    geen = client_ctx("geen", Autorisatie(component="ztc", scopes=["catalogi.lezen"]))
    assert (await suite.client.get(f"{ZAKEN}/zaken", headers=headers(geen))).status_code == 403
