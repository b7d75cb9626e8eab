"""Events through the outbox, in the transaction of the change, and triage opening zaken exactly once."""

from __future__ import annotations

from contracts.events import make_event
from services.zaken.intake import open_triaged_zaken
from tests.zaken.conftest import ZAKEN, Suite, headers, outbox_events

HH = "http://testserver/klantgegevens/api/v1/huishoudens/5e6f7a8b-0000-4000-8000-000000000001"
AANVRAAG = "http://testserver/intake/api/v1/aanvragen/5e6f7a8b-0000-4000-8000-0000000000aa"


async def test_the_life_of_a_toekenning_in_events(suite: Suite) -> None:
    zaak = await suite.open_zaak("WMO-HBH", huishouden=HH, aanvraag=AANVRAAG)
    types = await suite.types("WMO-HBH")
    opened = await outbox_events(suite, "nl.overheid.zaken.zaak-geopend")
    assert len(opened) == 1 and opened[0].data["zaak"] == zaak["url"]
    assert opened[0].data["kolommen"] == ["wmo"] and opened[0].data["aanvraag"] == AANVRAAG
    assert opened[0].dataref == zaak["url"] and opened[0].source == "urn:nld:sociaal-domein:zaken"

    r = await suite.client.post(f"{ZAKEN}/rollen", headers=headers(), json={
        "zaak": zaak["url"], "roltype": types["roltypen"]["Behandelaar"], "betrokkeneType": "medewerker",
        "roltoelichting": "consulent", "betrokkeneIdentificatie": {"identificatie": "mw-7"}})
    rol = await outbox_events(suite, "nl.overheid.zaken.rol-toegevoegd")
    assert [e.data["rol"] for e in rol] == [r.json()["url"]] and rol[0].data["omschrijvingGeneriek"] == "behandelaar"

    await suite.client.patch(zaak["url"], json={"omschrijving": "HH 4 uur per week"}, headers=headers())
    gemuteerd = await outbox_events(suite, "nl.overheid.zaken.zaak-gemuteerd")
    assert gemuteerd[-1].data["velden"] == ["omschrijving"] and gemuteerd[-1].data["actie"] == "bijgewerkt"

    r = await suite.client.post(f"{ZAKEN}/resultaten", headers=headers(), json={
        "zaak": zaak["url"], "resultaattype": types["resultaattypen"]["Toegekend"],
        "toekenningen": [{"product": {"productcategorie": "02", "productcode": "02A01"},
                          "omvang": {"volume": 4, "eenheid": "uur", "frequentie": "per-week"},
                          "begindatum": "2026-12-01", "einddatum": "2027-11-30"}]})
    assert r.status_code == 201, r.text
    vastgesteld = await outbox_events(suite, "nl.overheid.zaken.resultaat-vastgesteld")
    assert len(vastgesteld) == 1
    data = vastgesteld[0].data
    assert data["uitkomst"] == "toegekend" and data["kolom"] == "wmo" and data["huishouden"] == HH
    assert data["toekenningen"] == [{"product": {"productcategorie": "02", "productcode": "02A01"},
                                     "omvang": {"volume": 4, "eenheid": "uur", "frequentie": "per-week"},
                                     "begindatum": "2026-12-01", "einddatum": "2027-11-30", "aanbieder": None}]

    for statustype in types["statustypen"]:
        r = await suite.client.post(f"{ZAKEN}/statussen", headers=headers(), json={
            "zaak": zaak["url"], "statustype": statustype, "datumStatusGezet": "2026-11-20T10:00:00+01:00"})
        assert r.status_code == 201, r.text
    gezet = await outbox_events(suite, "nl.overheid.zaken.status-gezet")
    assert [e.data["isEindstatus"] for e in gezet] == [False, False, False, True]
    afgesloten = await outbox_events(suite, "nl.overheid.zaken.zaak-afgesloten")
    assert len(afgesloten) == 1 and afgesloten[0].data["einddatum"] == "2026-11-20"
    assert afgesloten[0].data["resultaattype"] == types["resultaattypen"]["Toegekend"]


async def test_toekenningen_only_with_a_toekenning(suite: Suite) -> None:
    zaak = await suite.open_zaak("WMO-HBH", huishouden=HH)
    types = await suite.types("WMO-HBH")
    r = await suite.client.post(f"{ZAKEN}/resultaten", headers=headers(), json={
        "zaak": zaak["url"], "resultaattype": types["resultaattypen"]["Afgewezen"],
        "toekenningen": [{"product": {"productcategorie": "02"}, "begindatum": "2026-12-01",
                          "omvang": {"volume": 1, "eenheid": "uur", "frequentie": "per-week"}}]})
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "toekenningen"


async def test_a_failed_write_leaves_no_event(suite: Suite) -> None:
    before = len(await outbox_events(suite))
    r = await suite.zaak("WMO-HBH", huishouden=HH, bronorganisatie="123456789")
    assert r.status_code == 400
    assert len(await outbox_events(suite)) == before


def _decision(suite: Suite, regie: str = "huishouden"):  # type: ignore[no-untyped-def]
    return make_event("nl.sociaal-domein.intake.aanvraag-getrieerd", {
        "aanvraag": AANVRAAG, "huishouden": HH, "integraal": False, "regie": regie,
        "zaken": [
            {"kolommen": ["wmo"], "cluster": "zorg", "zaaktype": suite.zaaktypen["WMO-BEG"], "integraal": False,
             "regisseur": True},
            {"kolommen": ["schuldhulp"], "cluster": "inkomen", "zaaktype": suite.zaaktypen["SHV-VROEGSIGNAAL"],
             "integraal": False, "regisseur": True},
        ],
        "delegaties": [], "redenen": [{"code": "meerdere-kolommen"}]},
        source="urn:nld:sociaal-domein:intake", subject="a1", dataref=AANVRAAG)


async def test_triage_opens_its_zaken_exactly_once(suite: Suite) -> None:
    event = _decision(suite)
    db, settings = suite.app.state.db, suite.app.state.settings
    async with db.transaction() as session:
        first = await open_triaged_zaken(session, event, settings)
    # A redelivery that got past the inbox (or a replay) opens nothing new.
    async with db.transaction() as session:
        again = await open_triaged_zaken(session, event, settings)
    assert len(first) == 2 and again == first
    page = await suite.get_json(f"{ZAKEN}/zaken?ordering=identificatie")
    assert page["count"] == 2
    assert {z["zaaktype"] for z in page["results"]} == {suite.zaaktypen["WMO-BEG"],
                                                        suite.zaaktypen["SHV-VROEGSIGNAAL"]}
    assert all(z["huishouden"] == HH and z["aanvraag"] == AANVRAAG for z in page["results"])
    opened = await outbox_events(suite, "nl.overheid.zaken.zaak-geopend")
    assert sorted(e.data["cluster"] for e in opened) == ["inkomen", "zorg"]
    # Regie per household: both zaken in the household's one plan.
    plannen = await suite.get_json(f"{ZAKEN}/plannen?huishouden={HH}")
    assert plannen["count"] == 1 and len(plannen["results"][0]["zaken"]) == 2
    trail = await suite.get_json(f"{page['results'][0]['url']}/audittrail")
    assert trail[0]["applicatieId"] == "zaken-triage"
    # Another decision is another set of zaken, joining the same plan.
    async with db.transaction() as session:
        third = await open_triaged_zaken(session, _decision(suite), settings)
    assert not set(third) & set(first)
    plannen = await suite.get_json(f"{ZAKEN}/plannen?huishouden={HH}")
    assert plannen["count"] == 1 and len(plannen["results"][0]["zaken"]) == 4


async def test_every_zaak_event_carries_what_its_zgw_notificatie_needs(suite: Suite) -> None:
    """bronorganisatie, vertrouwelijkheidaanduiding (kenmerken of the notificatie) and the kolommen (what the
    Notificaties API authorises on): the notificaties service builds its notificatie from the event alone."""
    zaak = await suite.open_zaak("WMO-HBH", huishouden=HH, aanvraag=AANVRAAG)
    types = await suite.types("WMO-HBH")
    await suite.client.post(f"{ZAKEN}/rollen", headers=headers(), json={
        "zaak": zaak["url"], "roltype": types["roltypen"]["Behandelaar"], "betrokkeneType": "medewerker",
        "roltoelichting": "consulent", "betrokkeneIdentificatie": {"identificatie": "mw-7"}})
    await suite.client.patch(zaak["url"], json={"vertrouwelijkheidaanduiding": "vertrouwelijk"}, headers=headers())
    await suite.client.post(f"{ZAKEN}/statussen", headers=headers(), json={
        "zaak": zaak["url"], "statustype": types["statustypen"][0], "datumStatusGezet": "2026-11-20T10:00:00+01:00"})
    for kind, aanduiding in (("zaak-geopend", zaak["vertrouwelijkheidaanduiding"]),
                             ("rol-toegevoegd", zaak["vertrouwelijkheidaanduiding"]),
                             ("zaak-gemuteerd", "vertrouwelijk"), ("status-gezet", "vertrouwelijk")):
        (event,) = await outbox_events(suite, f"nl.overheid.zaken.{kind}")
        assert event.data["bronorganisatie"] == zaak["bronorganisatie"], kind
        assert event.data["vertrouwelijkheidaanduiding"] == aanduiding, kind
        assert event.data["kolommen"] == ["wmo"], kind
