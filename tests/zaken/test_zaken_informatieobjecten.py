"""Zaakinformatieobjecten against a configured external Documenten API (here an in-process fake of one)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from sds.runtime.jwt_zgw import decode_jwt_zgw
from services.zaken.settings import ZakenSettings
from services.zaken.zaken.documenten import Documenten
from tests.zaken.conftest import CATALOGI, ZAKEN, Suite, headers

DRC = "https://drc.gemeente.example/documenten/api/v1"
SECRET = "geheim-van-de-documenten-api-in-de-test"
OIO_PATH = "/documenten/api/v1/objectinformatieobjecten"


def _codes(response: Any) -> list[tuple[str, str]]:
    return [(p["name"], p["code"]) for p in response.json().get("invalidParams", [])]


class FakeDrc:
    """Enkelvoudiginformatieobjecten by uuid; each request's ZGW JWT is checked as a Documenten API would."""

    def __init__(self) -> None:
        self.documents: dict[str, Any] = {}
        self.calls = 0
        # Its objectinformatieobjecten (the other side of each relation), and whether it refuses new ones.
        self.relaties: dict[str, dict[str, Any]] = {}
        self.refuses = False

    def add(self, doc_uuid: str, informatieobjecttype: str, **extra: Any) -> str:
        url = f"{DRC}/enkelvoudiginformatieobjecten/{doc_uuid}"
        self.documents[doc_uuid] = {"url": url, "informatieobjecttype": informatieobjecttype, "titel": "brief",
                                    **extra}
        return url

    def _relatie(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            if self.refuses:
                return httpx.Response(400, json={"code": "invalid"})
            body = json.loads(request.content)
            url = f"{DRC}/objectinformatieobjecten/{len(self.relaties) + 1}"
            self.relaties[url] = {"url": url, **body}
            return httpx.Response(201, json=self.relaties[url])
        if request.method == "GET":
            io, obj = request.url.params["informatieobject"], request.url.params["object"]
            return httpx.Response(200, json=[r for r in self.relaties.values()
                                             if r["informatieobject"] == io and r["object"] == obj])
        assert request.method == "DELETE"
        return httpx.Response(204 if self.relaties.pop(str(request.url), None) else 404)

    def handler(self, request: httpx.Request) -> httpx.Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        claims = decode_jwt_zgw(token, SECRET, max_age=60)
        assert claims.client_id == "sds-zaken"
        if request.url.path.startswith(OIO_PATH):
            return self._relatie(request)
        self.calls += 1
        found = self.documents.get(request.url.path.rsplit("/", 1)[1])
        if found is None:
            return httpx.Response(404, json={"detail": "Niet gevonden."})
        return httpx.Response(200, content=json.dumps(found), headers={"Content-Type": "application/json"})


@pytest.fixture
async def drc(suite: Suite) -> FakeDrc:
    fake = FakeDrc()
    settings = ZakenSettings(env="dev", documenten_apis=[DRC], documenten_secret=SECRET)
    suite.app.state.documenten = Documenten(settings, transport=httpx.MockTransport(fake.handler))
    return fake


async def _iotype(suite: Suite, zaak: dict[str, Any]) -> str:
    zaaktype = await suite.get_json(zaak["zaaktype"])
    page = await suite.get_json(f"{CATALOGI}/informatieobjecttypen?catalogus={zaaktype['catalogus']}")
    return str(page["results"][0]["url"])


async def _relate(suite: Suite, zaak: dict[str, Any], informatieobject: str, **extra: Any) -> httpx.Response:
    return await suite.client.post(f"{ZAKEN}/zaakinformatieobjecten", headers=headers(), json={
        "zaak": zaak["url"], "informatieobject": informatieobject, **extra})


async def test_a_document_of_the_documenten_api_is_related_to_a_zaak(suite: Suite, drc: FakeDrc) -> None:
    zaak = await suite.open_zaak()
    doc = drc.add("6a1b2c3d-0000-4000-8000-000000000001", await _iotype(suite, zaak))
    # Read-only fields a client sends back are ignored.
    r = await _relate(suite, zaak, doc, titel="Aanvraagformulier", url="https://elders.example/x",
                      aardRelatieWeergave="iets")
    assert r.status_code == 201, r.text
    zio = r.json()
    assert zio["informatieobject"] == doc and zio["zaak"] == zaak["url"] and zio["titel"] == "Aanvraagformulier"
    assert zio["aardRelatieWeergave"] == "Hoort bij, omgekeerd: kent" and zio["url"].startswith(ZAKEN)
    assert r.headers["Location"] == zio["url"]
    assert (await suite.get_json(zaak["url"]))["zaakinformatieobjecten"] == [zio["url"]]
    assert await suite.get_json(f"{ZAKEN}/zaakinformatieobjecten?zaak={zaak['url']}") == [zio]
    assert await suite.get_json(f"{ZAKEN}/zaakinformatieobjecten?informatieobject={doc}") == [zio]
    assert await suite.get_json(zio["url"]) == zio

    r = await _relate(suite, zaak, doc)
    assert r.status_code == 400 and _codes(r) == [("nonFieldErrors", "unique")]

    r = await suite.client.patch(zio["url"], headers=headers(), json={"titel": "Formulier"})
    assert r.status_code == 200 and r.json()["titel"] == "Formulier"
    r = await suite.client.patch(zio["url"], headers=headers(), json={"informatieobject": f"{DRC}/enkelvoudig"
                                                                                          "informatieobjecten/x"})
    assert r.status_code == 400 and _codes(r) == [("informatieobject", "wijzigen-niet-toegelaten")]
    trail = await suite.get_json(f"{zaak['url']}/audittrail")
    assert [t["resource"] for t in trail[-2:]] == ["zaakinformatieobject", "zaakinformatieobject"]

    r = await suite.client.delete(zio["url"], headers=headers())
    assert r.status_code == 204
    assert (await suite.client.get(zio["url"], headers=headers())).status_code == 404
    assert (await suite.get_json(zaak["url"]))["zaakinformatieobjecten"] == []


async def test_an_informatieobject_that_cannot_be_fetched_is_a_clear_400(suite: Suite, drc: FakeDrc) -> None:
    zaak = await suite.open_zaak()
    elsewhere = "https://elders.example/documenten/api/v1/enkelvoudiginformatieobjecten/" \
                "6a1b2c3d-0000-4000-8000-000000000002"
    r = await _relate(suite, zaak, elsewhere)
    assert r.status_code == 400 and _codes(r) == [("informatieobject", "bad-url")]
    assert drc.calls == 0  # a URL outside the configured Documenten API is not fetched
    r = await _relate(suite, zaak, f"{DRC}/enkelvoudiginformatieobjecten/6a1b2c3d-0000-4000-8000-000000000003")
    assert r.status_code == 400 and _codes(r) == [("informatieobject", "bad-url")]
    drc.documents["6a1b2c3d-0000-4000-8000-000000000004"] = {"detail": "geen document"}
    r = await _relate(suite, zaak, f"{DRC}/enkelvoudiginformatieobjecten/6a1b2c3d-0000-4000-8000-000000000004")
    assert r.status_code == 400 and _codes(r) == [("informatieobject", "invalid-resource")]
    other = drc.add("6a1b2c3d-0000-4000-8000-000000000005",
                    "https://elders.example/catalogi/api/v1/informatieobjecttypen/6a1b2c3d-0000-4000-8000-00000000000f")
    r = await _relate(suite, zaak, other)
    assert r.status_code == 400 and _codes(r) == [("nonFieldErrors", "missing-zaaktype-informatieobjecttype-relation")]
    r = await suite.client.post(f"{ZAKEN}/zaakinformatieobjecten", headers=headers(), json={"zaak": zaak["url"]})
    assert r.status_code == 400 and _codes(r)[0][0] == "informatieobject"
    assert await suite.get_json(f"{ZAKEN}/zaakinformatieobjecten?zaak={zaak['url']}") == []


async def test_without_a_configured_documenten_api_the_endpoint_answers_400_not_404(suite: Suite) -> None:
    zaak = await suite.open_zaak()
    r = await _relate(suite, zaak, f"{DRC}/enkelvoudiginformatieobjecten/6a1b2c3d-0000-4000-8000-000000000001")
    assert r.status_code == 400 and _codes(r) == [("informatieobject", "bad-url")]
    assert r.headers["Content-Type"].startswith("application/problem+json")
