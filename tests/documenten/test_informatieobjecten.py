"""Enkelvoudiginformatieobjecten: create with inline content, read back, versions by ``versie`` and
``registratieOp``, the download byte for byte, the lock rules, the audittrail, deletion, bad input."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from datetime import UTC, datetime

from tests.documenten.conftest import DRC, Documenten, codes, document, drc_client
from tests.zaken.conftest import headers


async def test_a_document_is_created_read_and_downloaded_byte_for_byte(drc: Documenten) -> None:
    content = bytes(range(256)) * 41
    r = await drc.create(inhoud=base64.b64encode(content).decode(), bestandsnaam="formulier.pdf",
                         formaat="application/pdf", trefwoorden=["aanvraag", "wmo"])
    assert r.status_code == 201, r.text
    doc = r.json()
    assert r.headers["Location"] == doc["url"] and doc["url"].startswith(f"{DRC}/enkelvoudiginformatieobjecten/")
    assert doc["versie"] == 1 and doc["locked"] is False and doc["bestandsdelen"] == []
    assert doc["bestandsomvang"] == len(content)
    assert doc["inhoud"] == f"{doc['url']}/download?versie=1"
    # The vertrouwelijkheidaanduiding comes from the informatieobjecttype when the client gives none.
    iotype = await drc.zaken.get_json(drc.iotype)
    assert doc["vertrouwelijkheidaanduiding"] == iotype["vertrouwelijkheidaanduiding"]
    assert doc["identificatie"].startswith("DOCUMENT-")
    assert (await drc.get(doc["url"])).json() == doc
    download = await drc.get(doc["inhoud"])
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == hashlib.sha256(content).hexdigest()
    assert download.headers["content-type"].startswith("application/pdf")
    page = (await drc.get(f"{DRC}/enkelvoudiginformatieobjecten", trefwoorden="wmo")).json()
    assert [d["url"] for d in page["results"]] == [doc["url"]]
    assert (await drc.get(f"{DRC}/enkelvoudiginformatieobjecten", trefwoorden="jeugd")).json()["count"] == 0
    page = (await drc.get(f"{DRC}/enkelvoudiginformatieobjecten", identificatie=doc["identificatie"],
                          bronorganisatie=doc["bronorganisatie"])).json()
    assert page["count"] == 1 and page["results"][0] == doc
    found = await drc.client.post(f"{DRC}/enkelvoudiginformatieobjecten/_zoek", headers=headers(),
                                  json={"uuid__in": [doc["url"].rsplit("/", 1)[1]]})
    assert found.status_code == 200 and found.json()["results"] == [doc]


async def test_a_change_needs_the_lock_and_makes_a_new_version(drc: Documenten) -> None:
    doc = await drc.created()
    url = doc["url"]
    r = await drc.client.patch(url, json={"titel": "nieuw"}, headers=headers())
    assert r.status_code == 400 and codes(r) == [("nonFieldErrors", "unlocked")]
    lock = (await drc.client.post(f"{url}/lock", headers=headers())).json()["lock"]
    again = await drc.client.post(f"{url}/lock", headers=headers())
    assert again.status_code == 400 and codes(again) == [("nonFieldErrors", "existing-lock")]
    r = await drc.client.patch(url, json={"titel": "nieuw"}, headers=headers())
    assert r.status_code == 400 and codes(r) == [("nonFieldErrors", "missing-lock-id")]
    r = await drc.client.patch(url, json={"titel": "nieuw", "lock": "fout"}, headers=headers())
    assert r.status_code == 400 and codes(r) == [("nonFieldErrors", "incorrect-lock-id")]
    between = datetime.now(UTC)
    await asyncio.sleep(0.01)
    r = await drc.client.patch(url, json={"titel": "nieuw", "lock": lock}, headers=headers())
    assert r.status_code == 200, r.text
    assert r.json()["versie"] == 2 and r.json()["titel"] == "nieuw" and r.json()["locked"] is True
    # The content stays with a PATCH that sends none.
    assert (await drc.get(r.json()["inhoud"])).content == b"de inhoud"
    body = {**document(drc.iotype), "titel": "derde", "lock": lock, "inhoud": base64.b64encode(b"v3").decode()}
    r = await drc.client.put(url, json=body, headers=headers())
    assert r.status_code == 200 and r.json()["versie"] == 3
    assert (await drc.get(url)).json()["titel"] == "derde"
    assert (await drc.get(url, versie=1)).json()["titel"] == "aanvraagformulier"
    assert (await drc.get(url, registratieOp=between.isoformat())).json()["versie"] == 1
    assert (await drc.get(url, versie=9)).status_code == 404
    assert (await drc.get(f"{url}/download", versie=1)).content == b"de inhoud"
    assert (await drc.get(f"{url}/download")).content == b"v3"
    # Unlocking needs the lock, unless the client may force it.
    redacteur = drc_client("redacteur", "documenten.lezen", "documenten.lock", "documenten.bijwerken")
    r = await drc.client.post(f"{url}/unlock", json={"lock": "fout"}, headers=headers(redacteur))
    assert r.status_code == 400 and codes(r) == [("nonFieldErrors", "incorrect-lock-id")]
    r = await drc.client.post(f"{url}/unlock", json={"lock": lock}, headers=headers(redacteur))
    assert r.status_code == 204
    assert (await drc.get(url)).json()["locked"] is False
    await drc.client.post(f"{url}/lock", headers=headers(redacteur))
    beheerder = drc_client("beheerder", "documenten.lock", "documenten.geforceerd-unlock")
    assert (await drc.client.post(f"{url}/unlock", headers=headers(beheerder))).status_code == 204
    assert (await drc.get(url)).json()["locked"] is False
    trail = (await drc.get(f"{url}/audittrail")).json()
    assert [t["actie"] for t in trail] == ["create", "partial_update", "update"]
    assert (await drc.get(f"{url}/audittrail/{trail[0]['uuid']}")).json() == trail[0]


async def test_bad_input_is_a_400_with_the_standards_codes(drc: Documenten) -> None:
    body = document(drc.iotype)
    del body["bronorganisatie"]
    r = await drc.client.post(f"{DRC}/enkelvoudiginformatieobjecten", json=body, headers=headers())
    assert r.status_code == 400 and codes(r) == [("bronorganisatie", "required")]
    r = await drc.create(inhoud="dit is geen base64!")
    assert r.status_code == 400 and codes(r)[0][0] == "inhoud" and codes(r)[0][1] in ("invalid-base64",
                                                                                      "incorrect-base64-padding")
    r = await drc.create(bestandsomvang=3)
    assert r.status_code == 400 and codes(r) == [("nonFieldErrors", "file-size")]
    r = await drc.create(informatieobjecttype="https://elders.example/catalogi/api/v1/informatieobjecttypen/x")
    assert r.status_code == 400 and codes(r) == [("informatieobjecttype", "bad-url")]
    r = await drc.create(bronorganisatie="123456789")
    assert r.status_code == 400 and codes(r) == [("bronorganisatie", "invalid")]
    r = await drc.create(indicatieGebruiksrecht=True)
    assert r.status_code == 400 and codes(r) == [("indicatieGebruiksrecht", "missing-gebruiksrechten")]
    doc = await drc.created(identificatie="DOC-1")
    r = await drc.create(identificatie="DOC-1")
    assert r.status_code == 400 and codes(r) == [("identificatie", "identificatie-niet-uniek")]
    assert (await drc.get(f"{DRC}/enkelvoudiginformatieobjecten/niet-een-uuid")).status_code in (400, 404)
    assert (await drc.client.delete(doc["url"], headers=headers())).status_code == 204
    assert (await drc.get(doc["url"])).status_code == 404


async def test_each_change_is_an_event_in_the_outbox(drc: Documenten) -> None:
    from sqlalchemy import select

    from contracts.envelope import CloudEvent
    from sds.runtime.db import outbox_table

    doc = await drc.created()
    lock = (await drc.client.post(f"{doc['url']}/lock", headers=headers())).json()["lock"]
    r = await drc.client.patch(doc["url"], json={"lock": lock, "titel": "t2"}, headers=headers())
    assert r.status_code == 200
    await drc.client.post(f"{doc['url']}/unlock", json={"lock": lock}, headers=headers())
    assert (await drc.client.delete(doc["url"], headers=headers())).status_code == 204
    table = outbox_table(drc.app.state.metadata)
    async with drc.app.state.db.transaction() as session:
        events = [CloudEvent.from_json(p) for p in (await session.execute(
            select(table.c.payload).order_by(table.c.seq))).scalars()]
    assert [e.type.rsplit("-", 1)[1] for e in events] == ["aangemaakt", "gewijzigd", "verwijderd"]
    assert all(e.data["informatieobject"] == doc["url"] for e in events)
    assert [e.data["versie"] for e in events] == [1, 2, 2]


async def test_the_list_count_follows_creates_and_deletes_and_the_pages_hold_each_document_once(
        drc: Documenten) -> None:
    docs = [await drc.created(titel=f"document {i}") for i in range(7)]
    for doc in docs[1:6:2]:
        assert (await drc.client.delete(doc["url"], headers=headers())).status_code == 204
    left = [d["url"] for d in docs if d not in docs[1:6:2]]
    seen: list[str] = []
    for page_number in (1, 2, 3):
        page = (await drc.get(f"{DRC}/enkelvoudiginformatieobjecten", pageSize=3, page=page_number)).json()
        assert page["count"] == len(left) == 4
        seen += [d["url"] for d in page["results"]]
        if page["next"] is None:
            break
    assert page_number == 2 and seen == left
    assert (await drc.get(f"{DRC}/enkelvoudiginformatieobjecten", pageSize=3, page=3)).status_code == 404
    # A client that sees only some documents gets the count of what it sees, not the kept total.
    alleen_lezen = drc_client("lezer", "documenten.lezen", informatieobjecttype="https://elders.example/type",
                              max_vertrouwelijkheidaanduiding="geheim")
    assert (await drc.get(f"{DRC}/enkelvoudiginformatieobjecten", alleen_lezen)).json()["count"] == 0
