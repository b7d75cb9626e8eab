"""Request bodies of gebruiksrechten, read as the reference does (readOnly and unknown fields ignored)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from sds.runtime.body import ZgwBody


class GebruiksrechtIn(ZgwBody):
    informatieobject: str = Field(min_length=1, max_length=1000)
    startdatum: datetime
    einddatum: datetime | None = None
    omschrijving_voorwaarden: str = Field(min_length=1, max_length=100_000)
