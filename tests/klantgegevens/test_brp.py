"""The Haal Centraal BRP Personen adapter, against a BRP test server the test starts itself."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from services.klantgegevens.models import personen
from tests.klantgegevens.brp_server import API_KEY, BrpTestServer, persoon
from tests.klantgegevens.conftest import Kg, bsn, intake, kolom_client, make_kg, zaak_geopend


@pytest.fixture
def brp() -> Iterator[BrpTestServer]:
    server = BrpTestServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def kg_brp(tmp_path, brp: BrpTestServer) -> AsyncIterator[Kg]:  # type: ignore[no-untyped-def]
    async for k in make_kg(tmp_path, "kg_brp", brp_url=brp.url, brp_api_key=API_KEY):
        yield k


def _query(*nummers: str) -> dict:
    return {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": list(nummers)}


async def test_a_registrar_looks_a_person_up_in_the_brp_and_it_is_kept(kg_brp: Kg, brp: BrpTestServer) -> None:
    nummer = bsn()
    brp.personen[nummer] = persoon(nummer, "Brpmens")
    r = await kg_brp.post("/personen", _query(nummer), intake())
    assert r.status_code == 200, r.text
    [found] = r.json()["personen"]
    assert found["bron"] == "brp"
    assert found["naam"]["geslachtsnaam"] == "Brpmens"
    assert found["geboortedatum"] == "1975-06-07"
    assert found["verblijfplaats"]["postcode"] == "9999ZZ"
    assert brp.requests[-1]["type"] == "RaadpleegMetBurgerservicenummer"
    assert brp.requests[-1]["burgerservicenummer"] == [nummer]
    assert await kg_brp.count(personen) == 1

    # The BRP is leading: the next look-up refreshes the kept copy.
    brp.personen[nummer] = persoon(nummer, "Brpmens", postcode="1111AA")
    [again] = (await kg_brp.post("/personen", _query(nummer), intake())).json()["personen"]
    assert again["uuid"] == found["uuid"] and again["verblijfplaats"]["postcode"] == "1111AA"


async def test_a_partly_unknown_birth_date_stays_unknown(kg_brp: Kg, brp: BrpTestServer) -> None:
    nummer = bsn()
    brp.personen[nummer] = persoon(nummer, "Onbekenddag", geboortedatum=None)
    [found] = (await kg_brp.post("/personen", _query(nummer), intake())).json()["personen"]
    assert found["geboortedatum"] is None


async def test_unknown_in_the_brp_is_not_found_and_not_stored(kg_brp: Kg, brp: BrpTestServer) -> None:
    r = await kg_brp.post("/personen", _query(bsn()), intake())
    assert r.status_code == 200 and r.json()["personen"] == []
    assert await kg_brp.count(personen) == 0


async def test_a_client_without_a_reason_does_not_reach_the_brp(kg_brp: Kg, brp: BrpTestServer) -> None:
    nummer = bsn()
    brp.personen[nummer] = persoon(nummer, "Verborgen")
    r = await kg_brp.post("/personen", _query(nummer), kolom_client("wmo"))
    assert r.status_code == 200 and r.json()["personen"] == []
    assert brp.requests == []


async def test_a_kolom_client_with_a_reason_gets_the_brp_data(kg_brp: Kg, brp: BrpTestServer) -> None:
    nummer = bsn()
    brp.personen[nummer] = persoon(nummer, "Metreden")
    [p] = (await kg_brp.post("/personen", _query(nummer), intake())).json()["personen"]
    r = await kg_brp.post("/huishoudens", {"leden": [{"persoon": p["url"], "rol": "ouder"}]}, intake())
    await kg_brp.deliver(zaak_geopend(r.json()["url"], "wmo"))
    [seen] = (await kg_brp.post("/personen", _query(nummer), kolom_client("wmo"))).json()["personen"]
    assert seen["naam"]["geslachtsnaam"] == "Metreden"


async def test_a_failing_brp_is_a_502_and_nothing_is_stored(kg_brp: Kg, brp: BrpTestServer) -> None:
    brp.fail_with = 503
    r = await kg_brp.post("/personen", _query(bsn()), intake())
    assert r.status_code == 502
    assert r.headers["content-type"] == "application/problem+json"
    assert await kg_brp.count(personen) == 0


async def test_local_registration_is_refused_when_the_brp_is_the_source(kg_brp: Kg) -> None:
    r = await kg_brp.post("/inschrijvingen", {"burgerservicenummer": bsn(), "naam": {"geslachtsnaam": "X"}},
                          intake())
    assert r.status_code == 409


async def test_an_unreachable_brp_is_a_502(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.support.natsserver import free_port

    async for k in make_kg(tmp_path, "kg_brp_weg", brp_url=f"http://127.0.0.1:{free_port()}/brp", brp_timeout=1):
        r = await k.post("/personen", _query(bsn()), intake())
        assert r.status_code == 502
