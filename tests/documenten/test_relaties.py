"""The standard's two-sided relation between a zaak or besluit and a document, with both services in-process:
linking on the Zaken or Besluiten side shows on the Documenten side, each side refuses what the other does not
hold, and deleting a zaak or besluit removes its relations."""

from __future__ import annotations

from typing import Any

import httpx

from services.documenten.zaken import Zaken
from tests.documenten.conftest import DRC, Documenten, codes
from tests.zaken.conftest import CATALOGI, ZAKEN, headers
from tests.zaken.test_besluiten import BRC, beschikking, besluit


async def _iotype(drc: Documenten, zaak: dict[str, Any]) -> str:
    zaaktype = await drc.zaken.get_json(zaak["zaaktype"])
    page = await drc.zaken.get_json(f"{CATALOGI}/informatieobjecttypen?catalogus={zaaktype['catalogus']}")
    return str(page["results"][0]["url"])


async def _oios(drc: Documenten, **params: str) -> list[dict[str, Any]]:
    r = await drc.get(f"{DRC}/objectinformatieobjecten", **params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_a_zaakinformatieobject_shows_in_the_documenten_api_and_goes_with_it(drc: Documenten) -> None:
    zaak = await drc.zaken.open_zaak()
    doc = await drc.created(informatieobjecttype=await _iotype(drc, zaak))
    # The Documenten API does not take a relation the zaak does not have.
    r = await drc.client.post(f"{DRC}/objectinformatieobjecten", headers=headers(), json={
        "informatieobject": doc["url"], "object": zaak["url"], "objectType": "zaak"})
    assert r.status_code == 400 and codes(r) == [("nonFieldErrors", "inconsistent-relation")]
    r = await drc.zaken.client.post(f"{ZAKEN}/zaakinformatieobjecten", headers=headers(), json={
        "zaak": zaak["url"], "informatieobject": doc["url"], "titel": "aanvraag"})
    assert r.status_code == 201, r.text
    zio = r.json()
    [oio] = await _oios(drc, object=zaak["url"])
    assert oio["informatieobject"] == doc["url"] and oio["objectType"] == "zaak"
    assert await _oios(drc, informatieobject=doc["url"]) == [oio]
    # Once per pair, and not removed here while the zaak still has it.
    r = await drc.client.post(f"{DRC}/objectinformatieobjecten", headers=headers(), json={
        "informatieobject": doc["url"], "object": zaak["url"], "objectType": "zaak"})
    assert r.status_code == 400 and codes(r) == [("nonFieldErrors", "unique")]
    r = await drc.client.delete(oio["url"], headers=headers())
    assert r.status_code == 400 and codes(r) == [("nonFieldErrors", "remote-relation-exists")]
    r = await drc.client.delete(doc["url"], headers=headers())
    assert r.status_code == 400 and codes(r) == [("nonFieldErrors", "pending-relations")]
    trail = (await drc.get(f"{doc['url']}/audittrail")).json()
    assert [(t["resource"], t["actie"]) for t in trail] == [("enkelvoudiginformatieobject", "create"),
                                                             ("objectinformatieobject", "create")]

    assert (await drc.zaken.client.delete(zio["url"], headers=headers())).status_code == 204
    assert await _oios(drc, object=zaak["url"]) == []
    # Linked again, then the zaak is deleted: its relation goes on both sides.
    r = await drc.zaken.client.post(f"{ZAKEN}/zaakinformatieobjecten", headers=headers(), json={
        "zaak": zaak["url"], "informatieobject": doc["url"]})
    assert r.status_code == 201, r.text
    assert len(await _oios(drc, object=zaak["url"])) == 1
    assert (await drc.zaken.client.delete(zaak["url"], headers=headers())).status_code == 204
    assert await _oios(drc, object=zaak["url"]) == []
    assert (await drc.client.delete(doc["url"], headers=headers())).status_code == 204


async def test_a_besluitinformatieobject_shows_in_the_documenten_api_and_goes_with_the_besluit(
        drc: Documenten) -> None:
    besluittype = await beschikking(drc.zaken)
    iotype = str((await drc.zaken.get_json(besluittype))["informatieobjecttypen"][0])
    created = await besluit(drc.zaken, besluittype)
    doc = await drc.created(informatieobjecttype=iotype)
    r = await drc.zaken.client.post(f"{BRC}/besluitinformatieobjecten", headers=headers(), json={
        "besluit": created["url"], "informatieobject": doc["url"]})
    assert r.status_code == 201, r.text
    bio = r.json()
    [oio] = await _oios(drc, object=created["url"])
    assert oio["objectType"] == "besluit" and oio["informatieobject"] == doc["url"]
    assert (await drc.zaken.client.delete(bio["url"], headers=headers())).status_code == 204
    assert await _oios(drc, object=created["url"]) == []
    r = await drc.zaken.client.post(f"{BRC}/besluitinformatieobjecten", headers=headers(), json={
        "besluit": created["url"], "informatieobject": doc["url"]})
    assert r.status_code == 201
    assert (await drc.zaken.client.delete(created["url"], headers=headers())).status_code == 204
    assert await _oios(drc, object=created["url"]) == []


async def test_a_relation_the_documenten_api_refuses_is_undone(drc: Documenten) -> None:
    zaak = await drc.zaken.open_zaak()
    doc = await drc.created(informatieobjecttype=await _iotype(drc, zaak))
    # The Documenten API cannot check the zaak's side (the zaken service answers it 503): it refuses the
    # objectinformatieobject, and the zaakinformatieobject does not stay.
    await drc.app.state.zaken.close()
    drc.app.state.zaken = Zaken(drc.app.state.settings, httpx.MockTransport(lambda request: httpx.Response(503)))
    r = await drc.zaken.client.post(f"{ZAKEN}/zaakinformatieobjecten", headers=headers(), json={
        "zaak": zaak["url"], "informatieobject": doc["url"]})
    assert r.status_code == 400 and codes(r) == [("informatieobject", "pending-relations")]
    assert await drc.zaken.get_json(f"{ZAKEN}/zaakinformatieobjecten?zaak={zaak['url']}") == []
