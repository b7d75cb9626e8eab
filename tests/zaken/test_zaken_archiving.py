"""Archiving on close (Zaken API 1.5.1, as Open Zaak): einddatum by the last status, archiefnominatie and
archiefactiedatum derived by the resultaattype's brondatumArchiefprocedure.afleidingswijze."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from services.zaken.catalogi.models import resultaattypen
from tests.zaken.conftest import ZAKEN, Suite, headers
from tests.zaken.test_besluiten import beschikking, besluit

CLOSED_AT = "2026-11-20T12:00:00+01:00"


def _codes(response: Any) -> list[tuple[str, str]]:
    return [(p["name"], p["code"]) for p in response.json().get("invalidParams", [])]


async def _procedure(suite: Suite, resultaattype_url: str, procedure: dict[str, Any], termijn: str = "P5Y") -> None:
    """The resultaattype's archive procedure as a catalogue would hold it (the seed has only afgehandeld)."""
    found = resultaattype_url.rsplit("/", 1)[1]
    async with suite.app.state.db.transaction() as session:
        row = (await session.execute(resultaattypen.select().where(resultaattypen.c.uuid == found))).one()
        gegevens = {**row.gegevens, "archiefactietermijn": termijn,
                    "brondatumArchiefprocedure": {"afleidingswijze": "afgehandeld", "datumkenmerk": "",
                                                  "objecttype": "", "procestermijn": None, **procedure}}
        await session.execute(update(resultaattypen).where(resultaattypen.c.id == row.id).values(gegevens=gegevens))


async def _close(suite: Suite, zaak: dict[str, Any], procedure: dict[str, Any] | None,
                 when: str = CLOSED_AT) -> Any:
    """The resultaat Afgewezen (with ``procedure`` as its archive procedure) and then the end status."""
    types = await suite.types("WMO-HBH")
    if procedure is not None:
        await _procedure(suite, types["resultaattypen"]["Afgewezen"], procedure)
    if (await suite.get_json(zaak["url"]))["resultaat"] is None:
        r = await suite.client.post(f"{ZAKEN}/resultaten", headers=headers(), json={
            "zaak": zaak["url"], "resultaattype": types["resultaattypen"]["Afgewezen"]})
        assert r.status_code == 201, r.text
    return await suite.client.post(f"{ZAKEN}/statussen", headers=headers(), json={
        "zaak": zaak["url"], "statustype": types["statustypen"][-1], "datumStatusGezet": when})


async def _eigenschap(suite: Suite, zaak: dict[str, Any], waarde: str) -> None:
    types = await suite.types("WMO-HBH")
    r = await suite.client.post(f"{zaak['url']}/zaakeigenschappen", headers=headers(), json={
        "zaak": zaak["url"], "eigenschap": types["eigenschappen"]["aanvraagdatum"], "waarde": waarde})
    assert r.status_code == 201, r.text


async def test_einddatum_is_set_by_the_status_with_the_highest_volgnummer_only(suite: Suite) -> None:
    zaak = await suite.open_zaak()
    types = await suite.types("WMO-HBH")
    await suite.client.post(f"{ZAKEN}/resultaten", headers=headers(), json={
        "zaak": zaak["url"], "resultaattype": types["resultaattypen"]["Afgewezen"]})
    for statustype in types["statustypen"][:-1]:
        r = await suite.client.post(f"{ZAKEN}/statussen", headers=headers(), json={
            "zaak": zaak["url"], "statustype": statustype, "datumStatusGezet": "2026-11-05T10:00:00+01:00"})
        assert r.status_code == 201, r.text
        assert (await suite.get_json(zaak["url"]))["einddatum"] is None
    r = await suite.client.post(f"{ZAKEN}/statussen", headers=headers(), json={
        "zaak": zaak["url"], "statustype": types["statustypen"][-1], "datumStatusGezet": CLOSED_AT})
    assert r.status_code == 201, r.text
    assert (await suite.get_json(zaak["url"]))["einddatum"] == "2026-11-20"


@pytest.mark.parametrize(("procedure", "expected"), [
    ({"afleidingswijze": "afgehandeld"}, "2031-11-20"),
    ({"afleidingswijze": "termijn", "procestermijn": "P1Y"}, "2032-11-20"),
    ({"afleidingswijze": "eigenschap", "datumkenmerk": "aanvraagdatum"}, "2031-10-15"),
    ({"afleidingswijze": "ander_datumkenmerk", "datumkenmerk": "iets", "objecttype": "overige",
      "registratie": "elders"}, None),
])
async def test_archiefactiedatum_by_afleidingswijze(suite: Suite, procedure: dict[str, Any],
                                                    expected: str | None) -> None:
    zaak = await suite.open_zaak()
    await _eigenschap(suite, zaak, "20261015")
    r = await _close(suite, zaak, procedure)
    assert r.status_code == 201, r.text
    closed = await suite.get_json(zaak["url"])
    assert closed["einddatum"] == "2026-11-20"
    assert closed["archiefnominatie"] == "vernietigen"
    assert closed["archiefactiedatum"] == expected


async def test_archiefactiedatum_from_the_hoofdzaak_and_from_a_zaakobject(suite: Suite) -> None:
    hoofd = await suite.open_zaak()
    deelzaak = await suite.open_zaak(hoofdzaak=hoofd["url"])
    # The hoofdzaak is still open: nothing to derive from, so the end status is refused and nothing is stored.
    r = await _close(suite, deelzaak, {"afleidingswijze": "hoofdzaak"})
    assert r.status_code == 400 and _codes(r) == [("nonFieldErrors", "archiefactiedatum-error")]
    assert (await suite.get_json(deelzaak["url"]))["einddatum"] is None
    # The hoofdzaak closes (the shared resultaattype is back to afgehandeld for it); then the deelzaak can.
    r = await _close(suite, hoofd, {"afleidingswijze": "afgehandeld"}, "2026-11-10T09:00:00+01:00")
    assert r.status_code == 201, r.text
    r = await _close(suite, deelzaak, {"afleidingswijze": "hoofdzaak"})
    assert r.status_code == 201, r.text
    assert (await suite.get_json(hoofd["url"]))["einddatum"] == "2026-11-10"
    assert (await suite.get_json(deelzaak["url"]))["archiefactiedatum"] == "2031-11-10"

    zaak = await suite.open_zaak()
    r = await suite.client.post(f"{ZAKEN}/zaakobjecten", headers=headers(), json={
        "zaak": zaak["url"], "objectType": "overige", "objectTypeOverige": "beschikking",
        "objectIdentificatie": {"overigeData": {"vervaldatum": "2027-01-31"}}})
    assert r.status_code == 201, r.text
    r = await _close(suite, zaak, {"afleidingswijze": "zaakobject", "objecttype": "overige",
                                   "datumkenmerk": "vervaldatum"})
    assert r.status_code == 201, r.text
    assert (await suite.get_json(zaak["url"]))["archiefactiedatum"] == "2032-01-31"


async def test_archiefactiedatum_from_the_besluiten_of_the_zaak(suite: Suite) -> None:
    zaak = await suite.open_zaak()
    procedure = {"afleidingswijze": "vervaldatum_besluit"}
    # No besluit yet: nothing to derive from, so the end status is refused.
    r = await _close(suite, zaak, procedure)
    assert r.status_code == 400 and _codes(r) == [("nonFieldErrors", "archiefactiedatum-error")]
    besluittype = await beschikking(suite)
    await besluit(suite, besluittype, zaak=zaak["url"], ingangsdatum="2026-12-01", vervaldatum="2027-11-30")
    await besluit(suite, besluittype, zaak=zaak["url"], ingangsdatum="2027-01-01", vervaldatum="2027-06-30")
    r = await _close(suite, zaak, procedure)
    assert r.status_code == 201, r.text
    assert (await suite.get_json(zaak["url"]))["archiefactiedatum"] == "2032-11-30"

    other = await suite.open_zaak()
    await besluit(suite, besluittype, zaak=other["url"], ingangsdatum="2027-01-01")
    r = await _close(suite, other, {"afleidingswijze": "ingangsdatum_besluit"})
    assert r.status_code == 201, r.text
    assert (await suite.get_json(other["url"]))["archiefactiedatum"] == "2032-01-01"


async def test_underivable_brondatum_refuses_the_end_status(suite: Suite) -> None:
    zaak = await suite.open_zaak()
    r = await _close(suite, zaak, {"afleidingswijze": "eigenschap", "datumkenmerk": "aanvraagdatum"})
    assert r.status_code == 400 and _codes(r) == [("nonFieldErrors", "archiefactiedatum-error")]
    stored = await suite.get_json(zaak["url"])
    assert stored["einddatum"] is None and stored["status"] is None
    await _eigenschap(suite, zaak, "geen datum")
    r = await _close(suite, zaak, {"afleidingswijze": "eigenschap", "datumkenmerk": "aanvraagdatum"})
    assert r.status_code == 400


async def test_a_date_the_client_set_is_kept(suite: Suite) -> None:
    zaak = await suite.open_zaak(archiefnominatie="blijvend_bewaren", archiefactiedatum="2040-01-01")
    r = await _close(suite, zaak, {"afleidingswijze": "termijn", "procestermijn": "P1Y"})
    assert r.status_code == 201, r.text
    closed = await suite.get_json(zaak["url"])
    assert closed["archiefnominatie"] == "blijvend_bewaren" and closed["archiefactiedatum"] == "2040-01-01"
