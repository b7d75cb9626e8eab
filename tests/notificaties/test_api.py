"""The Notificaties API 1.0: kanalen, abonnementen with the callbackUrl check, scopes, and bad input as 400."""

from __future__ import annotations

import pytest

from sds.runtime.auth import AuthContext, Autorisatie
from tests.notificaties.conftest import API, Nrc, abonnee, headers, publicist
from tests.notificaties.receiver import Receiver
from tests.support.natsserver import free_port

ZAKEN = [{"naam": "zaken", "filters": {}}]


def codes(body: dict) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    return {(p["name"], p["code"]) for p in body.get("invalidParams") or []}


async def test_the_suites_kanalen_are_there(nrc: Nrc) -> None:
    r = await nrc.call("GET", "/kanaal", abonnee())
    assert r.status_code == 200
    namen = {k["naam"] for k in r.json()}
    assert {"zaken", "zaaktypen", "besluiten", "aanvragen", "signalen", "klantgegevens", "financien"} <= namen
    zaken = (await nrc.call("GET", "/kanaal", abonnee(), params={"naam": "zaken"})).json()
    assert [k["filters"] for k in zaken] == [["bronorganisatie", "zaaktype", "vertrouwelijkheidaanduiding"]]
    detail = await nrc.call("GET", zaken[0]["url"], abonnee())
    assert detail.status_code == 200 and detail.json() == zaken[0]


async def test_a_publisher_adds_a_kanaal_once(nrc: Nrc) -> None:
    body = {"naam": "testkanaal", "documentatieLink": "https://example.com", "filters": ["soort"]}
    r = await nrc.call("POST", "/kanaal", publicist(), json=body)
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == r.json()["url"]
    again = await nrc.call("POST", "/kanaal", publicist(), json=body)
    assert again.status_code == 400 and codes(again.json()) == {("naam", "unique")}
    bad = await nrc.call("POST", "/kanaal", publicist(), json={"naam": "", "filters": "soort"})
    assert bad.status_code == 400
    assert {name for name, _ in codes(bad.json())} == {"naam", "filters"}


async def test_abonnement_crud(nrc: Nrc, receiver: tuple[Receiver, str]) -> None:
    _, callback = receiver
    made = await nrc.abonneer(callback, [{"naam": "zaken", "filters": {"bronorganisatie": "002220647"}}])
    assert made["callbackUrl"] == callback and "auth" not in made  # the subscriber's secret is write-only
    assert made["kanalen"] == [{"naam": "zaken", "filters": {"bronorganisatie": "002220647"}}]
    assert (await nrc.call("GET", made["url"], abonnee())).json() == made
    assert [a["url"] for a in (await nrc.call("GET", "/abonnement", abonnee())).json()] == [made["url"]]

    put = await nrc.call("PUT", made["url"], abonnee(), json={"callbackUrl": callback, "auth": "Bearer nieuw",
                                                               "kanalen": [{"naam": "besluiten", "filters": {}}]})
    assert put.status_code == 200 and put.json()["kanalen"] == [{"naam": "besluiten", "filters": {}}]
    patch = await nrc.call("PATCH", made["url"], abonnee(), json={"kanalen": ZAKEN})
    assert patch.status_code == 200 and patch.json()["kanalen"] == ZAKEN and patch.json()["callbackUrl"] == callback

    # Another applicatie does not see it, nor change or delete it.
    ander = abonnee("archief")
    assert (await nrc.call("GET", made["url"], ander)).status_code == 404
    assert (await nrc.call("GET", "/abonnement", ander)).json() == []
    assert (await nrc.call("DELETE", made["url"], ander)).status_code == 404

    assert (await nrc.call("DELETE", made["url"], abonnee())).status_code == 204
    assert (await nrc.call("GET", made["url"], abonnee())).status_code == 404


async def test_the_callback_url_must_answer_the_test_notificatie(nrc: Nrc, receiver: tuple[Receiver, str]) -> None:
    rec, callback = receiver
    dead = f"http://127.0.0.1:{free_port()}/callback"
    r = await nrc.call("POST", "/abonnement", abonnee(), json={"callbackUrl": dead, "auth": "Bearer x",
                                                               "kanalen": ZAKEN})
    assert r.status_code == 400 and codes(r.json()) == {("callbackUrl", "invalid-callback-url")}
    rec.status = 500
    r = await nrc.call("POST", "/abonnement", abonnee(), json={"callbackUrl": callback, "auth": "Bearer x",
                                                               "kanalen": ZAKEN})
    assert r.status_code == 400 and codes(r.json()) == {("callbackUrl", "invalid-callback-url")}
    assert "500" in r.json()["invalidParams"][0]["reason"]
    rec.status = 204
    made = await nrc.abonneer(callback, ZAKEN)
    # A change of the callbackUrl is checked as well.
    r = await nrc.call("PATCH", made["url"], abonnee(), json={"callbackUrl": dead})
    assert r.status_code == 400 and codes(r.json()) == {("callbackUrl", "invalid-callback-url")}


@pytest.mark.parametrize(("kanalen", "expected"), [
    ([{"naam": "bestaat-niet", "filters": {}}], {("kanalen.0.naam", "kanaal_naam")}),
    ([{"naam": "zaken", "filters": {"bsn": "x"}}], {("kanalen.0.filters", "inconsistent-abonnement-filters")}),
    ([{"naam": "zaken", "filters": ["zaaktype"]}], {("kanalen.0.filters", "invalid")}),
    ([{"naam": "zaken", "filters": {"zaaktype": ""}}], {("kanalen.0.filters.zaaktype", "min_length")}),
    ([{"filters": {}}], {("kanalen.0.naam", "required")}),
    ("zaken", {("kanalen", "not_a_list")}),
])
async def test_bad_kanalen_are_400(nrc: Nrc, receiver: tuple[Receiver, str], kanalen: object,
                                   expected: set[tuple[str, str]]) -> None:
    _, callback = receiver
    r = await nrc.call("POST", "/abonnement", abonnee(), json={"callbackUrl": callback, "auth": "Bearer x",
                                                               "kanalen": kanalen})
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert codes(r.json()) == expected


async def test_bad_bodies_are_400_never_500(nrc: Nrc) -> None:
    for body in ({}, {"callbackUrl": "geen url", "auth": "x", "kanalen": []}, [], "x"):
        r = await nrc.call("POST", "/abonnement", abonnee(), json=body)
        assert r.status_code == 400, r.text
    r = await nrc.client.post(f"{API}/abonnement", content=b"{kapot",
                              headers={**headers(abonnee()), "Content-Type": "application/json"})
    assert r.status_code == 400
    assert (await nrc.call("GET", "/abonnement/geen-uuid", abonnee())).status_code == 400


@pytest.mark.parametrize(("body", "expected"), [
    ({"kanaal": "bestaat-niet"}, {("kanaal", "message_kanaal")}),
    ({"kenmerken": {"onbekend": "x"}}, {("kenmerken", "kenmerken_inconsistent")}),
    ({"kenmerken": {"zaaktype": "999990408"}}, {("kenmerken.zaaktype", "invalid")}),  # a BSN has no place here
    ({"hoofdObject": "geen url"}, {("hoofdObject", "invalid")}),
    ({"aanmaakdatum": "gisteren"}, {("aanmaakdatum", "invalid")}),
])
async def test_bad_notificaties_are_400(nrc: Nrc, body: dict, expected: set[tuple[str, str]]) -> None:  # type: ignore[type-arg]
    bericht = {"kanaal": "zaken", "hoofdObject": "https://example.com/zaken/1", "resource": "zaak",
               "resourceUrl": "https://example.com/zaken/1", "actie": "create",
               "aanmaakdatum": "2026-12-07T09:00:00Z", "kenmerken": {"bronorganisatie": "002220647"}, **body}
    r = await nrc.call("POST", "/notificaties", publicist(), json=bericht)
    assert r.status_code == 400, r.text
    assert codes(r.json()) == expected


async def test_scopes(nrc: Nrc, receiver: tuple[Receiver, str]) -> None:
    _, callback = receiver
    niets = AuthContext(client_id="zonder-nrc", autorisaties=[Autorisatie(component="zrc", scopes=["zaken.lezen"])])
    bericht = {"kanaal": "zaken", "hoofdObject": "https://example.com/z/1", "resource": "zaak",
               "resourceUrl": "https://example.com/z/1", "actie": "create", "aanmaakdatum": "2026-12-07T09:00:00Z"}
    assert (await nrc.call("GET", "/kanaal", niets)).status_code == 403
    assert (await nrc.call("GET", "/abonnement", niets)).status_code == 403
    assert (await nrc.call("POST", "/abonnement", niets, json={"callbackUrl": callback, "auth": "x",
                                                               "kanalen": ZAKEN})).status_code == 403
    # consumeren reads kanalen and subscribes, but neither publishes nor adds a kanaal
    assert (await nrc.call("POST", "/notificaties", abonnee(), json=bericht)).status_code == 403
    assert (await nrc.call("POST", "/kanaal", abonnee(), json={"naam": "eigen"})).status_code == 403
    # publiceren reads kanalen and publishes, but does not subscribe
    assert (await nrc.call("GET", "/kanaal", publicist())).status_code == 200
    assert (await nrc.call("POST", "/notificaties", publicist(), json=bericht)).status_code == 201
    assert (await nrc.call("GET", "/abonnement", publicist())).status_code == 403
