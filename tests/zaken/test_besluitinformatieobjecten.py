"""Besluitinformatieobjecten against a configured Documenten API (the in-process fake of the zaakinformatieobject
tests): validated exactly as zaakinformatieobjecten are, with the besluittype's informatieobjecttypen."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.zaken.settings import ZakenSettings
from services.zaken.zaken.documenten import Documenten
from tests.zaken.conftest import CATALOGI, Suite, headers, outbox_events
from tests.zaken.test_besluiten import BRC, _codes, beschikking, besluit
from tests.zaken.test_zaken_informatieobjecten import DRC, SECRET, FakeDrc


@pytest.fixture
async def drc(suite: Suite) -> FakeDrc:
    fake = FakeDrc()
    settings = ZakenSettings(env="dev", documenten_apis=[DRC], documenten_secret=SECRET)
    suite.app.state.documenten = Documenten(settings, transport=httpx.MockTransport(fake.handler))
    return fake


async def _iotype(suite: Suite, besluittype: str) -> str:
    """One of the besluittype's informatieobjecttypen."""
    return str((await suite.get_json(besluittype))["informatieobjecttypen"][0])


async def _relate(suite: Suite, besluit_url: str, informatieobject: str) -> httpx.Response:
    return await suite.client.post(f"{BRC}/besluitinformatieobjecten", headers=headers(), json={
        "besluit": besluit_url, "informatieobject": informatieobject})


async def test_a_document_is_related_to_a_besluit_listed_read_and_removed(suite: Suite, drc: FakeDrc) -> None:
    besluittype = await beschikking(suite)
    created = await besluit(suite, besluittype)
    doc = drc.add("6a1b2c3d-0000-4000-8000-00000000b001", await _iotype(suite, besluittype))
    r = await _relate(suite, created["url"], doc)
    assert r.status_code == 201, r.text
    bio = r.json()
    assert bio["besluit"] == created["url"] and bio["informatieobject"] == doc
    assert bio["url"].startswith(f"{BRC}/besluitinformatieobjecten/") and r.headers["Location"] == bio["url"]
    assert drc.calls == 1
    assert await suite.get_json(f"{BRC}/besluitinformatieobjecten?besluit={created['url']}") == [bio]
    assert await suite.get_json(f"{BRC}/besluitinformatieobjecten?informatieobject={doc}") == [bio]
    assert await suite.get_json(f"{BRC}/besluitinformatieobjecten?informatieobject={DRC}/x") == []
    assert await suite.get_json(bio["url"]) == bio
    # Once per pair.
    r = await _relate(suite, created["url"], doc)
    assert r.status_code == 400 and _codes(r) == [("nonFieldErrors", "unique")]
    trail = await suite.get_json(f"{created['url']}/audittrail")
    assert [(t["resource"], t["actie"]) for t in trail] == [("besluit", "create"),
                                                             ("besluitinformatieobject", "create")]

    assert (await suite.client.delete(bio["url"], headers=headers())).status_code == 204
    assert (await suite.client.get(bio["url"], headers=headers())).status_code == 404
    assert await suite.get_json(f"{BRC}/besluitinformatieobjecten?besluit={created['url']}") == []
    types = [e.type for e in await outbox_events(suite) if "besluitinformatieobject" in e.type]
    assert types == ["nl.overheid.zaken.besluitinformatieobject-aangemaakt",
                     "nl.overheid.zaken.besluitinformatieobject-verwijderd"]
    data = (await outbox_events(suite, "nl.overheid.zaken.besluitinformatieobject-aangemaakt"))[0].data
    assert data == {"besluitinformatieobject": bio["url"], "besluit": created["url"], "besluittype": besluittype,
                    "informatieobject": doc}


async def test_deleting_a_besluit_takes_its_informatieobjecten_with_it(suite: Suite, drc: FakeDrc) -> None:
    besluittype = await beschikking(suite)
    created = await besluit(suite, besluittype)
    doc = drc.add("6a1b2c3d-0000-4000-8000-00000000b002", await _iotype(suite, besluittype))
    bio = (await _relate(suite, created["url"], doc)).json()
    assert (await suite.client.delete(created["url"], headers=headers())).status_code == 204
    assert (await suite.client.get(bio["url"], headers=headers())).status_code == 404
    assert await suite.get_json(f"{BRC}/besluitinformatieobjecten?informatieobject={doc}") == []
    removed = await outbox_events(suite, "nl.overheid.zaken.besluitinformatieobject-verwijderd")
    assert [e.data["besluitinformatieobject"] for e in removed] == [bio["url"]]


async def test_what_the_documenten_api_and_the_catalogus_refuse(suite: Suite, drc: FakeDrc) -> None:
    besluittype = await beschikking(suite)
    created = await besluit(suite, besluittype)
    # An informatieobjecttype of the catalogus that is not one of the besluittype's.
    bt = await suite.get_json(besluittype)
    page = await suite.get_json(f"{CATALOGI}/informatieobjecttypen?catalogus={bt['catalogus']}")
    other = next(t["url"] for t in page["results"] if t["url"] not in bt["informatieobjecttypen"])
    foreign = drc.add("6a1b2c3d-0000-4000-8000-00000000b003", other)
    cases: list[tuple[dict[str, Any], tuple[str, str]]] = [
        ({"informatieobject": foreign}, ("nonFieldErrors", "missing-besluittype-informatieobjecttype-relation")),
        ({"informatieobject": f"{DRC}/enkelvoudiginformatieobjecten/6a1b2c3d-0000-4000-8000-00000000ffff"},
         ("informatieobject", "bad-url")),
        ({"informatieobject": "https://elders.example/documenten/api/v1/enkelvoudiginformatieobjecten/1"},
         ("informatieobject", "bad-url")),
        ({"besluit": f"{BRC}/besluiten/00000000-0000-4000-8000-000000000000"}, ("besluit", "bad-url")),
        ({"besluit": ""}, ("besluit", "min_length")),
    ]
    for fields, code in cases:
        body = {"besluit": created["url"], "informatieobject": foreign, **fields}
        r = await suite.client.post(f"{BRC}/besluitinformatieobjecten", headers=headers(), json=body)
        assert r.status_code == 400 and _codes(r) == [code], (fields, r.text)
    assert await suite.get_json(f"{BRC}/besluitinformatieobjecten") == []


async def test_without_a_documenten_api_the_answer_is_400_not_404(suite: Suite) -> None:
    created = await besluit(suite, await beschikking(suite))
    doc = f"{DRC}/enkelvoudiginformatieobjecten/6a1b2c3d-0000-4000-8000-000000000001"
    r = await _relate(suite, created["url"], doc)
    assert r.status_code == 400 and _codes(r) == [("informatieobject", "bad-url")]
    assert "Documenten API" in r.json()["invalidParams"][0]["reason"]
