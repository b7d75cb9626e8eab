"""Één gezin, één plan, één regisseur: plannen, the regisseur and its handover, escalation to the integral team."""

from __future__ import annotations

from typing import Any

from tests.zaken.conftest import ZAKEN, Suite, headers, outbox_events

HH = "http://testserver/klantgegevens/api/v1/huishoudens/7c1d2e3f-0000-4000-8000-000000000001"
ANDER_HH = "http://testserver/klantgegevens/api/v1/huishoudens/7c1d2e3f-0000-4000-8000-000000000002"


def _codes(response: Any) -> list[tuple[str, str]]:
    return [(p["name"], p["code"]) for p in response.json().get("invalidParams", [])]


async def _plan(suite: Suite, zaken: list[str], cluster: str = "") -> Any:
    return await suite.client.post(f"{ZAKEN}/plannen", headers=headers(),
                                   json={"huishouden": HH, "cluster": cluster, "zaken": zaken})


async def test_one_plan_per_household_with_exactly_one_regisseur(suite: Suite) -> None:
    wmo = await suite.open_zaak("WMO-BEG", huishouden=HH)
    schuld = await suite.open_zaak("SHV-SCHULDHULP", huishouden=HH)
    r = await _plan(suite, [wmo["url"], schuld["url"]])
    assert r.status_code == 201, r.text
    plan = r.json()
    assert plan["zaken"] == [wmo["url"], schuld["url"]] and plan["regisseur"] is None

    second = await _plan(suite, [])
    assert second.status_code == 409 and second.headers["content-type"] == "application/problem+json"
    assert second.json()["code"] == "plan-bestaat-al"
    other = await suite.open_zaak("JW-AMB", huishouden=ANDER_HH)
    r = await _plan(suite, [other["url"]], cluster="jeugd")
    assert r.status_code == 400 and _codes(r) == [("zaken.0", "huishouden-mismatch")]

    r = await suite.client.post(f"{plan['url']}/regisseur", headers=headers(), json={
        "zaak": wmo["url"], "medewerker": {"identificatie": "mw-0042", "achternaam": "Jansen"}})
    assert r.status_code == 201, r.text
    regisseur = r.json()["regisseur"]
    assert regisseur["zaak"] == wmo["url"] and regisseur["medewerker"]["identificatie"] == "mw-0042"
    rol = await suite.get_json(regisseur["rol"])
    assert rol["omschrijving"] == "Regisseur" and rol["betrokkeneType"] == "medewerker"

    # A second regisseur, through the plan or as a rol on another zaak of the plan: 409 problem+json.
    r = await suite.client.post(f"{plan['url']}/regisseur", headers=headers(), json={
        "zaak": schuld["url"], "medewerker": {"identificatie": "mw-0099"}})
    assert r.status_code == 409 and r.json()["code"] == "regisseur-bestaat-al"
    assert r.headers["content-type"] == "application/problem+json"
    types = await suite.types("SHV-SCHULDHULP")
    r = await suite.client.post(f"{ZAKEN}/rollen", headers=headers(), json={
        "zaak": schuld["url"], "roltype": types["roltypen"]["Regisseur"], "betrokkeneType": "medewerker",
        "roltoelichting": "tweede", "betrokkeneIdentificatie": {"identificatie": "mw-0099"}})
    assert r.status_code == 409 and r.json()["code"] == "regisseur-bestaat-al"
    # The regisseur's rol cannot just be deleted: the plan would be left without one.
    r = await suite.client.delete(regisseur["rol"], headers=headers())
    assert r.status_code == 409


async def test_handover_keeps_the_history(suite: Suite) -> None:
    wmo = await suite.open_zaak("WMO-BEG", huishouden=HH)
    schuld = await suite.open_zaak("SHV-SCHULDHULP", huishouden=HH)
    plan = (await _plan(suite, [wmo["url"], schuld["url"]])).json()
    r = await suite.client.post(f"{plan['url']}/regisseur/overdracht", headers=headers(), json={
        "zaak": schuld["url"], "medewerker": {"identificatie": "mw-2"}, "reden": "verhuizing"})
    assert r.status_code == 400 and _codes(r) == [("nonFieldErrors", "geen-regisseur")]
    first = (await suite.client.post(f"{plan['url']}/regisseur", headers=headers(), json={
        "zaak": wmo["url"], "medewerker": {"identificatie": "mw-1"}})).json()["regisseur"]
    r = await suite.client.post(f"{plan['url']}/regisseur/overdracht", headers=headers(), json={
        "zaak": schuld["url"], "medewerker": {"identificatie": "mw-2"}, "reden": "schulden-voorop"})
    assert r.status_code == 200, r.text
    now = r.json()["regisseur"]
    assert now["zaak"] == schuld["url"] and now["medewerker"]["identificatie"] == "mw-2"
    history = await suite.get_json(f"{plan['url']}/regisseurs")
    assert [(h["medewerker"]["identificatie"], h["tot"] is None) for h in history] == [("mw-1", False),
                                                                                       ("mw-2", True)]
    assert history[1]["reden"] == "schulden-voorop"
    assert (await suite.client.get(first["rol"], headers=headers())).status_code == 404
    changed = await outbox_events(suite, "nl.sociaal-domein.zaken.regisseur-gewijzigd")
    assert [e.data["vorigeRegisseur"] for e in changed] == [None, first["rol"]]
    assert changed[1].data["regisseur"] == now["rol"] and changed[1].data["huishouden"] == HH


async def test_escalation_opens_an_integral_hoofdzaak_with_the_kolom_zaken_as_deelzaken(suite: Suite) -> None:
    wmo = await suite.open_zaak("WMO-HBH", huishouden=HH)
    jeugd = await suite.open_zaak("JW-AMB", huishouden=HH)
    r = await suite.client.post(f"{wmo['url']}/escalaties", headers=headers(), json={
        "redenen": [{"code": "meerdere-kolommen"}], "deelzaken": [jeugd["url"]]})
    assert r.status_code == 201, r.text
    hoofd = r.json()
    assert hoofd["zaaktype"] == suite.zaaktypen["INT-PLAN"] and hoofd["huishouden"] == HH
    assert sorted(hoofd["deelzaken"]) == sorted([wmo["url"], jeugd["url"]])
    assert (await suite.get_json(wmo["url"]))["hoofdzaak"] == hoofd["url"]
    # Escalating again is refused; a later kolom zaak joins the same hoofdzaak.
    r = await suite.client.post(f"{wmo['url']}/escalaties", headers=headers(), json={"redenen": [{"code": "x"}]})
    assert r.status_code == 409 and r.json()["code"] == "al-geescaleerd"
    schuld = await suite.open_zaak("SHV-SCHULDHULP", huishouden=HH)
    r = await suite.client.post(f"{schuld['url']}/escalaties", headers=headers(),
                                json={"redenen": [{"code": "open-zaak-andere-kolom", "kolom": "wmo"}]})
    assert r.status_code == 201 and r.json()["url"] == hoofd["url"] and len(r.json()["deelzaken"]) == 3
    escalated = await outbox_events(suite, "nl.sociaal-domein.zaken.zaak-geescaleerd")
    assert [(e.data["zaak"], e.data["kolom"]) for e in escalated] == [
        (wmo["url"], "wmo"), (jeugd["url"], "jeugd"), (schuld["url"], "schuldhulp")]
    opened = [e for e in await outbox_events(suite, "nl.overheid.zaken.zaak-geopend") if e.data["zaak"] == hoofd["url"]]
    assert len(opened) == 1 and opened[0].data["integraal"] is True
    assert opened[0].data["kolommen"] == ["jeugd", "wmo"]
    r = await suite.client.post(f"{hoofd['url']}/escalaties", headers=headers(), json={"redenen": [{"code": "x"}]})
    assert r.status_code == 400 and _codes(r) == [("zaak", "geen-kolomzaak")]
