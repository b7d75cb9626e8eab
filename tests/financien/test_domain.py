"""The rules of financien without I/O: counting frequency periods, the verplichting across tarieven, cents."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.financien.domain import (
    GeenTarief,
    Periode,
    Tarief,
    aantal_eenheden,
    bedrag_in_centen,
    eenheden,
    euro,
    verplichting,
)


def test_frequency_periods() -> None:
    maart = Periode(date(2026, 3, 1), date(2026, 3, 31))
    assert len(eenheden("per-dag", maart)) == 31
    assert len(eenheden("per-week", maart)) == 5  # four weeks and three days
    assert eenheden("per-maand", Periode(date(2026, 1, 31), date(2026, 3, 1))) == [
        date(2026, 1, 31), date(2026, 2, 1), date(2026, 3, 1)]
    assert eenheden("totaal-binnen-geldigheidsduur", maart) == [date(2026, 3, 1)]


def test_the_number_of_frequency_periods_is_counted_as_they_are_listed() -> None:
    # Periods of 0 to 800 days from begin dates across month ends and a leap day, in every frequentie.
    for begin in (date(2026, 1, 31), date(2027, 12, 30), date(2028, 2, 28)):
        for dagen in range(0, 800, 3):
            periode = Periode(begin, begin + timedelta(days=dagen))
            for frequentie in ("per-dag", "per-week", "per-maand", "totaal-binnen-geldigheidsduur"):
                assert aantal_eenheden(frequentie, periode) == len(eenheden(frequentie, periode)), (
                    frequentie, periode)
    with pytest.raises(ValueError):
        aantal_eenheden("per-jaar", Periode(date(2026, 1, 1), date(2026, 12, 31)))


def test_the_verplichting_takes_the_tarief_of_each_periods_first_day_and_refuses_a_gap() -> None:
    tarieven = [Tarief(Periode(date(2026, 1, 1), date(2026, 6, 30)), 5240),
                Tarief(Periode(date(2026, 7, 1)), 5400)]
    # Weeks from Monday 22 June: 22 and 29 June at 52.40, 6 July at 54.00.
    assert verplichting(3, "per-week", Periode(date(2026, 6, 22), date(2026, 7, 12)), tarieven) == 3 * (
        2 * 5240 + 5400)
    with pytest.raises(GeenTarief):
        verplichting(1, "per-dag", Periode(date(2025, 12, 31), date(2026, 1, 1)), tarieven)


def test_periods_overlap_and_contain() -> None:
    open_ended = Periode(date(2026, 1, 1))
    assert open_ended.overlapt(Periode(date(2030, 1, 1), date(2030, 1, 2)))
    assert not Periode(date(2026, 1, 1), date(2026, 1, 31)).overlapt(Periode(date(2026, 2, 1)))
    assert Periode(date(2026, 1, 1), date(2026, 1, 31)).overlapt(Periode(date(2026, 1, 31)))
    assert not Periode(date(2026, 1, 1), date(2026, 1, 31)).omvat(Periode(date(2026, 1, 2)))


@pytest.mark.parametrize(("value", "cents"), [("52.40", 5240), ("0.01", 1), ("1e2", 10000), (7, 700)])
def test_amounts_in_whole_cents(value: str | int, cents: int) -> None:
    assert bedrag_in_centen(value) == cents
    assert euro(cents) == f"{cents // 100}.{cents % 100:02d}"


@pytest.mark.parametrize("value", ["0.001", "-0.01", "NaN", "Infinity", "twaalf"])
def test_what_is_no_amount(value: str) -> None:
    with pytest.raises(ValueError):
        bedrag_in_centen(value)
