"""Rules of a besluit that need no database: its generated identificatie, the vervalreden shown, the dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sds.runtime.errors import ValidatieFout

VERVALREDENEN = {
    "tijdelijk": "Besluit met tijdelijke werking",
    "ingetrokken_overheid": "Besluit ingetrokken door overheid",
    "ingetrokken_belanghebbende": "Besluit ingetrokken o.v.v. belanghebbende",
}


def identificatie(jaar: int, besluit_uuid: str) -> str:
    """BESLUIT-2026-<20 hex digits of the besluit's uuid>: unique per verantwoordelijke organisatie without a
    counter row that every new besluit of the organisation would wait on (80 random bits; the unique constraint
    catches the rest as ``identificatie-niet-uniek``)."""
    return f"BESLUIT-{jaar}-{besluit_uuid.replace('-', '')[:20].upper()}"


def vervalreden_weergave(vervalreden: str) -> str:
    return VERVALREDENEN.get(vervalreden, "")


def check_datum(datum: date, today: date) -> None:
    """The beslisdatum lies in the past or is today (the standard's "``datum`` in het verleden of nu")."""
    if datum > today:
        raise ValidatieFout.single("datum", "future_not_allowed", "De datum van een besluit ligt niet in de toekomst.")


# Awb art. 6:7: the termijn for bezwaar is six weeks; art. 6:8: it starts the day after the besluit is sent.
BEZWAARTERMIJN = timedelta(weeks=6)


def uiterlijke_reactiedatum(verzenddatum: date) -> date:
    """The last day a bezwaar can be made against a besluit sent on ``verzenddatum``."""
    return verzenddatum + BEZWAARTERMIJN


def toelichting(resultaattype: str, toekenningen: list[dict[str, Any]]) -> str:
    """What a beschikking decides, in its toelichting: the resultaat and each toekenning (product, omvang,
    period), so that what financien makes its toewijzingen from can be read from the besluit itself."""
    regels = [resultaattype]
    for t in toekenningen:
        product, omvang = t["product"], t["omvang"]
        code = product.get("productcode") or product["productcategorie"]
        periode = f"van {t['begindatum']}" + (f" tot en met {t['einddatum']}" if t.get("einddatum") else "")
        regels.append(f"- product {code}: {omvang['volume']} {omvang['eenheid']} {omvang['frequentie']}, {periode}")
    return "\n".join(regels)[:1000]
