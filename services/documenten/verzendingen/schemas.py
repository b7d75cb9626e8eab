"""Request bodies of verzendingen, read as the reference does (readOnly and unknown fields ignored)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from sds.runtime.body import ZgwBody


class BinnenlandsAdres(ZgwBody):
    huisletter: str = Field("", max_length=1)
    huisnummer: int = Field(ge=0, le=99999)
    huisnummer_toevoeging: str = Field("", max_length=4)
    naam_openbare_ruimte: str = Field(min_length=1, max_length=80)
    postcode: str = Field("", max_length=6)
    woonplaatsnaam: str = Field(min_length=1, max_length=80)


class BuitenlandsAdres(ZgwBody):
    adres_buitenland_1: str = Field(min_length=1, max_length=35, alias="adresBuitenland1")
    adres_buitenland_2: str = Field("", max_length=35, alias="adresBuitenland2")
    adres_buitenland_3: str = Field("", max_length=35, alias="adresBuitenland3")
    land_postadres: str = Field(min_length=1, max_length=200)


class Postadres(ZgwBody):
    post_bus_of_antwoordnummer: int = Field(ge=0, le=9999)
    postadres_postcode: str = Field(min_length=1, max_length=6)
    postadres_type: Literal["antwoordnummer", "postbusnummer"]
    woonplaatsnaam: str = Field(min_length=1, max_length=80)


class VerzendingIn(ZgwBody):
    betrokkene: str = Field(min_length=1, max_length=200)
    informatieobject: str = Field(min_length=1, max_length=1000)
    aard_relatie: Literal["afzender", "geadresseerde"]
    toelichting: str = Field("", max_length=200)
    ontvangstdatum: date | None = None
    verzenddatum: date | None = None
    contact_persoon: str = Field(min_length=1, max_length=1000)
    contactpersoonnaam: str = Field("", max_length=40)
    binnenlands_correspondentieadres: BinnenlandsAdres | None = None
    buitenlands_correspondentieadres: BuitenlandsAdres | None = None
    correspondentie_postadres: Postadres | None = None
    faxnummer: str | None = Field(None, max_length=15)
    emailadres: str | None = Field(None, max_length=100)
    mijn_overheid: bool = False
    telefoonnummer: str | None = Field(None, max_length=15)

    def adressen(self) -> int:
        """How many of the standard's ways to reach the betrokkene this verzending names."""
        return sum(bool(v) for v in (self.binnenlands_correspondentieadres, self.buitenlands_correspondentieadres,
                                     self.correspondentie_postadres, self.faxnummer, self.emailadres,
                                     self.mijn_overheid, self.telefoonnummer))
