"""The Autorisaties API 1.0 as a standard ZGW client uses it: the bodies of VNG's collection, each validation
code of the standard with its body, the consumer lookup, the clientIds filter and the OpenAPI document."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import yaml

from gateway.app import create_app
from sds.runtime.apidocs import STATIC_FILES
from tests.gateway.conftest import bearer, gateway_settings, serve, token
from tests.support.openapi import assert_zgw_readable

BASE = "/autorisaties/api/v1/applicaties"
PUBLIC = "https://sds.example.nl"
ZAAKTYPE = f"{PUBLIC}/catalogi/api/v1/zaaktypen/0f3a8c1e-4a5b-4f0e-9a57-6b1f3c2d4e5f"
SECRET = "standaard-secret-0123456789-abcdef"


@pytest.fixture(scope="module")
def ac_url(upstream_url: str) -> Iterator[str]:
    with serve(create_app(gateway_settings(upstream_url, public_base_url=PUBLIC))) as url:
        yield url


@pytest.fixture
async def api(ac_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=ac_url, timeout=10, trust_env=False) as c:
        yield c


def standard_body(client_id: str, **autorisatie: Any) -> dict[str, Any]:
    """The body of VNG's "Registreer een applicatie" request, read-only componentWeergave included."""
    return {
        "clientIds": [client_id],
        "label": "Test applicatie",
        "autorisaties": [{
            "component": "zrc",
            "componentWeergave": "Zaakregistratiecomponent",
            "scopes": ["zaken.lezen"],
            "zaaktype": ZAAKTYPE,
            "maxVertrouwelijkheidaanduiding": "openbaar",
            **autorisatie,
        }],
    }


async def _count(api: httpx.AsyncClient) -> int:
    response = await api.get(BASE, headers=bearer())
    assert response.status_code == 200
    count: int = response.json()["count"]
    return count


async def _invalid(api: httpx.AsyncClient, response: httpx.Response) -> dict[str, str]:
    """The standard's ValidatieFout body; the invalidParams as name -> code."""
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert {"type", "code", "title", "status", "detail", "instance", "invalidParams"} <= set(body)
    assert body["status"] == 400 and body["code"] == "invalid"
    for param in body["invalidParams"]:
        assert set(param) == {"name", "code", "reason"} and param["reason"]
    return {p["name"]: p["code"] for p in body["invalidParams"]}


async def test_the_standard_collection_bodies_register_read_update_and_delete(api: httpx.AsyncClient) -> None:
    created = await api.post(BASE, headers=bearer(), json={**standard_body("oas-standaard"), "url": "http://x/y",
                                                           "uuid": "niet-van-de-client", "onbekend": True})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["url"] == created.headers["location"] == f"{PUBLIC}{BASE}/{body['uuid']}"
    assert body["uuid"] != "niet-van-de-client" and "onbekend" not in body
    assert body["clientIds"] == ["oas-standaard"] and body["heeftAlleAutorisaties"] is False
    assert body["autorisaties"] == [{"component": "zrc", "componentWeergave": "Zaakregistratiecomponent",
                                     "scopes": ["zaken.lezen"], "zaaktype": ZAAKTYPE,
                                     "maxVertrouwelijkheidaanduiding": "openbaar"}]

    # PUT with the body as the client sent it, one scope more (the collection's next request).
    changed = standard_body("oas-standaard", scopes=["zaken.lezen", "zaken.aanmaken"])
    replaced = await api.put(body["url"].removeprefix(PUBLIC), headers=bearer(), json=changed)
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["autorisaties"][0]["scopes"] == ["zaken.lezen", "zaken.aanmaken"]

    # PATCH with autorisaties only: the rest stays.
    patched = await api.patch(f"{BASE}/{body['uuid']}", headers=bearer(), json={"autorisaties": [
        {**changed["autorisaties"][0], "maxVertrouwelijkheidaanduiding": "vertrouwelijk"}]})
    assert patched.status_code == 200, patched.text
    assert patched.json()["label"] == "Test applicatie"
    assert patched.json()["autorisaties"][0]["maxVertrouwelijkheidaanduiding"] == "vertrouwelijk"

    # What was read can be sent back as it is: read-only fields are dropped, not refused.
    again = await api.put(f"{BASE}/{body['uuid']}", headers=bearer(), json=patched.json())
    assert again.status_code == 200 and again.json() == patched.json()

    assert (await api.delete(f"{BASE}/{body['uuid']}", headers=bearer())).status_code == 204
    assert (await api.get(f"{BASE}/{body['uuid']}", headers=bearer())).status_code == 404


async def test_each_component_of_the_standard_and_its_shape(api: httpx.AsyncClient) -> None:
    iot = f"{PUBLIC}/catalogi/api/v1/informatieobjecttypen/1d3a8c1e-4a5b-4f0e-9a57-6b1f3c2d4e5f"
    bt = f"{PUBLIC}/catalogi/api/v1/besluittypen/2d3a8c1e-4a5b-4f0e-9a57-6b1f3c2d4e5f"
    response = await api.post(BASE, headers=bearer(), json={"clientIds": ["alle-componenten"], "label": "Alles",
                                                            "autorisaties": [
        {"component": "ac", "scopes": ["autorisaties.lezen"]},
        {"component": "nrc", "scopes": ["notificaties.consumeren", "notificaties.publiceren"]},
        {"component": "ztc", "scopes": ["catalogi.lezen"]},
        {"component": "drc", "scopes": ["documenten.lezen"], "informatieobjecttype": iot,
         "maxVertrouwelijkheidaanduiding": "intern"},
        {"component": "brc", "scopes": ["besluiten.lezen"], "besluittype": bt},
        {"component": "intake", "scopes": ["intake.aanvragen.lezen"]},
    ]})
    assert response.status_code == 201, response.text
    assert response.json()["autorisaties"] == [
        {"component": "ac", "componentWeergave": "Autorisatiecomponent", "scopes": ["autorisaties.lezen"]},
        {"component": "nrc", "componentWeergave": "Notificatierouteringcomponent",
         "scopes": ["notificaties.consumeren", "notificaties.publiceren"]},
        {"component": "ztc", "componentWeergave": "Zaaktypecatalogus", "scopes": ["catalogi.lezen"]},
        {"component": "drc", "componentWeergave": "Documentregistratiecomponent", "scopes": ["documenten.lezen"],
         "informatieobjecttype": iot, "maxVertrouwelijkheidaanduiding": "intern"},
        {"component": "brc", "componentWeergave": "Besluitregistratiecomponent", "scopes": ["besluiten.lezen"],
         "besluittype": bt},
        {"component": "intake", "componentWeergave": "Intake (Sociaal Domein Suite)",
         "scopes": ["intake.aanvragen.lezen"]},
    ]


async def test_each_validation_code_of_the_standard(api: httpx.AsyncClient) -> None:
    before = await _count(api)

    both = {**standard_body("dubbelzinnig"), "heeftAlleAutorisaties": True}
    assert await _invalid(api, await api.post(BASE, headers=bearer(), json=both)) == {
        "nonFieldErrors": "ambiguous-authorizations-specified"}
    for none in ({"clientIds": ["niets"], "label": "x", "autorisaties": []}, {"clientIds": ["niets"], "label": "x"}):
        assert await _invalid(api, await api.post(BASE, headers=bearer(), json=none)) == {
            "nonFieldErrors": "missing-authorizations"}

    # A zaken scope on zrc needs the zaaktype and the highest vertrouwelijkheidaanduiding; documenten on drc
    # the informatieobjecttype and it; besluiten on brc the besluittype.
    body = {"clientIds": ["onvolledig"], "label": "x", "autorisaties": [
        {"component": "zrc", "scopes": ["zaken.lezen"]},
        {"component": "drc", "scopes": ["documenten.lezen"], "zaaktype": ""},
        {"component": "brc", "scopes": ["besluiten.lezen"]},
        {"component": "zrc", "scopes": ["audittrails.lezen"]},  # no zaken scope: nothing required
    ]}
    assert await _invalid(api, await api.post(BASE, headers=bearer(), json=body)) == {
        "autorisaties.0.zaaktype": "required", "autorisaties.0.maxVertrouwelijkheidaanduiding": "required",
        "autorisaties.1.informatieobjecttype": "required", "autorisaties.1.maxVertrouwelijkheidaanduiding": "required",
        "autorisaties.2.besluittype": "required"}

    # The suite's old component names are no component of the standard.
    body = {"clientIds": ["fout"], "label": "x", "autorisaties": [{"component": "zaken", "scopes": ["zaken.lezen"]}]}
    assert await _invalid(api, await api.post(BASE, headers=bearer(), json=body)) == {
        "autorisaties.0.component": "invalid_choice"}
    body = {"clientIds": ["fout"], "label": "x", "autorisaties": [
        {"component": "zrc", "scopes": ["zaken.lezen"], "zaaktype": "geen-url",
         "maxVertrouwelijkheidaanduiding": "streng_geheim"},
        {"component": "ztc", "scopes": ["catalogi.lezen"], "besluittype": ZAAKTYPE},
    ]}
    assert await _invalid(api, await api.post(BASE, headers=bearer(), json=body)) == {
        "autorisaties.0.zaaktype": "invalid", "autorisaties.0.maxVertrouwelijkheidaanduiding": "invalid_choice",
        "autorisaties.1.besluittype": "invalid"}

    assert await _invalid(api, await api.post(BASE, headers=bearer(), json={"autorisaties": []})) == {
        "clientIds": "required", "label": "required"}
    assert await _invalid(api, await api.post(BASE, headers=bearer(), json={
        **standard_body("x"), "clientIds": [], "label": "l" * 101})) == {"clientIds": "min_length",
                                                                         "label": "max_length"}
    assert await _invalid(api, await api.post(BASE, headers=bearer(), json=[])) == {"nonFieldErrors": "invalid"}

    # A client id belongs to one applicatie: on create, and on an update of another.
    first = await api.post(BASE, headers=bearer(), json=standard_body("eens-gebruikt"))
    other = await api.post(BASE, headers=bearer(), json=standard_body("ander"))
    assert first.status_code == other.status_code == 201
    taken = await api.post(BASE, headers=bearer(), json=standard_body("eens-gebruikt"))
    assert await _invalid(api, taken) == {"clientIds": "clientId-exists"}
    assert "eens-gebruikt" in taken.json()["invalidParams"][0]["reason"]
    moved = await api.patch(f"{BASE}/{other.json()['uuid']}", headers=bearer(), json={"clientIds": ["eens-gebruikt"]})
    assert await _invalid(api, moved) == {"clientIds": "clientId-exists"}

    # PATCH is checked against what is stored: heeftAlleAutorisaties beside the stored autorisaties is ambiguous.
    ambiguous = await api.patch(f"{BASE}/{first.json()['uuid']}", headers=bearer(),
                                json={"heeftAlleAutorisaties": True})
    assert await _invalid(api, ambiguous) == {"nonFieldErrors": "ambiguous-authorizations-specified"}
    switched = await api.patch(f"{BASE}/{first.json()['uuid']}", headers=bearer(),
                               json={"heeftAlleAutorisaties": True, "autorisaties": []})
    assert switched.status_code == 200 and switched.json()["autorisaties"] == []

    # Nothing of the refused requests was stored.
    assert await _count(api) == before + 2
    listed = await api.get(BASE, headers=bearer(), params={"clientIds": "dubbelzinnig,niets,onvolledig,fout,x"})
    assert listed.json()["count"] == 0


async def test_consumer_and_the_client_ids_filter(api: httpx.AsyncClient) -> None:
    a = (await api.post(BASE, headers=bearer(), json={**standard_body("consument-a"),
                                                      "clientIds": ["consument-a", "consument-a2"]})).json()
    b = (await api.post(BASE, headers=bearer(), json=standard_body("consument-b"))).json()

    found = await api.get(f"{BASE}/consumer", headers=bearer(), params={"clientId": "consument-a2"})
    assert found.status_code == 200, found.text
    assert found.json() == a
    missing = await api.get(f"{BASE}/consumer", headers=bearer(), params={"clientId": "bestaat-niet"})
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")
    assert await _invalid(api, await api.get(f"{BASE}/consumer", headers=bearer())) == {"clientId": "required"}

    listed = (await api.get(BASE, headers=bearer(), params={"clientIds": "consument-a,consument-b"})).json()
    assert listed["count"] == 2 and sorted(r["uuid"] for r in listed["results"]) == sorted([a["uuid"], b["uuid"]])
    only_b = (await api.get(BASE, headers=bearer(), params={"clientIds": "consument-b", "page": 1})).json()
    assert [r["uuid"] for r in only_b["results"]] == [b["uuid"]]

    # The consumer lookup is reading: autorisaties.lezen (component ac), nothing less.
    lezer = await api.post(BASE, headers=bearer(), json={
        "clientIds": ["ac-lezer"], "label": "Lezer", "secret": SECRET,
        "autorisaties": [{"component": "ac", "scopes": ["autorisaties.lezen"]}]})
    assert lezer.status_code == 201
    own = {"authorization": f"Bearer {token(client_id='ac-lezer', secret=SECRET)}"}
    assert (await api.get(f"{BASE}/consumer", headers=own, params={"clientId": "consument-b"})).json() == b
    await api.patch(lezer.json()["url"].removeprefix(PUBLIC), headers=bearer(), json={
        "autorisaties": [{"component": "ztc", "scopes": ["catalogi.lezen"]}]})
    refused = await api.get(f"{BASE}/consumer", headers=own, params={"clientId": "consument-b"})
    assert refused.status_code == 403


async def test_an_applicatie_registered_without_secret_signs_nothing_until_it_has_one(api: httpx.AsyncClient) -> None:
    created = await api.post(BASE, headers=bearer(), json={"clientIds": ["zonder-secret"], "label": "x",
                                                           "heeftAlleAutorisaties": True})
    assert created.status_code == 201, created.text
    for secret in ("een-ander-secret-0123456789-abcdefgh", SECRET):
        own = {"authorization": f"Bearer {token(client_id='zonder-secret', secret=secret)}"}
        assert (await api.get(BASE, headers=own)).status_code == 401
    await api.patch(f"{BASE}/{created.json()['uuid']}", headers=bearer(), json={"secret": SECRET})
    own = {"authorization": f"Bearer {token(client_id='zonder-secret', secret=SECRET)}"}
    assert (await api.get(BASE, headers=own)).status_code == 200


async def test_the_openapi_document_is_served_without_a_token_where_zgw_clients_look(api: httpx.AsyncClient) -> None:
    response = await api.get("/autorisaties/api/v1/openapi.json")
    assert response.status_code == 200, response.text
    doc = response.json()
    assert_zgw_readable(doc, "/autorisaties/api/v1", PUBLIC)
    assert doc["info"]["title"] == "Autorisaties API" and doc["info"]["version"] == "1.0.0"
    assert {"/applicaties", "/applicaties/consumer", "/applicaties/{uuid}"} <= set(doc["paths"])
    item = doc["paths"]["/applicaties/{uuid}"]
    assert {m: o["operationId"] for m, o in item.items()} == {
        "get": "applicatie_read", "put": "applicatie_update", "patch": "applicatie_partial_update",
        "delete": "applicatie_delete"}
    component = doc["components"]["schemas"]["AutorisatieIn"]["properties"]["component"]
    assert {"ac", "nrc", "zrc", "ztc", "drc", "brc", "intake"} <= set(component["enum"])
    body = doc["paths"]["/applicaties"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Applicatie"
    as_yaml = await api.get("/autorisaties/api/v1/schema/openapi.yaml")
    assert as_yaml.status_code == 200 and yaml.safe_load(as_yaml.text) == doc
    page = await api.get("/autorisaties/api/v1/schema")
    assert page.status_code == 200 and '"/autorisaties/api/v1/schema/openapi.yaml"' in page.text
    for name in STATIC_FILES:
        assert (await api.get(f"/autorisaties/api/v1/schema/static/{name}")).status_code == 200
