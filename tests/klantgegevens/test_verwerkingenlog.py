"""The verwerkingenlog: a record per data subject for every read and write, an auditor's queries, and the
resident's own question: who processed my data, and when."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from sds.runtime.verwerkingenlog import DEV_PSEUDONIEM_SLEUTEL, pseudoniem
from services.klantgegevens.models import verwerkingen
from services.klantgegevens.settings import KlantgegevensSettings
from tests.klantgegevens.conftest import (
    KEEPER,
    Kg,
    auditor,
    bsns_in,
    headers,
    intake,
    inwoner,
    kolom_client,
    zaak_geopend,
)

SLEUTEL = DEV_PSEUDONIEM_SLEUTEL.encode()
WMO = kolom_client("wmo")


def _subject(p: dict) -> str:
    return pseudoniem(p["burgerservicenummer"], SLEUTEL)


async def _records(kg: Kg, p: dict, activiteit: str | None = None) -> list:
    where = [verwerkingen.c.betrokkene == _subject(p)]
    if activiteit:
        where.append(verwerkingen.c.verwerkingsactiviteit == activiteit)
    return await kg.verwerkingen(*where)


async def test_every_personal_data_read_has_its_record_per_subject(kg: Kg) -> None:
    ouder, kind = await kg.persoon(), await kg.persoon()
    h = await kg.huishouden((ouder, "ouder"), (kind, "kind"))
    await kg.deliver(zaak_geopend(h["url"], "wmo"))
    before = {p["uuid"]: len(await _records(kg, p, "huishouden-raadplegen")) for p in (ouder, kind)}
    person_before = len(await _records(kg, ouder, "persoon-raadplegen"))

    assert (await kg.get(h["url"], WMO)).status_code == 200
    for p in (ouder, kind):
        records = await _records(kg, p, "huishouden-raadplegen")
        assert len(records) == before[p["uuid"]] + 1
        last = records[-1]
        assert (last.client_id, last.gebruiker, last.handeling, last.grondslag) == (
            "team-wmo", "medewerker-wmo", "lezen", "zaak:wmo")
        assert last.trace_id and len(last.trace_id) == 32

    r = await kg.post("/personen", {"type": "RaadpleegMetBurgerservicenummer",
                                    "burgerservicenummer": [ouder["burgerservicenummer"]]}, WMO)
    assert len(r.json()["personen"]) == 1
    assert len(await _records(kg, ouder, "persoon-raadplegen")) == person_before + 1
    assert (await kg.get(ouder["url"], WMO)).status_code == 200
    assert len(await _records(kg, ouder, "persoon-raadplegen")) == person_before + 2


async def test_a_refused_read_leaves_no_record_and_the_trace_id_is_the_requests(kg: Kg) -> None:
    p = await kg.persoon()
    h = await kg.huishouden((p, "ouder"))
    count = len(await kg.verwerkingen())
    assert (await kg.get(h["url"], WMO)).status_code == 403
    assert len(await kg.verwerkingen()) == count

    await kg.deliver(zaak_geopend(h["url"], "wmo"))
    trace = "0af7651916cd43dd8448eb211c80319c"
    r = await kg.client.get(h["url"], headers={**headers(WMO), "traceparent": f"00-{trace}-b7ad6b7169203331-01"})
    assert r.status_code == 200
    assert (await _records(kg, p, "huishouden-raadplegen"))[-1].trace_id == trace


async def test_writes_are_logged_with_their_grondslag(kg: Kg) -> None:
    p = await kg.persoon()
    [inschrijving] = await _records(kg, p, "persoon-inschrijven")
    assert (inschrijving.handeling, inschrijving.grondslag, inschrijving.client_id) == (
        "schrijven", "registratie", "intake")
    await kg.huishouden((p, "ouder"))
    [wijziging] = await _records(kg, p, "huishouden-wijzigen")
    assert wijziging.handeling == "schrijven"


async def test_the_log_holds_no_bsn(kg: Kg) -> None:
    p = await kg.persoon()
    await kg.huishouden((p, "ouder"))
    await kg.get(p["url"], intake())
    for row in await kg.verwerkingen():
        assert not bsns_in(" ".join(str(v) for v in row)), row


async def test_the_auditor_searches_by_bsn_in_a_body_and_by_pseudonym_client_or_trace(kg: Kg) -> None:
    p, other = await kg.persoon(), await kg.persoon()
    await kg.get(p["url"], intake())
    r = await kg.post("/verwerkingen/zoeken", {"burgerservicenummer": p["burgerservicenummer"]}, auditor())
    assert r.status_code == 200, r.text
    body = r.json()
    activities = [v["verwerkingsactiviteit"] for v in body["results"]]
    # Newest first: the auditor's own search is itself recorded, then the read, then the registration.
    assert activities == ["verwerkingenlog-raadplegen", "persoon-raadplegen", "persoon-inschrijven"]
    assert {v["betrokkene"] for v in body["results"]} == {_subject(p)}
    assert body["results"][0]["clientId"] == "functionaris-gegevensbescherming"

    r = await kg.get("/verwerkingen", auditor(), betrokkene=_subject(other))
    assert [v["verwerkingsactiviteit"] for v in r.json()["results"]] == ["persoon-inschrijven"]
    r = await kg.get("/verwerkingen", auditor(), clientId="intake", pageSize=1)
    assert r.json()["count"] == 3 and len(r.json()["results"]) == 1 and r.json()["next"]

    assert (await kg.get("/verwerkingen", intake())).status_code == 403
    r = await kg.post("/verwerkingen/zoeken", {"burgerservicenummer": p["burgerservicenummer"]}, WMO)
    assert r.status_code == 403


async def test_a_resident_sees_which_organisations_processed_their_data_and_when(kg: Kg) -> None:
    p = await kg.persoon()
    h = await kg.huishouden((p, "ouder"))
    await kg.deliver(zaak_geopend(h["url"], "wmo"))
    await kg.get(h["url"], WMO)
    r = await kg.get("/eigen-verwerkingen", inwoner(p["burgerservicenummer"]))
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert {v["organisatie"] for v in results} == {"intake", "team-wmo"}
    assert all(set(v) == {"organisatie", "tijdstip", "verwerkingsactiviteit", "handeling"} for v in results)
    assert results[0]["organisatie"] == "team-wmo"
    # Another resident sees nothing of it; a worker cannot ask on a resident's behalf this way.
    other = await kg.persoon()
    r = await kg.get("/eigen-verwerkingen", inwoner(other["burgerservicenummer"]))
    assert {v["verwerkingsactiviteit"] for v in r.json()["results"]} == {"persoon-inschrijven"}
    assert (await kg.get("/eigen-verwerkingen", WMO)).status_code == 403


async def test_a_residents_own_reads_are_logged_under_a_pseudonym_not_their_bsn(kg: Kg) -> None:
    p = await kg.persoon()
    await kg.huishouden((p, "ouder"))
    await kg.get("/eigen-dossier", inwoner(p["burgerservicenummer"]))
    [record] = await _records(kg, p, "eigen-dossier-raadplegen")
    assert record.gebruiker == f"inwoner:{_subject(p)}"
    assert record.grondslag == "eigen-gegevens"


def test_the_log_cannot_be_switched_off_or_keyed_with_the_dev_key_outside_dev() -> None:
    with pytest.raises(ValidationError):
        KlantgegevensSettings(env="production", internal_secret="x" * 32, verwerkingenlog=False,
                              pseudoniem_sleutel="y" * 32)
    with pytest.raises(ValidationError):
        KlantgegevensSettings(env="production", internal_secret="x" * 32)
    KlantgegevensSettings(env="production", internal_secret="x" * 32, pseudoniem_sleutel="y" * 32)


def test_the_log_scan_finds_a_bsn_in_a_log_line() -> None:
    """The session's scan would fail if any service code logged a BSN the tests used; shown on a copy."""
    from tests.klantgegevens.conftest import _Keeper, bsn

    keeper = _Keeper()
    logger = logging.getLogger("klantgegevens.scan-proef")
    logger.addHandler(keeper)
    try:
        nummer = bsn()
        logger.warning("lookup failed", extra={"detail": f"for {nummer}"})
    finally:
        logger.removeHandler(keeper)
    assert any(bsns_in(line) for line in keeper.lines)
    # The session keeper saw it too (it is on the root logger); take it out again so the real scan stays honest.
    KEEPER.lines[:] = [line for line in KEEPER.lines if "scan-proef" not in line]


async def test_the_per_test_check_catches_a_read_without_a_record(kg: Kg) -> None:
    """Every test's answers are checked for their records when its app stops; this shows that check can fail."""
    from tests.klantgegevens.conftest import every_read_has_its_record

    p = await kg.persoon()
    kg.app.state.klantgegevens.log.aan = False
    try:
        assert (await kg.get(p["url"], intake())).status_code == 200
        with pytest.raises(AssertionError, match="no verwerkingenlog record"):
            await every_read_has_its_record(kg)
    finally:
        kg.app.state.klantgegevens.log.aan = True
        kg.responses.pop()  # the unlogged read was this test's doing; the teardown check covers the rest
