"""Rules of a besluit that need no database: its generated identificatie, the vervalreden shown, the dates."""

from __future__ import annotations

from datetime import date

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
