"""The indicators count in the database: the period a row falls in is made there, per dialect, and must name
the same period as the domain's rule; a zaak in several kolommen counts once per cluster and in the total."""

from __future__ import annotations

from datetime import date

import pytest

from tests.beleidsinfo.conftest import Bi, aanvraag_ingediend, zaak_geopend

DAGEN = [date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 1), date(2026, 9, 30), date(2026, 12, 31),
         date(2027, 2, 14)]


@pytest.mark.parametrize(("periode", "verwacht"), [
    ("maand", ["2026-01", "2026-03", "2026-04", "2026-09", "2026-12", "2027-02"]),
    ("kwartaal", ["2026-K1", "2026-K1", "2026-K2", "2026-K3", "2026-K4", "2027-K1"]),
    ("jaar", ["2026", "2026", "2026", "2026", "2026", "2027"]),
    ("geheel", ["2026-01-01/2027-12-31"] * 6),
])
async def test_the_period_the_database_groups_by_is_the_calendar_period(bi: Bi, periode: str,
                                                                         verwacht: list[str]) -> None:
    # Five households a day, so no cell is suppressed.
    await bi.deliver(*(aanvraag_ingediend(5 * i + j, 5 * i + j, ["wmo"], dag)
                       for i, dag in enumerate(DAGEN) for j in range(5)))
    cellen = await bi.cellen("instroom", van="2026-01-01", tot="2027-12-31", periode=periode)
    totaal = {c["periode"]: c["aantal"] for c in cellen if c["kolom"] == "alle" and c["cluster"] == "alle"}
    assert totaal == {p: 5 * verwacht.count(p) for p in verwacht}


async def test_a_zaak_in_two_kolommen_of_one_cluster_counts_once_in_that_cluster(bi: Bi) -> None:
    # Without a profile each kolom is its own cluster; here wmo and jeugd each hold the integral zaken once.
    await bi.deliver(*(zaak_geopend(n, n, ["wmo", "jeugd"], date(2026, 2, 2)) for n in range(6)))
    cellen = await bi.cellen("doorlooptijd", van="2026-01-01", tot="2026-12-31")
    per_plaats = {(c["kolom"], c["cluster"]): c["aantal"] for c in cellen}
    assert per_plaats == {("wmo", "wmo"): 6, ("alle", "wmo"): 6, ("jeugd", "jeugd"): 6, ("alle", "jeugd"): 6,
                          ("alle", "alle"): 6}
