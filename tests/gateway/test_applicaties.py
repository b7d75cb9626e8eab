"""The Autorisaties API of the gateway against a real gateway (archetype geclusterd-integraal-elders,
whose jeugdzorg cluster is run by an external party) in front of the echo upstream."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from tests.gateway.conftest import bearer, gateway_settings, serve, token
from tests.gateway.upstream import seen

BASE = "/autorisaties/api/v1/applicaties"
SECRET = "partij-secret-0123456789-abcdef-0123456789"


@pytest.fixture(scope="module")
def applicaties_url(upstream_url: str) -> Iterator[str]:
    settings = gateway_settings(upstream_url, archetype="geclusterd-integraal-elders",
                                public_base_url="https://sds.example.nl")
    with serve(create_app(settings)) as url:
        yield url


@pytest.fixture
async def api(applicaties_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=applicaties_url, timeout=10, trust_env=False) as c:
        yield c


def jeugdzorg_partij(client_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "clientIds": [client_id],
        "label": "Regionale jeugdhulp",
        "secret": SECRET,
        "clusters": ["jeugdzorg"],
        "autorisaties": [{"component": "zrc", "scopes": ["zaken.lezen", "zaken.aanmaken"],
                          "maxVertrouwelijkheidaanduiding": "vertrouwelijk"}],
        **extra,
    }


def own(client_id: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token(client_id=client_id, secret=SECRET)}"}


async def test_create_read_list_update_patch_delete(api: httpx.AsyncClient) -> None:
    created = await api.post(BASE, json=jeugdzorg_partij("jeugdhulp-crud"), headers=bearer())
    assert created.status_code == 201, created.text
    body = created.json()
    assert created.headers["location"] == body["url"] == f"https://sds.example.nl{BASE}/{body['uuid']}"
    assert "secret" not in body
    # Limited to its cluster: the kolommen are the cluster's.
    assert body["clusters"] == ["jeugdzorg"] and body["kolommen"] == ["jeugd"]
    assert body["heeftAlleAutorisaties"] is False
    # The standard's shape of a zrc grant: its zaaktype ("" for one limited by the cluster's kolommen instead).
    assert body["autorisaties"] == [{"component": "zrc", "componentWeergave": "Zaakregistratiecomponent",
                                     "scopes": ["zaken.lezen", "zaken.aanmaken"], "zaaktype": "",
                                     "maxVertrouwelijkheidaanduiding": "vertrouwelijk"}]

    read = await api.get(f"{BASE}/{body['uuid']}", headers=bearer())
    assert read.status_code == 200 and read.json() == body

    listed = await api.get(BASE, params={"pageSize": 1}, headers=bearer())
    page = listed.json()
    assert page["count"] >= 1 and len(page["results"]) == 1 and page["previous"] is None
    assert all("secret" not in r for r in page["results"])
    if page["count"] > 1:
        assert page["next"].startswith(f"https://sds.example.nl{BASE}?") and "page=2" in page["next"]

    replaced = await api.put(f"{BASE}/{body['uuid']}", headers=bearer(),
                             json={**jeugdzorg_partij("jeugdhulp-crud"), "label": "Jeugdhulp regio", "secret": None})
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["label"] == "Jeugdhulp regio"

    patched = await api.patch(f"{BASE}/{body['uuid']}", json={"clientIds": ["jeugdhulp-crud", "jeugdhulp-crud-2"]},
                              headers=bearer())
    assert patched.status_code == 200, patched.text
    assert patched.json()["clientIds"] == ["jeugdhulp-crud", "jeugdhulp-crud-2"]
    assert patched.json()["label"] == "Jeugdhulp regio"
    # The secret given at creation survived PUT without one and PATCH: the new client id signs with it.
    assert (await api.get(f"{BASE}/{body['uuid']}", headers=own("jeugdhulp-crud-2"))).status_code == 403

    assert (await api.delete(f"{BASE}/{body['uuid']}", headers=bearer())).status_code == 204
    assert (await api.get(f"{BASE}/{body['uuid']}", headers=bearer())).status_code == 404
    assert (await api.delete(f"{BASE}/{body['uuid']}", headers=bearer())).status_code == 404
    assert (await api.patch(f"{BASE}/{body['uuid']}", json={"label": "x"}, headers=bearer())).status_code == 404


def _params(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "invalid"
    return {p["name"]: p["code"] for p in response.json()["invalidParams"]}


async def test_validation_names_each_problem(api: httpx.AsyncClient) -> None:
    params = _params(await api.post(BASE, headers=bearer(), json=jeugdzorg_partij(
        "jeugdhulp-fout", clusters=["jeugdzorg", "sport"], kolommen=["jeugd", "onderwijs"])))
    assert params == {"clusters.1": "unknown_cluster", "kolommen.1": "unknown_kolom"}

    # An external party's kolommen must lie inside its cluster.
    params = _params(await api.post(BASE, headers=bearer(),
                                    json=jeugdzorg_partij("jeugdhulp-fout", kolommen=["jeugd", "wmo"])))
    assert params == {"kolommen": "outside_clusters"}

    params = _params(await api.post(BASE, headers=bearer(), json={
        "clientIds": ["a", "a"], "label": "x", "secret": "kort",
        "autorisaties": [{"component": "zrc", "scopes": ["zaken.lezen"], "kolom": "wmo",
                          "maxVertrouwelijkheidaanduiding": "heel_geheim"}],
        "kolommen": ["jeugd"],
    }))
    assert params == {"clientIds": "unique", "secret": "min_length",
                      "autorisaties.0.maxVertrouwelijkheidaanduiding": "invalid_choice",
                      "autorisaties.0.kolom": "outside_kolommen"}

    # An autorisatie naming a kolom the profile does not have: 400, never a 500 (issue 18, bad input).
    params = _params(await api.post(BASE, headers=bearer(), json={
        "clientIds": ["b"], "label": "x", "secret": SECRET,
        "autorisaties": [{"component": "zrc", "scopes": ["zaken.lezen"], "kolom": "sport",
                          "maxVertrouwelijkheidaanduiding": "geheim"}]}))
    assert params == {"autorisaties.0.kolom": "unknown_kolom"}

    # An unknown field is ignored (as the ZGW reference does); an unknown component is not.
    params = _params(await api.post(BASE, headers=bearer(), json={"label": "zonder client", "onbekend": 1,
                                                                   "autorisaties": [{"component": "zaken"}]}))
    assert params == {"clientIds": "required", "autorisaties.0.component": "invalid_choice",
                      "autorisaties.0.scopes": "required"}

    # A client id belongs to one applicatie, and the bootstrap client's is taken.
    assert (await api.post(BASE, headers=bearer(), json=jeugdzorg_partij("jeugdhulp-dubbel"))).status_code == 201
    assert _params(await api.post(BASE, headers=bearer(), json=jeugdzorg_partij("jeugdhulp-dubbel"))) == {
        "clientIds": "clientId-exists"}
    assert _params(await api.post(BASE, headers=bearer(), json=jeugdzorg_partij("gemeente-test"))) == {
        "clientIds": "clientId-exists"}
    assert (await api.get(f"{BASE}/bestaat-niet", headers=bearer())).status_code == 404


async def test_only_the_admin_scope_manages_applicaties(api: httpx.AsyncClient) -> None:
    lezer = await api.post(BASE, headers=bearer(), json={
        "clientIds": ["lezer"], "label": "Lezer", "secret": SECRET,
        "autorisaties": [{"component": "ac", "scopes": ["autorisaties.lezen"]}]})
    beheerder = await api.post(BASE, headers=bearer(), json={
        "clientIds": ["beheerder"], "label": "Beheerder", "secret": SECRET,
        "autorisaties": [{"component": "ac", "scopes": ["autorisaties.bijwerken"]}]})
    partij = await api.post(BASE, headers=bearer(), json=jeugdzorg_partij("jeugdhulp-rechten"))
    assert {lezer.status_code, beheerder.status_code, partij.status_code} == {201}
    uuid = partij.json()["uuid"]

    assert (await api.get(BASE)).status_code == 401
    assert (await api.get(BASE, headers={"authorization": "Bearer nep"})).status_code == 401
    for headers in (own("jeugdhulp-rechten"), own("lezer")):
        for response in (await api.post(BASE, headers=headers, json=jeugdzorg_partij("nieuw")),
                         await api.patch(f"{BASE}/{uuid}", headers=headers, json={"label": "overgenomen"}),
                         await api.delete(f"{BASE}/{uuid}", headers=headers)):
            assert response.status_code == 403, response.text
            assert response.json()["code"] == "permission_denied"
    assert (await api.get(BASE, headers=own("jeugdhulp-rechten"))).status_code == 403
    assert (await api.get(BASE, headers=own("lezer"))).status_code == 200
    patched = await api.patch(f"{BASE}/{uuid}", headers=own("beheerder"), json={"label": "Door beheerder"})
    assert patched.status_code == 200 and patched.json()["label"] == "Door beheerder"


async def test_a_created_client_calls_through_with_its_own_token(api: httpx.AsyncClient) -> None:
    before = await api.get("/zaken/api/v1/zaken", headers=own("jeugdhulp-door"))
    assert before.status_code == 401  # unknown, and that answer is cached as unknown

    created = await api.post(BASE, headers=bearer(), json=jeugdzorg_partij("jeugdhulp-door"))
    assert created.status_code == 201
    response = await api.get("/zaken/api/v1/zaken", headers=own("jeugdhulp-door"))
    assert response.status_code == 200, response.text
    ctx = seen[response.headers["x-request-id"]]["auth"]
    assert ctx["client_id"] == "jeugdhulp-door"
    assert ctx["user_id"] == "u123"
    assert ctx["heeft_alle_autorisaties"] is False
    assert ctx["clusters"] == ["jeugdzorg"] and ctx["kolommen"] == ["jeugd"]
    # Limited to its cluster: the grant without a kolom reaches the service as a grant per kolom it serves.
    assert ctx["autorisaties"] == [{"component": "zrc", "scopes": ["zaken.lezen", "zaken.aanmaken"],
                                    "zaaktype": None, "informatieobjecttype": None, "besluittype": None,
                                    "catalogus": None, "kolom": "jeugd",
                                    "max_vertrouwelijkheidaanduiding": "vertrouwelijk"}]

    # A change takes effect at once, also for a token the gateway had already verified.
    uuid = created.json()["uuid"]
    await api.patch(f"{BASE}/{uuid}", headers=bearer(), json={
        "autorisaties": [{"component": "zrc", "scopes": ["zaken.lezen"], "maxVertrouwelijkheidaanduiding": "intern"}]})
    response = await api.get("/zaken/api/v1/zaken", headers=own("jeugdhulp-door"))
    assert seen[response.headers["x-request-id"]]["auth"]["autorisaties"][0]["scopes"] == ["zaken.lezen"]

    # A new secret replaces the old one: tokens signed with the old one stop working.
    new_secret = "een-nieuw-secret-0123456789-0123456789"
    await api.patch(f"{BASE}/{uuid}", headers=bearer(), json={"secret": new_secret})
    assert (await api.get("/zaken/api/v1/zaken", headers=own("jeugdhulp-door"))).status_code == 401
    fresh = {"authorization": f"Bearer {token(client_id='jeugdhulp-door', secret=new_secret)}"}
    assert (await api.get("/zaken/api/v1/zaken", headers=fresh)).status_code == 200

    assert (await api.delete(f"{BASE}/{uuid}", headers=bearer())).status_code == 204
    assert (await api.get("/zaken/api/v1/zaken", headers=fresh)).status_code == 401


def test_without_a_profile_kolommen_are_still_checked(upstream_url: str) -> None:
    with serve(create_app(gateway_settings(upstream_url))) as url, httpx.Client(base_url=url) as c:
        response = c.post(BASE, headers=bearer(), json={"clientIds": ["x"], "label": "x", "secret": SECRET,
                                                        "kolommen": ["wmo", "sport"], "clusters": ["eigen"],
                                                        "heeftAlleAutorisaties": True})
        assert _params(response) == {"kolommen.1": "unknown_kolom"}
        response = c.post(BASE, headers=bearer(), json={"clientIds": ["x"], "label": "x", "secret": SECRET,
                                                        "kolommen": ["wmo"], "clusters": ["eigen"],
                                                        "heeftAlleAutorisaties": True})
        assert response.status_code == 201
        assert response.json()["clusters"] == ["eigen"] and response.json()["kolommen"] == ["wmo"]
