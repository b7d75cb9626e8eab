"""Personen: the BSN checked by the 11-proef, look-ups only in POST bodies, local registration."""

from __future__ import annotations

import pytest

from sds.runtime.bsn import is_valid_bsn
from services.klantgegevens.models import personen, verwerkingen
from tests.klantgegevens.conftest import Kg, bsn, intake, kolom_client


def test_the_11_proef() -> None:
    good = bsn()
    assert is_valid_bsn(good)
    last = int(good[-1])
    assert not is_valid_bsn(good[:-1] + str((last + 1) % 10))
    assert not is_valid_bsn("000000000")
    assert not is_valid_bsn(good[:8])
    assert not is_valid_bsn(good + "0")
    assert not is_valid_bsn("12345678a")


def _invalid_bsns() -> list[str]:
    good = bsn()
    wrong_check = good[:-1] + str((int(good[-1]) + 1) % 10)
    return [good[:8], good + "1", "9999a0010", wrong_check, "", "000000000", " " + good[:8]]


@pytest.mark.parametrize("index", range(7))
async def test_an_invalid_bsn_is_a_400_naming_the_field_and_nothing_is_stored(kg: Kg, index: int) -> None:
    value = _invalid_bsns()[index]
    r = await kg.post("/inschrijvingen", {"burgerservicenummer": value, "naam": {"geslachtsnaam": "Proef"}}, intake())
    assert r.status_code == 400, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert [p["name"] for p in r.json()["invalidParams"]] == ["burgerservicenummer"]
    assert value not in r.text or value == ""  # the reason names the rule, not the number

    r = await kg.post("/personen", {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [value]},
                      intake())
    assert r.status_code == 400, r.text
    assert [p["name"] for p in r.json()["invalidParams"]] == ["burgerservicenummer.0"]
    assert await kg.count(personen) == 0
    assert await kg.count(verwerkingen) == 0


async def test_a_number_instead_of_a_string_is_refused(kg: Kg) -> None:
    r = await kg.post("/inschrijvingen", {"burgerservicenummer": int(bsn()), "naam": {"geslachtsnaam": "Proef"}},
                      intake())
    assert r.status_code == 400
    assert r.json()["invalidParams"][0]["name"] == "burgerservicenummer"
    assert await kg.count(personen) == 0


async def test_register_and_look_up_by_bsn_in_the_body(kg: Kg) -> None:
    nummer = bsn()
    created = await kg.persoon(nummer, verblijfplaats={"straat": "Proefstraat", "huisnummer": 12,
                                                       "postcode": "1234AB", "woonplaats": "Proefdorp"})
    assert created["burgerservicenummer"] == nummer
    assert created["bron"] == "lokaal"
    r = await kg.post("/personen", {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [nummer]},
                      intake())
    assert r.status_code == 200, r.text
    [found] = r.json()["personen"]
    assert found["uuid"] == created["uuid"]
    assert found["verblijfplaats"]["postcode"] == "1234AB"
    assert found["naam"] == {"voornamen": "Test", "voorvoegsel": None, "geslachtsnaam": "Proefpersoon"}

    r = await kg.get(created["url"], intake())
    assert r.status_code == 200 and r.json()["burgerservicenummer"] == nummer


async def test_registering_a_bsn_twice_is_a_conflict_and_stores_nothing_new(kg: Kg) -> None:
    nummer = bsn()
    await kg.persoon(nummer)
    r = await kg.post("/inschrijvingen", {"burgerservicenummer": nummer, "naam": {"geslachtsnaam": "Ander"}},
                      intake())
    assert r.status_code == 409
    assert await kg.count(personen) == 1


async def test_search_by_name_and_birth_date(kg: Kg) -> None:
    await kg.persoon(naam={"voornamen": "Anna", "geslachtsnaam": "Zoekmij"})
    await kg.persoon(naam={"voornamen": "Bert", "geslachtsnaam": "Zoekmij"}, geboortedatum="1990-01-01")
    r = await kg.post("/personen", {"type": "ZoekMetGeslachtsnaamEnGeboortedatum", "geslachtsnaam": "zoekmij",
                                    "geboortedatum": "1980-02-03"}, intake())
    assert r.status_code == 200, r.text
    assert [p["naam"]["voornamen"] for p in r.json()["personen"]] == ["Anna"]


async def test_an_unknown_type_is_a_400(kg: Kg) -> None:
    r = await kg.post("/personen", {"type": "RaadpleegMetPostcode", "postcode": "1234AB"}, intake())
    assert r.status_code == 400
    assert r.json()["invalidParams"]


async def test_a_client_without_klantgegevens_scopes_is_refused(kg: Kg) -> None:
    from sds.runtime.auth import AuthContext

    r = await kg.post("/personen", {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn()]},
                      AuthContext(client_id="niemand"))
    assert r.status_code == 403


async def test_a_kolom_client_cannot_register_persons(kg: Kg) -> None:
    r = await kg.post("/inschrijvingen", {"burgerservicenummer": bsn(), "naam": {"geslachtsnaam": "X"}},
                      kolom_client("wmo"))
    assert r.status_code == 403
    assert await kg.count(personen) == 0


async def test_no_bsn_in_any_path_or_query_parameter(kg: Kg) -> None:
    doc = (await kg.client.get("/klantgegevens/api/v1/openapi.json")).json()
    for path, operations in doc["paths"].items():
        assert "bsn" not in path.lower() and "burgerservicenummer" not in path.lower(), path
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                assert "bsn" not in parameter["name"].lower(), (path, parameter)
                assert "burgerservicenummer" not in parameter["name"].lower(), (path, parameter)
