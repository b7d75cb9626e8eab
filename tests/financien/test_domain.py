"""The rules of financien without I/O: counting frequency periods, the verplichting across tarieven, cents."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from services.financien.domain import (
    GeenTarief,
    Periode,
    Post,
    Tarief,
    aantal_eenheden,
    bedrag_in_centen,
    eenheden,
    euro,
    stand,
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


def test_totals_stay_exact_over_100000_lines() -> None:
    # Tarieven that binary floats cannot hold (0.10, 33.33, 0.07 ...), as the API parses them, summed per kolom and
    # aanbieder as a declaratie and the budgetmonitor do, shown as euro: exactly the decimal sum.
    from services.financien.schemas import DeclaratieRegel

    tarieven = ("0.10", "33.33", "0.07", "52.41", "1.01", "0.01", "119.99")
    regels = [DeclaratieRegel.model_validate({
        "referentie": f"R{i}", "toewijzing": "http://t/financien/api/v1/toewijzingen/0b6c5a4e-7d43-4b0c-9b43-6f7f8e2d9a11",
        "begindatum": "2026-03-02", "einddatum": "2026-03-08", "volume": 1 + i % 3, "eenheid": "uur",
        "productTarief": tarieven[i % len(tarieven)]}) for i in range(100_000)]
    posten = [Post(("wmo", "jeugd")[i % 2], None, f"a{i % 5}", r.volume * r.product_tarief)
              for i, r in enumerate(regels)]
    out = stand([], [], posten)
    exact = sum((Decimal(tarieven[i % len(tarieven)]) * (1 + i % 3) for i in range(100_000)), Decimal(0))
    assert euro(out["totaal"]["gerealiseerd"]) == f"{exact:.2f}"
    assert sum(x["gerealiseerd"] for x in out["perKolom"]) == sum(x["gerealiseerd"] for x in out["perAanbieder"])
    assert Decimal(euro(out["totaal"]["gerealiseerd"])) == sum(
        (Decimal(euro(x["gerealiseerd"])) for x in out["perKolom"]), Decimal(0))
    # The same sum in floats drifts: what this test would catch if an amount ever became one.
    drift = sum(float(tarieven[i % len(tarieven)]) * (1 + i % 3) for i in range(100_000))
    assert f"{drift:.10f}" != f"{exact:.10f}"
