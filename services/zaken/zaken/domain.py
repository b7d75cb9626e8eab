"""Rules of a zaak that need no database: identificatie format, archive dates, what changed."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def identificatie(jaar: int, volgnummer: int) -> str:
    """ZAAK-2026-0000000001: readable, sortable within a year, unique per bronorganisatie by its counter."""
    return f"ZAAK-{jaar}-{volgnummer:010d}"


def add_duration(start: date, duration: str | None) -> date | None:
    """``start`` + an ISO 8601 date duration (P10Y, P6M, P1Y6M, P2W, P30D); None when there is none."""
    if not duration:
        return None
    match = _DURATION.match(duration)
    if not match:
        return None
    years, months, weeks, days = (int(g or 0) for g in match.groups())
    month_index = start.month - 1 + months + 12 * years
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, _days_in_month(year, month))
    from datetime import timedelta

    return date(year, month, day) + timedelta(days=days + 7 * weeks)


def _days_in_month(year: int, month: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))


def is_regisseur(roltype_omschrijving: str) -> bool:
    """The social domain's case director: a roltype named Regisseur in every zaaktype that has regie."""
    return roltype_omschrijving.strip().lower() == "regisseur"
