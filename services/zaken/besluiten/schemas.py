"""Request bodies of the Besluiten API 1.0.2, read as the reference does (readOnly and unknown fields ignored)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator

from services.zaken.common import Url, ZgwBody

Vervalreden = Literal["tijdelijk", "ingetrokken_overheid", "ingetrokken_belanghebbende", ""]


class BesluitIn(ZgwBody):
    identificatie: str = Field("", max_length=50)
    verantwoordelijke_organisatie: str = Field(min_length=1, max_length=9)
    besluittype: str = Field(min_length=1, max_length=200)
    zaak: str = Field("", max_length=200)
    datum: date
    toelichting: str = ""
    bestuursorgaan: str = Field("", max_length=50)
    ingangsdatum: date
    vervaldatum: date | None = None
    vervalreden: Vervalreden = ""
    publicatiedatum: date | None = None
    verzenddatum: date | None = None
    uiterlijke_reactiedatum: date | None = None

    @field_validator("zaak", "identificatie", "toelichting", "bestuursorgaan", "vervalreden", mode="before")
    @classmethod
    def _null_is_blank(cls, value: object) -> object:
        # A client that reads a besluit without a zaak gets "zaak": null back and may send it so.
        return "" if value is None else value


class BesluitInformatieObjectIn(ZgwBody):
    informatieobject: Url
    besluit: Url
