"""Verzendingen: a document sent to or received from a betrokkene, at exactly one address."""

from __future__ import annotations

from tests.documenten.conftest import DRC, Documenten, codes
from tests.zaken.conftest import BASE, headers

BETROKKENE = f"{BASE}/klantgegevens/api/v1/personen/0b9f3c56-1d0e-4c55-9e0c-5d3f1f0f2a77"


async def test_a_verzending_names_one_address_and_changes_with_it(drc: Documenten) -> None:
    doc = await drc.created()
    body = {"informatieobject": doc["url"], "betrokkene": BETROKKENE, "aardRelatie": "geadresseerde",
            "contactPersoon": BETROKKENE, "verzenddatum": "2026-11-02",
            "binnenlandsCorrespondentieadres": {"huisnummer": 12, "naamOpenbareRuimte": "Stationsstraat",
                                                "woonplaatsnaam": "Utrecht", "postcode": "3511AB"}}
    r = await drc.client.post(f"{DRC}/verzendingen", json=body, headers=headers())
    assert r.status_code == 201, r.text
    verzending = r.json()
    assert verzending["binnenlandsCorrespondentieadres"]["naamOpenbareRuimte"] == "Stationsstraat"
    assert verzending["informatieobject"] == doc["url"] and verzending["correspondentiePostadres"] is None
    assert (await drc.get(verzending["url"])).json() == verzending
    page = (await drc.get(f"{DRC}/verzendingen", informatieobject=doc["url"], aardRelatie="geadresseerde")).json()
    assert page["count"] == 1 and page["results"] == [verzending]
    assert (await drc.get(f"{DRC}/verzendingen", aardRelatie="afzender")).json()["count"] == 0
    # Two addresses, or none: refused.
    r = await drc.client.post(f"{DRC}/verzendingen", json={**body, "emailadres": "a@example.nl"}, headers=headers())
    assert r.status_code == 400 and codes(r) == [("nonFieldErrors", "invalid-address")]
    r = await drc.client.patch(verzending["url"], json={"emailadres": "a@example.nl"}, headers=headers())
    assert r.status_code == 400 and codes(r) == [("nonFieldErrors", "invalid-address")]
    r = await drc.client.patch(verzending["url"], json={"binnenlandsCorrespondentieadres": None,
                                                        "emailadres": "a@example.nl"}, headers=headers())
    assert r.status_code == 200, r.text
    assert r.json()["emailadres"] == "a@example.nl" and r.json()["binnenlandsCorrespondentieadres"] is None
    trail = (await drc.get(f"{doc['url']}/audittrail")).json()
    assert [(t["resource"], t["actie"]) for t in trail][-2:] == [("verzending", "create"),
                                                                 ("verzending", "partial_update")]
    assert (await drc.client.delete(verzending["url"], headers=headers())).status_code == 204
    assert (await drc.get(verzending["url"])).status_code == 404
