"""Request bodies of the Catalogi API 1.3.1, with its field names, lengths and enums.

A body is validated whole; a PATCH is the stored body with the patch laid over it, validated whole
again, so one model holds the rules for create, update and partial update.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from services.zaken.common import Url, ZgwBody

Vertrouwelijkheidaanduiding = Literal["openbaar", "beperkt_openbaar", "intern", "zaakvertrouwelijk",
                                      "vertrouwelijk", "confidentieel", "geheim", "zeer_geheim"]
OmschrijvingGeneriek = Literal["adviseur", "behandelaar", "belanghebbende", "beslisser", "initiator",
                               "klantcontacter", "zaakcoordinator", "mede_initiator"]
Kolom = Literal["wmo", "jeugd", "participatie", "schuldhulp", "integraal"]
Uitkomst = Literal["toegekend", "gedeeltelijk-toegekend", "afgewezen", "ingetrokken", "buiten-behandeling"]

_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")


def _duration(value: str) -> str:
    if not _DURATION.match(value):
        raise ValueError("Geen geldige ISO 8601 duur, bijvoorbeeld P8W of P1Y6M")
    return value


Duration = Annotated[str, Field(max_length=40, json_schema_extra={"format": "duration"}), AfterValidator(_duration)]


class Geldigheid(ZgwBody):
    begin_geldigheid: date | None = None
    einde_geldigheid: date | None = None
    begin_object: date | None = None
    einde_object: date | None = None

    @model_validator(mode="after")
    def _begin_before_einde(self) -> Geldigheid:
        if self.begin_geldigheid and self.einde_geldigheid and self.einde_geldigheid < self.begin_geldigheid:
            raise ValueError("eindeGeldigheid ligt voor beginGeldigheid")
        return self


class CatalogusIn(ZgwBody):
    domein: str = Field(min_length=1, max_length=5)
    rsin: str = Field(min_length=9, max_length=9)
    contactpersoon_beheer_naam: str = Field(min_length=1, max_length=40)
    contactpersoon_beheer_telefoonnummer: str = Field("", max_length=20)
    contactpersoon_beheer_emailadres: str = Field("", max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")
    naam: str | None = Field(None, max_length=200)
    versie: str | None = Field(None, max_length=20)
    begindatum_versie: date | None = None
    kolom: Kolom | None = Field(None, description="Sociaal domein: de kolom waar deze catalogus bij hoort")


class ReferentieProces(ZgwBody):
    naam: str = Field(min_length=1, max_length=80)
    link: str = Field("", max_length=200)


class ZaakTypenRelatie(ZgwBody):
    zaaktype: str = Field(min_length=1, max_length=200)
    aard_relatie: Literal["vervolg", "bijdrage", "onderwerp"]
    toelichting: str = Field("", max_length=255)


class BronCatalogus(ZgwBody):
    url: Url
    domein: str = Field(max_length=5)
    rsin: str = Field(max_length=9)


class BronZaaktype(ZgwBody):
    url: Url
    identificatie: str = Field(max_length=50)
    omschrijving: str = Field(max_length=80)


class ZaakTypeIn(Geldigheid):
    identificatie: str = Field(min_length=1, max_length=50, pattern=r"^[\w-]+$")
    omschrijving: str = Field(min_length=1, max_length=80)
    omschrijving_generiek: str = Field("", max_length=80)
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding
    doel: str = Field(min_length=1, max_length=10000)
    aanleiding: str = Field(min_length=1, max_length=10000)
    toelichting: str = Field("", max_length=10000)
    indicatie_intern_of_extern: Literal["intern", "extern"]
    handeling_initiator: str = Field(min_length=1, max_length=20)
    onderwerp: str = Field(min_length=1, max_length=80)
    handeling_behandelaar: str = Field(min_length=1, max_length=20)
    doorlooptijd: Duration
    servicenorm: Duration | None = None
    opschorting_en_aanhouding_mogelijk: bool
    verlenging_mogelijk: bool
    verlengingstermijn: Duration | None = None
    trefwoorden: list[Annotated[str, Field(min_length=1, max_length=30)]] = Field(default_factory=list,
                                                                                   max_length=50)
    publicatie_indicatie: bool
    publicatietekst: str = Field("", max_length=10000)
    verantwoordingsrelatie: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=50)
    producten_of_diensten: list[Url] = Field(default_factory=list, max_length=50)
    selectielijst_procestype: str = Field("", max_length=200)
    referentieproces: ReferentieProces
    verantwoordelijke: str = Field(min_length=1, max_length=50)
    broncatalogus: BronCatalogus | None = None
    bronzaaktype: BronZaaktype | None = None
    catalogus: Url
    besluittypen: list[Url] = Field(default_factory=list, max_length=50)
    deelzaaktypen: list[Url] = Field(default_factory=list, max_length=50)
    gerelateerde_zaaktypen: list[ZaakTypenRelatie] = Field(default_factory=list, max_length=50)
    begin_geldigheid: date
    versiedatum: date

    @model_validator(mode="after")
    def _verlenging(self) -> ZaakTypeIn:
        if self.verlenging_mogelijk and not self.verlengingstermijn:
            raise ValueError("verlengingstermijn is verplicht als verlengingMogelijk waar is")
        return self


class CheckListItem(ZgwBody):
    itemnaam: str = Field(min_length=1, max_length=30)
    toelichting: str = Field("", max_length=1000)
    vraagstelling: str = Field(min_length=1, max_length=255)
    verplicht: bool = False


class StatusTypeIn(Geldigheid):
    omschrijving: str = Field(min_length=1, max_length=80)
    omschrijving_generiek: str = Field("", max_length=80)
    statustekst: str = Field("", max_length=1000)
    zaaktype: Url
    volgnummer: int = Field(ge=1, le=9999)
    informeren: bool = False
    doorlooptijd: Duration | None = None
    toelichting: str | None = Field(None, max_length=1000)
    checklistitem_statustype: list[CheckListItem] = Field(default_factory=list, max_length=50)
    eigenschappen: list[Url] = Field(default_factory=list, max_length=50)


class RolTypeIn(Geldigheid):
    zaaktype: Url
    omschrijving: str = Field(min_length=1, max_length=100)
    omschrijving_generiek: OmschrijvingGeneriek


class BrondatumArchiefprocedure(ZgwBody):
    afleidingswijze: Literal["afgehandeld", "ander_datumkenmerk", "eigenschap", "gerelateerde_zaak",
                             "hoofdzaak", "ingangsdatum_besluit", "termijn", "vervaldatum_besluit", "zaakobject"]
    datumkenmerk: str = Field("", max_length=80)
    einddatum_bekend: bool = False
    objecttype: str = Field("", max_length=80)
    registratie: str = Field("", max_length=80)
    procestermijn: Duration | None = None


class ResultaatTypeIn(Geldigheid):
    zaaktype: Url
    omschrijving: str = Field(min_length=1, max_length=30)
    resultaattypeomschrijving: Url
    selectielijstklasse: Url
    toelichting: str = Field("", max_length=10000)
    archiefnominatie: Literal["blijvend_bewaren", "vernietigen"] | None = None
    archiefactietermijn: Duration | None = None
    brondatum_archiefprocedure: BrondatumArchiefprocedure | None = None
    procesobjectaard: str | None = Field(None, max_length=200)
    indicatie_specifiek: bool | None = None
    procestermijn: Duration | None = None
    besluittypen: list[Url] = Field(default_factory=list, max_length=50)
    informatieobjecttypen: list[Url] = Field(default_factory=list, max_length=50)
    uitkomst: Uitkomst | None = Field(
        None, description="Sociaal domein: wat dit resultaat voor de inwoner betekent (voor de events)")


class EigenschapSpecificatie(ZgwBody):
    groep: str = Field("", max_length=32)
    formaat: Literal["tekst", "getal", "datum", "datum_tijd"]
    lengte: str = Field(min_length=1, max_length=14, pattern=r"^[0-9]+(,[0-9]+)?$")
    kardinaliteit: str = Field(min_length=1, max_length=3, pattern=r"^([1-9][0-9]{0,2}|N)$")
    waardenverzameling: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=100)


class EigenschapIn(Geldigheid):
    naam: str = Field(min_length=1, max_length=20)
    definitie: str = Field(min_length=1, max_length=255)
    specificatie: EigenschapSpecificatie
    toelichting: str = Field("", max_length=1000)
    zaaktype: Url
    statustype: Url | None = None

    @field_validator("naam")
    @classmethod
    def _no_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("naam mag niet leeg zijn")
        return value


class BesluitTypeIn(Geldigheid):
    catalogus: Url
    omschrijving: str = Field("", max_length=80)
    omschrijving_generiek: str = Field("", max_length=80)
    besluitcategorie: str = Field("", max_length=40)
    reactietermijn: Duration | None = None
    publicatie_indicatie: bool
    publicatietekst: str = Field("", max_length=10000)
    publicatietermijn: Duration | None = None
    toelichting: str = Field("", max_length=10000)
    # Catalogi 1.3.1: URLs of informatieobjecttypen of the same catalogus; an omschrijving (how Open Zaak 1.3 named
    # them) names every version of that informatieobjecttype.
    informatieobjecttypen: list[Annotated[str, Field(min_length=1, max_length=1000)]] = Field(max_length=50)
    begin_geldigheid: date


class InformatieObjectTypeOmschrijvingGeneriek(ZgwBody):
    informatieobjecttype_omschrijving_generiek: str = Field(max_length=80)
    definitie_informatieobjecttype_omschrijving_generiek: str = Field(max_length=255)
    herkomst_informatieobjecttype_omschrijving_generiek: str = Field(max_length=12)
    hierarchie_informatieobjecttype_omschrijving_generiek: str = Field(max_length=80)
    opmerking_informatieobjecttype_omschrijving_generiek: str | None = Field(None, max_length=255)


class InformatieObjectTypeIn(Geldigheid):
    catalogus: Url
    omschrijving: str = Field(min_length=1, max_length=80)
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding
    informatieobjectcategorie: str = Field(min_length=1, max_length=80)
    trefwoord: list[Annotated[str, Field(min_length=1, max_length=30)]] = Field(default_factory=list, max_length=50)
    omschrijving_generiek: InformatieObjectTypeOmschrijvingGeneriek | None = None
    begin_geldigheid: date


class ZaakObjectTypeIn(Geldigheid):
    ander_objecttype: bool
    objecttype: Url = Field(max_length=200)
    relatie_omschrijving: str = Field(min_length=1, max_length=80)
    zaaktype: Url
    catalogus: Url
    resultaattypen: list[Url] = Field(default_factory=list, max_length=50)
    statustypen: list[Url] = Field(default_factory=list, max_length=50)
    begin_geldigheid: date


class ZaakTypeInformatieObjectTypeIn(ZgwBody):
    zaaktype: Url
    # The spec types it as a string: the URL of an informatieobjecttype of the zaaktype's catalogus, or its
    # omschrijving (then its newest version).
    informatieobjecttype: str = Field(min_length=1, max_length=1000)
    volgnummer: int = Field(ge=1, le=999)
    richting: Literal["inkomend", "intern", "uitgaand"]
    statustype: Url | None = None
