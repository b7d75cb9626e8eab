"""An applicatie's limits on documents: its informatieobjecttype and its maxVertrouwelijkheidaanduiding filter
the lists, make a detail outside them 403 and refuse writes outside them; gebruiksrechten keep the document's
indicatieGebruiksrecht in step."""

from __future__ import annotations

from tests.documenten.conftest import DRC, Documenten, codes, drc_client
from tests.zaken.conftest import headers


async def test_vertrouwelijkheid_and_informatieobjecttype_limit_what_a_client_sees(drc: Documenten) -> None:
    openbaar = await drc.created(vertrouwelijkheidaanduiding="openbaar")
    geheim = await drc.created(vertrouwelijkheidaanduiding="geheim")
    lezer = drc_client("lezer", "documenten.lezen", informatieobjecttype=drc.iotype,
                       max_vertrouwelijkheidaanduiding="intern")
    page = (await drc.get(f"{DRC}/enkelvoudiginformatieobjecten", lezer)).json()
    assert page["count"] == 1 and [d["url"] for d in page["results"]] == [openbaar["url"]]
    assert (await drc.get(openbaar["url"], lezer)).status_code == 200
    assert (await drc.get(geheim["url"], lezer)).status_code == 403
    assert (await drc.get(f"{geheim['url']}/download", lezer)).status_code == 403
    ander_type = drc_client("ander", "documenten.lezen", informatieobjecttype=f"{drc.iotype}x",
                            max_vertrouwelijkheidaanduiding="zeer_geheim")
    assert (await drc.get(f"{DRC}/enkelvoudiginformatieobjecten", ander_type)).json()["count"] == 0
    # Creating above the client's aanduiding is refused, at or below it is not.
    maker = drc_client("maker", "documenten.aanmaken", "documenten.lezen", informatieobjecttype=drc.iotype,
                       max_vertrouwelijkheidaanduiding="intern")
    assert (await drc.create(maker, vertrouwelijkheidaanduiding="vertrouwelijk")).status_code == 403
    assert (await drc.create(maker, vertrouwelijkheidaanduiding="intern")).status_code == 201
    # Without the scope: 403 before anything is looked at.
    assert (await drc.get(f"{DRC}/enkelvoudiginformatieobjecten", drc_client("niets"))).status_code == 403


async def test_gebruiksrechten_set_and_clear_the_indicatie(drc: Documenten) -> None:
    doc = await drc.created()
    r = await drc.client.post(f"{DRC}/gebruiksrechten", headers=headers(), json={
        "informatieobject": doc["url"], "startdatum": "2026-01-01T12:00:00", "omschrijvingVoorwaarden": "intern"})
    assert r.status_code == 201, r.text
    recht = r.json()
    assert (await drc.get(doc["url"])).json()["indicatieGebruiksrecht"] is True
    assert (await drc.get(f"{DRC}/gebruiksrechten", informatieobject=doc["url"])).json() == [recht]
    assert (await drc.get(f"{DRC}/gebruiksrechten", startdatum__gt="2026-06-01T00:00:00")).json() == []
    r = await drc.client.patch(recht["url"], json={"omschrijvingVoorwaarden": "extern"}, headers=headers())
    assert r.status_code == 200 and r.json()["omschrijvingVoorwaarden"] == "extern"
    r = await drc.client.patch(recht["url"], json={"einddatum": "2025-01-01T00:00:00"}, headers=headers())
    assert r.status_code == 400 and codes(r) == [("einddatum", "date-mismatch")]
    r = await drc.client.post(f"{DRC}/gebruiksrechten", headers=headers(), json={
        "informatieobject": f"{DRC}/enkelvoudiginformatieobjecten/00000000-0000-4000-8000-000000000000",
        "startdatum": "2026-01-01T12:00:00", "omschrijvingVoorwaarden": "x"})
    assert r.status_code == 400 and codes(r) == [("informatieobject", "does_not_exist")]
    assert (await drc.client.delete(recht["url"], headers=headers())).status_code == 204
    assert (await drc.get(doc["url"])).json()["indicatieGebruiksrecht"] is None
