"""Request bodies of the social domain's own endpoints: plannen, the regisseur, escalation."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from services.zaken.common import ApiModel, Url

Code = str


class Medewerker(ApiModel):
    identificatie: str = Field(min_length=1, max_length=24)
    achternaam: str = Field("", max_length=200)
    voorletters: str = Field("", max_length=20)


class PlanIn(ApiModel):
    huishouden: Url
    cluster: str = Field("", max_length=63, pattern=r"^([a-z0-9][a-z0-9-]{0,62})?$",
                         description="leeg voor één plan voor het hele huishouden; anders het cluster")
    zaken: list[Url] = Field(default_factory=list, max_length=50)
    toelichting: str = Field("", max_length=1000)


class PlanPatch(ApiModel):
    zaken: list[Url] | None = Field(None, max_length=50)
    toelichting: str | None = Field(None, max_length=1000)
    einddatum: date | None = None


class RegisseurIn(ApiModel):
    zaak: Url = Field(description="de zaak van het plan waarop de regisseur een rol krijgt")
    medewerker: Medewerker
    roltoelichting: str = Field("", max_length=1000)


class OverdrachtIn(RegisseurIn):
    reden: str = Field(min_length=1, max_length=200, pattern=r"^[a-z0-9][a-z0-9-]{0,62}$",
                       description="waarom de regie overgaat, als code (geen vrije tekst met persoonsgegevens)")


class Reden(ApiModel):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    kolom: Literal["wmo", "jeugd", "participatie", "schuldhulp"] | None = None


class EscalatieIn(ApiModel):
    zaaktype: Url | None = Field(None, description="het integrale zaaktype; standaard dat van de integrale catalogus")
    redenen: list[Reden] = Field(min_length=1, max_length=10)
    deelzaken: list[Url] = Field(default_factory=list, max_length=20,
                                 description="andere kolomzaken van hetzelfde huishouden die meegaan")
