"""Routing per cluster through the real gateway: two service instances, an external party, real sockets.

The profile is the shipped geclusterd-integraal-elders with zaken and intake of cluster inkomen
(participatie, schuldhulp) on an instance of their own (B) and the default on A; jeugd and zorg are at
an external party, called with that party's credentials.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from sds.runtime.jwt_zgw import encode_jwt_zgw
from tests.gateway.clusterfakes import (
    INKOMEN,
    JEUGD_SECRET_ENV,
    ZAAK,
    ZAAKTYPE,
    ZORG_SECRET_ENV,
    Partij,
    Seen,
    instance,
    partij,
    write_profile,
    zaaktype_url,
)
from tests.gateway.conftest import INTERNAL_SECRET, bearer, gateway_settings, serve

JEUGD_SECRET = "geheim-van-de-regionale-jeugdorganisatie-0123"
PARTIJ_CLIENT_ID = "gemeente-voorbeeld"
SECRET = "een-secret-van-de-applicatie-0123456789"


@dataclass
class Suite:
    url: str
    a: Seen
    b: Seen
    partij: Partij
    evil: Seen
    evil_url: str


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    mp = pytest.MonkeyPatch()
    mp.setenv(JEUGD_SECRET_ENV, JEUGD_SECRET)
    mp.delenv(ZORG_SECRET_ENV, raising=False)  # the zorgverzekeraar's secret is missing
    app_a, seen_a = instance("A", INTERNAL_SECRET)
    app_b, seen_b = instance("B", INTERNAL_SECRET, catalogue=False)
    app_p, seen_p = partij(JEUGD_SECRET, PARTIJ_CLIENT_ID)
    app_e, seen_e = instance("evil", INTERNAL_SECRET)
    try:
        with serve(app_a) as a, serve(app_b) as b, serve(app_p) as p, serve(app_e) as e:
            profile = write_profile(tmp_path_factory.mktemp("profiel"), partij_url=p, instance_url=b)
            settings = gateway_settings(a, archetype=profile, partij_client_id=PARTIJ_CLIENT_ID,
                                        rate_limit_per_second=0)
            with serve(create_app(settings)) as url:
                yield Suite(url, seen_a, seen_b, seen_p, seen_e, e)
    finally:
        mp.undo()


@pytest.fixture
def gw(suite: Suite) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=suite.url, timeout=10, trust_env=False) as c:
        yield c


def _applicatie(gw: httpx.Client, client_id: str, *, clusters: list[str], autorisaties: list[dict[str, Any]]
                ) -> dict[str, str]:
    response = gw.post("/autorisaties/api/v1/applicaties", headers=bearer(), json={
        "clientIds": [client_id], "label": client_id, "secret": SECRET, "clusters": clusters,
        "autorisaties": autorisaties})
    assert response.status_code in (201, 400), response.text
    if response.status_code == 400:  # made by an earlier test of this module
        assert response.json()["invalidParams"][0]["code"] == "clientId-exists"
    return {"authorization": f"Bearer {encode_jwt_zgw(client_id, SECRET, user_id='m1')}"}


def _inkomen_worker(gw: httpx.Client) -> dict[str, str]:
    return _applicatie(gw, "inkomen-team", clusters=[INKOMEN], autorisaties=[
        {"component": "zrc", "scopes": ["zaken.lezen"], "maxVertrouwelijkheidaanduiding": "zeer_geheim"},
        {"component": "intake", "scopes": ["intake.lezen"]}])


def _jeugd_partij(gw: httpx.Client) -> dict[str, str]:
    return _applicatie(gw, "regio-jeugd", clusters=["jeugdzorg"], autorisaties=[
        {"component": "intake", "scopes": ["intake.statusberichten"]}])


def test_a_zaaktype_in_the_query_goes_to_its_clusters_instance_and_is_looked_up_once(suite: Suite,
                                                                                    gw: httpx.Client) -> None:
    params = {"zaaktype": zaaktype_url("schuldhulp")}
    first = gw.get("/zaken/api/v1/zaken", params=params, headers=bearer())
    assert first.status_code == 200 and first.json()["instance"] == "B"
    lookups = suite.a.lookups
    assert lookups >= 2  # the zaaktype, then its catalogus: at the default zaken (A)
    second = gw.get("/zaken/api/v1/zaken", params=params, headers=bearer())
    assert second.json()["instance"] == "B"
    assert suite.a.lookups == lookups  # a published zaaktype is looked up once
    # Without a zaaktype (and a client of no single cluster): the default.
    assert gw.get("/zaken/api/v1/zaken", headers=bearer()).json()["instance"] == "A"
    # An integral catalogus, or a zaaktype nobody knows: the default as well.
    assert gw.get("/zaken/api/v1/zaken", params={"zaaktype": zaaktype_url("integraal")},
                  headers=bearer()).json()["instance"] == "A"
    unknown = "http://gateway.test/catalogi/api/v1/zaaktypen/99999999-9999-4999-8999-999999999999"
    assert gw.get("/zaken/api/v1/zaken", params={"zaaktype": unknown}, headers=bearer()).json()["instance"] == "A"


def test_a_zaaktype_in_the_json_body_routes_and_the_body_arrives_unchanged(suite: Suite, gw: httpx.Client) -> None:
    body = {"zaaktype": zaaktype_url("schuldhulp"), "omschrijving": "schulden", "bronorganisatie": "123456782"}
    response = gw.post("/zaken/api/v1/zaken", json=body, headers=bearer())
    assert response.status_code == 200
    assert response.json()["instance"] == "B"
    assert httpx.Response(200, content=response.json()["body"]).json() == body


def test_the_zaaktype_url_is_never_called_only_its_uuid_is_looked_up(suite: Suite, gw: httpx.Client) -> None:
    before = (len(suite.evil.requests), suite.evil.lookups)
    host = suite.evil_url
    response = gw.get("/zaken/api/v1/zaken", params={"zaaktype": zaaktype_url("schuldhulp", host=host)},
                      headers=bearer())
    assert response.json()["instance"] == "B"  # the kolom came from the gateway's own catalogue
    assert (len(suite.evil.requests), suite.evil.lookups) == before


def test_an_extern_cluster_goes_to_the_party_with_its_credentials(suite: Suite, gw: httpx.Client) -> None:
    response = gw.get("/zaken/api/v1/zaken", params={"zaaktype": zaaktype_url("jeugd")}, headers=bearer())
    assert response.status_code == 200, response.text
    assert response.json()["partij"] is True
    call = suite.partij.requests[-1]
    assert call["path"] == "/v1/zaken/api/v1/zaken"
    assert call["client_id"] == PARTIJ_CLIENT_ID  # the token was signed with the party's secret
    # Nothing of the suite's inside goes out: no internal auth context, no caller's address.
    assert "x-sds-auth" not in call["headers"] and "x-forwarded-for" not in call["headers"]
    # The catalogue stays the municipality's: catalogi of a jeugd zaaktype is answered inside.
    catalogi = gw.get("/catalogi/api/v1/statustypen", params={"zaaktype": zaaktype_url("jeugd")}, headers=bearer())
    assert catalogi.json()["instance"] == "A"


def test_a_party_whose_secret_is_missing_is_not_called(suite: Suite, gw: httpx.Client) -> None:
    calls = len(suite.partij.requests)
    response = gw.get("/zaken/api/v1/zaken", params={"zaaktype": zaaktype_url("wmo")}, headers=bearer())
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "credentials" in response.json()["detail"]
    assert len(suite.partij.requests) == calls


def test_a_client_of_one_cluster_goes_to_that_clusters_instance(suite: Suite, gw: httpx.Client) -> None:
    worker = _inkomen_worker(gw)
    response = gw.get("/intake/api/v1/aanvragen", headers=worker)
    assert response.json()["instance"] == "B"
    assert response.json()["auth"]["clusters"] == [INKOMEN]


def test_new_aanvragen_go_to_intake_by_the_kolommen_of_their_questions(suite: Suite, gw: httpx.Client) -> None:
    def filed(vragen: list[dict[str, str]]) -> str:
        response = gw.post("/intake/api/v1/aanvragen", json={"vragen": vragen}, headers=bearer())
        assert response.status_code == 200
        return str(response.json()["instance"])

    assert filed([{"leefgebied": "schulden", "kolom": "schuldhulp"},
                  {"leefgebied": "werk", "kolom": "participatie"}]) == "B"
    # Questions in two clusters, or one whose kolom intake must still work out: intake's default.
    assert filed([{"leefgebied": "schulden", "kolom": "schuldhulp"}, {"leefgebied": "opvoeding", "kolom": "jeugd"}]) \
        == "A"
    assert filed([{"leefgebied": "schulden", "kolom": "schuldhulp"}, {"leefgebied": "werk"}]) == "A"
    # Delegated kolommen too: intake triages and delegates, the gateway never sends an aanvraag out itself.
    calls = len(suite.partij.requests)
    assert filed([{"leefgebied": "opvoeding", "kolom": "jeugd"}]) == "A"
    assert len(suite.partij.requests) == calls
    # Even a client of one cluster files a mixed aanvraag at the default: the questions decide.
    mixed = gw.post("/intake/api/v1/aanvragen", headers=_inkomen_worker(gw), json={"vragen": [
        {"leefgebied": "schulden", "kolom": "schuldhulp"}, {"leefgebied": "opvoeding", "kolom": "jeugd"}]})
    assert mixed.json()["instance"] == "A"


def test_a_client_of_one_cluster_gets_nothing_of_another_clusters_zaken(suite: Suite, gw: httpx.Client) -> None:
    worker = _inkomen_worker(gw)
    partij_calls = len(suite.partij.requests)

    listing = gw.get("/zaken/api/v1/zaken", headers=worker)
    assert listing.status_code == 200
    assert [z["kolom"] for z in listing.json()["results"]] == ["schuldhulp"]

    for kolom in ("jeugd", "wmo"):
        # Naming the other cluster's zaaktype does not take the request there (nor to its party).
        named = gw.get("/zaken/api/v1/zaken", params={"zaaktype": zaaktype_url(kolom)}, headers=worker)
        assert named.status_code == 200 and named.json()["count"] == 0
        assert named.json()["instance"] == "B"
        zoek = gw.post("/zaken/api/v1/zaken/_zoek", json={"zaaktype": zaaktype_url(kolom)}, headers=worker)
        assert zoek.status_code == 200 and zoek.json()["count"] == 0
        detail = gw.get(f"/zaken/api/v1/zaken/{ZAAK[kolom]}", headers=worker)
        assert detail.status_code == 404
    assert gw.get(f"/zaken/api/v1/zaken/{ZAAK['schuldhulp']}", headers=worker).status_code == 200
    assert len(suite.partij.requests) == partij_calls

    # The service got grants per kolom of the client's cluster, whatever the applicatie said.
    grants = suite.b.requests[-1]["auth"]["autorisaties"]
    assert sorted(g["kolom"] for g in grants if g["component"] == "zrc") == ["participatie", "schuldhulp"]


def test_the_partys_own_applicatie_reaches_its_statusberichten_and_no_zaken(suite: Suite, gw: httpx.Client) -> None:
    own = _jeugd_partij(gw)
    partij_calls = len(suite.partij.requests)
    # Its zaken requests, even with its own cluster's zaaktype, stay inside (never back out to itself)
    # and find no grant there.
    for params in ({}, {"zaaktype": zaaktype_url("jeugd")}):
        listing = gw.get("/zaken/api/v1/zaken", params=params, headers=own)
        assert listing.status_code == 200 and listing.json()["count"] == 0
    assert gw.get(f"/zaken/api/v1/zaken/{ZAAK['jeugd']}", headers=own).status_code == 404
    assert gw.post("/zaken/api/v1/zaken/_zoek", json={"zaaktype": zaaktype_url("jeugd")},
                   headers=own).json()["count"] == 0
    assert len(suite.partij.requests) == partij_calls

    report = {"aanvraag": "http://gateway.test/intake/api/v1/aanvragen/44444444-4444-4444-8444-000000000001",
              "externeReferentie": "RJ-1", "soort": "status", "status": "in-behandeling"}
    response = gw.post("/intake/api/v1/statusberichten", json=report, headers=own)
    assert response.json()["instance"] == "A"
    ctx = response.json()["auth"]
    assert ctx["client_id"] == "regio-jeugd" and ctx["clusters"] == ["jeugdzorg"] and ctx["kolommen"] == ["jeugd"]
    assert ctx["heeft_alle_autorisaties"] is False
    assert ctx["autorisaties"] == [{"component": "intake", "scopes": ["intake.statusberichten"], "zaaktype": None,
                                    "informatieobjecttype": None, "besluittype": None, "catalogus": None,
                                    "kolom": None, "max_vertrouwelijkheidaanduiding": None}]


def test_without_per_cluster_upstreams_no_cluster_work_is_done(tmp_path: Path) -> None:
    app_a, seen_a = instance("A", INTERNAL_SECRET)
    with serve(app_a) as a:
        settings = gateway_settings(a, archetype="transitie-proof")
        gateway = create_app(settings)
        assert gateway.clusters is None
        with serve(gateway) as url, httpx.Client(base_url=url) as c:
            response = c.get("/zaken/api/v1/zaken", params={"zaaktype": zaaktype_url("jeugd")}, headers=bearer())
            assert response.json()["instance"] == "A"
    assert seen_a.lookups == 0
    assert ZAAKTYPE  # the ids the stand-ins know


def test_explain_says_how_the_gateway_picks_the_upstream(tmp_path: Path) -> None:
    from sds.profiles import explain, load_profile

    text = " ".join(explain(load_profile(write_profile(tmp_path, partij_url="http://127.0.0.1:9",
                                                       instance_url="http://127.0.0.1:8"))).split())
    assert "intake and zaken run per cluster" in text
    assert "only when every question states a kolom of that one cluster" in text
    assert ("/zaken requests of cluster jeugdzorg go to partij regionale-jeugdorganisatie at http://127.0.0.1:9/v1"
            in text)
    plain = " ".join(explain(load_profile("transitie-proof")).split())
    assert "the gateway does no cluster work" in plain


def test_suite_health_includes_each_clusters_instance(suite: Suite, gw: httpx.Client) -> None:
    parts = gw.get("/health").json()["parts"]
    assert parts[f"zaken@{INKOMEN}"]["url"] == parts["intake@" + INKOMEN]["url"] != parts["zaken"]["url"]
    assert not any(name.startswith("partij:") for name in parts)
