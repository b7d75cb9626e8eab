"""Request bodies of the Zaken API 1.5.1 (plus the sociaal-domein fields, marked as such)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

from services.zaken.catalogi.schemas import Duration, Vertrouwelijkheidaanduiding
from services.zaken.common import Url, ZgwBody
from services.zaken.zaken import geometrie

Rsin = Annotated[str, Field(min_length=9, max_length=9)]
OptionalUrl = Annotated[str, Field(max_length=1000)]
Archiefnominatie = Literal["blijvend_bewaren", "vernietigen"]
Archiefstatus = Literal["nog_te_archiveren", "gearchiveerd", "gearchiveerd_procestermijn_onbekend", "overgedragen"]
BetrokkeneType = Literal["natuurlijk_persoon", "niet_natuurlijk_persoon", "vestiging", "organisatorische_eenheid",
                         "medewerker"]
OmschrijvingGeneriek = Literal["adviseur", "behandelaar", "belanghebbende", "beslisser", "initiator",
                               "klantcontacter", "zaakcoordinator", "mede_initiator"]
ObjectType = Literal["adres", "besluit", "buurt", "enkelvoudig_document", "gemeente", "gemeentelijke_openbare_ruimte",
                     "huishouden", "inrichtingselement", "kadastrale_onroerende_zaak", "kunstwerkdeel",
                     "maatschappelijke_activiteit", "medewerker", "natuurlijk_persoon", "niet_natuurlijk_persoon",
                     "openbare_ruimte", "organisatorische_eenheid", "pand", "spoorbaandeel", "status", "terreindeel",
                     "terrein_gebouwd_object", "vestiging", "waterdeel", "wegdeel", "wijk", "woonplaats",
                     "woz_deelobject", "woz_object", "woz_waarde", "zakelijk_recht", "overige"]
SEARCH_ORDERING = ("startdatum", "-startdatum", "einddatum", "-einddatum", "publicatiedatum", "-publicatiedatum",
                   "archiefactiedatum", "-archiefactiedatum", "registratiedatum", "-registratiedatum",
                   "identificatie", "-identificatie")


class Verlenging(ZgwBody):
    reden: str = Field(min_length=1, max_length=200)
    duur: Duration


class Opschorting(ZgwBody):
    indicatie: bool
    reden: str = Field("", max_length=200)


class ZaakKenmerk(ZgwBody):
    kenmerk: str = Field(min_length=1, max_length=40)
    bron: str = Field(min_length=1, max_length=40)


class RelevanteZaak(ZgwBody):
    url: Url
    aard_relatie: Literal["vervolg", "onderwerp", "bijdrage"]


class Processobject(ZgwBody):
    datumkenmerk: str = Field(min_length=1, max_length=250)
    identificatie: str = Field(min_length=1, max_length=250)
    objecttype: str = Field(min_length=1, max_length=250)
    registratie: str = Field(min_length=1, max_length=250)


class Geometry(ZgwBody):
    type: Literal["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"]
    coordinates: list[Any] = Field(max_length=10000)

    @model_validator(mode="after")
    def _leesbaar(self) -> Geometry:
        geometrie.vorm({"type": self.type, "coordinates": self.coordinates})
        return self


class GeometrieZoek(ZgwBody):
    """``zaakgeometrie`` of ``POST /zaken/_zoek``: the zaken whose geometry lies within this one."""

    within: Geometry


class ZaakIn(ZgwBody):
    identificatie: str = Field("", max_length=40, pattern=r"^[\w-]*$")
    bronorganisatie: Rsin
    omschrijving: str = Field("", max_length=80)
    toelichting: str = Field("", max_length=1000)
    zaaktype: Url
    registratiedatum: date | None = None
    verantwoordelijke_organisatie: Rsin
    startdatum: date
    einddatum_gepland: date | None = None
    uiterlijke_einddatum_afdoening: date | None = None
    publicatiedatum: date | None = None
    communicatiekanaal: OptionalUrl = ""
    producten_of_diensten: list[Url] = Field(default_factory=list, max_length=50)
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding | None = None
    betalingsindicatie: Literal["", "nvt", "nog_niet", "gedeeltelijk", "geheel"] = ""
    laatste_betaaldatum: AwareDatetime | None = None
    zaakgeometrie: Geometry | None = None
    verlenging: Verlenging | None = None
    opschorting: Opschorting | None = None
    selectielijstklasse: OptionalUrl = ""
    hoofdzaak: Url | None = None
    relevante_andere_zaken: list[RelevanteZaak] = Field(default_factory=list, max_length=50)
    kenmerken: list[ZaakKenmerk] = Field(default_factory=list, max_length=50)
    archiefnominatie: Archiefnominatie | Literal[""] | None = None
    archiefstatus: Archiefstatus = "nog_te_archiveren"
    archiefactiedatum: date | None = None
    opdrachtgevende_organisatie: str = Field("", max_length=9)
    processobjectaard: str | None = Field(None, max_length=200)
    startdatum_bewaartermijn: date | None = None
    processobject: Processobject | None = None
    # Sociaal domein: the household and the aanvraag this zaak is for (references into klantgegevens and intake).
    huishouden: Url | None = None
    aanvraag: Url | None = None

    @model_validator(mode="after")
    def _betaling(self) -> ZaakIn:
        if self.betalingsindicatie == "nvt" and self.laatste_betaaldatum is not None:
            raise ValueError("laatsteBetaaldatum kan niet gezet worden als betalingsindicatie 'nvt' is")
        return self


class StatusIn(ZgwBody):
    zaak: Url
    statustype: Url
    datum_status_gezet: AwareDatetime | datetime
    statustoelichting: str = Field("", max_length=1000)
    gezetdoor: OptionalUrl = ""


class ContactPersoonRol(ZgwBody):
    emailadres: str = Field("", max_length=254)
    functie: str = Field("", max_length=50)
    telefoonnummer: str = Field("", max_length=20)
    naam: str = Field(min_length=1, max_length=40)


class BetrokkeneIdentificatie(ZgwBody):
    """The identifying fields of the betrokkene types the social domain uses; free-text names are optional."""

    # natuurlijk_persoon
    inp_bsn: str | None = Field(None, max_length=9, pattern=r"^[0-9]{9}$")
    anp_identificatie: str | None = Field(None, max_length=17)
    inp_a_nummer: str | None = Field(None, max_length=10, alias="inpA_nummer")
    geslachtsnaam: str | None = Field(None, max_length=200)
    voorvoegsel_geslachtsnaam: str | None = Field(None, max_length=80)
    voorletters: str | None = Field(None, max_length=20)
    voornamen: str | None = Field(None, max_length=200)
    geslachtsaanduiding: Literal["m", "v", "o", ""] | None = None
    geboortedatum: str | None = Field(None, max_length=18)
    # medewerker / organisatorische_eenheid / vestiging / niet_natuurlijk_persoon
    identificatie: str | None = Field(None, max_length=24)
    achternaam: str | None = Field(None, max_length=200)
    voorvoegsel_achternaam: str | None = Field(None, max_length=10)
    naam: str | None = Field(None, max_length=200)
    vestigings_nummer: str | None = Field(None, max_length=24)
    inn_nnp_id: str | None = Field(None, max_length=9)
    ann_identificatie: str | None = Field(None, max_length=17)

    @field_validator("inp_bsn")
    @classmethod
    def _bsn(cls, value: str | None) -> str | None:
        from services.zaken.common import elfproef

        if value and not elfproef(value):
            raise ValueError("Ongeldig BSN (11-proef)")
        return value


class RolIn(ZgwBody):
    zaak: Url
    betrokkene: OptionalUrl = ""
    betrokkene_type: BetrokkeneType
    afwijkende_naam_betrokkene: str = Field("", max_length=625)
    roltype: Url
    roltoelichting: str = Field(max_length=1000)
    indicatie_machtiging: Literal["gemachtigde", "machtiginggever", ""] = ""
    contactpersoon_rol: ContactPersoonRol | None = None
    betrokkene_identificatie: BetrokkeneIdentificatie | None = None

    @model_validator(mode="after")
    def _betrokkene(self) -> RolIn:
        if not self.betrokkene and self.betrokkene_identificatie is None:
            raise ValueError("betrokkene of betrokkeneIdentificatie moet opgegeven zijn")
        return self


class Product(ZgwBody):
    productcategorie: str = Field(pattern=r"^[0-9]{2}$")
    productcode: str | None = Field(None, pattern=r"^[0-9A-Z]{5}$")


class Omvang(ZgwBody):
    volume: int = Field(ge=1, le=1_000_000)
    eenheid: Literal["minuut", "uur", "dagdeel", "etmaal", "stuks", "euro"]
    frequentie: Literal["per-dag", "per-week", "per-maand", "per-jaar", "totaal-binnen-geldigheidsduur"]


class Toekenning(ZgwBody):
    """Sociaal domein: what a toekenning grants, carried to financien in resultaat-vastgesteld."""

    product: Product
    omvang: Omvang
    begindatum: date
    einddatum: date | None = None
    aanbieder: Url | None = None

    @model_validator(mode="after")
    def _periode(self) -> Toekenning:
        if self.einddatum is not None and self.einddatum < self.begindatum:
            raise ValueError("einddatum ligt voor begindatum")
        return self


class ResultaatIn(ZgwBody):
    zaak: Url
    resultaattype: Url
    toelichting: str = Field("", max_length=1000)
    toekenningen: list[Toekenning] = Field(default_factory=list, max_length=20)


class ObjectIdentificatie(ZgwBody):
    # huishouden
    nummer: str | None = Field(None, max_length=12)
    # natuurlijk_persoon
    inp_bsn: str | None = Field(None, max_length=9, pattern=r"^[0-9]{9}$")
    anp_identificatie: str | None = Field(None, max_length=17)
    # overige
    overige_data: dict[str, Any] | None = None


class ObjectTypeOverigeDefinitie(ZgwBody):
    url: Url
    schema_: str = Field(alias="schema", max_length=100)
    object_data: str = Field(max_length=100)


class ZaakObjectIn(ZgwBody):
    zaak: Url
    object: OptionalUrl = ""
    zaakobjecttype: OptionalUrl = ""
    object_type: ObjectType
    object_type_overige: str = Field("", max_length=100, pattern=r"^[a-z\_]*$")
    object_type_overige_definitie: ObjectTypeOverigeDefinitie | None = None
    relatieomschrijving: str = Field("", max_length=80)
    object_identificatie: ObjectIdentificatie | None = None

    @model_validator(mode="after")
    def _object(self) -> ZaakObjectIn:
        if not self.object and self.object_identificatie is None:
            raise ValueError("object of objectIdentificatie moet opgegeven zijn")
        if self.object_type == "overige" and not (self.object_type_overige or self.object_type_overige_definitie):
            raise ValueError("objectTypeOverige is verplicht bij objectType 'overige'")
        return self


class KlantContactIn(ZgwBody):
    zaak: Url
    identificatie: str = Field("", max_length=14)
    datumtijd: AwareDatetime | datetime
    kanaal: str = Field("", max_length=20)
    onderwerp: str = Field("", max_length=200)
    toelichting: str = Field("", max_length=1000)


class ZaakBesluitIn(ZgwBody):
    besluit: Url


class ZaakEigenschapIn(ZgwBody):
    zaak: Url
    eigenschap: Url
    waarde: str = Field(min_length=1, max_length=10000)


class ZaakZoek(ZgwBody):
    """The body of ``POST /zaken/_zoek``: the list filters, plus those that must not appear in a URL."""

    # The spec names these fields with double underscores; they are not camelCased.
    model_config = ConfigDict(alias_generator=None, extra="forbid", validate_by_name=True, validate_by_alias=True)

    uuid__in: list[Annotated[str, Field(max_length=36)]] | None = Field(None, max_length=500)
    identificatie: str | None = Field(None, max_length=40)
    bronorganisatie: str | None = Field(None, max_length=9)
    bronorganisatie__in: list[Annotated[str, Field(max_length=9)]] | None = Field(None, max_length=100)
    zaaktype: str | None = Field(None, max_length=1000)
    zaaktype__in: list[Annotated[str, Field(max_length=1000)]] | None = Field(None, max_length=100)
    archiefnominatie: Archiefnominatie | None = None
    archiefnominatie__in: list[Archiefnominatie] | None = Field(None, max_length=10)
    archiefstatus: Archiefstatus | None = None
    archiefstatus__in: list[Archiefstatus] | None = Field(None, max_length=10)
    archiefactiedatum: date | None = None
    archiefactiedatum__lt: date | None = None
    archiefactiedatum__gt: date | None = None
    archiefactiedatum__isnull: bool | None = None
    startdatum: date | None = None
    startdatum__gt: date | None = None
    startdatum__gte: date | None = None
    startdatum__lt: date | None = None
    startdatum__lte: date | None = None
    registratiedatum: date | None = None
    registratiedatum__gt: date | None = None
    registratiedatum__lt: date | None = None
    einddatum: date | None = None
    einddatum__gt: date | None = None
    einddatum__lt: date | None = None
    einddatum__isnull: bool | None = None
    einddatum_gepland: date | None = Field(None, alias="einddatumGepland")
    einddatum_gepland__gt: date | None = Field(None, alias="einddatumGepland__gt")
    einddatum_gepland__lt: date | None = Field(None, alias="einddatumGepland__lt")
    uiterlijke_einddatum_afdoening: date | None = Field(None, alias="uiterlijkeEinddatumAfdoening")
    uiterlijke_einddatum_afdoening__gt: date | None = Field(None, alias="uiterlijkeEinddatumAfdoening__gt")
    uiterlijke_einddatum_afdoening__lt: date | None = Field(None, alias="uiterlijkeEinddatumAfdoening__lt")
    rol__betrokkene_type: BetrokkeneType | None = Field(None, alias="rol__betrokkeneType")
    rol__betrokkene: str | None = Field(None, max_length=1000)
    rol__omschrijving_generiek: OmschrijvingGeneriek | None = Field(None, alias="rol__omschrijvingGeneriek")
    maximale_vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding | None = Field(
        None, alias="maximaleVertrouwelijkheidaanduiding")
    rol__betrokkene_identificatie__natuurlijk_persoon__inp_bsn: str | None = Field(
        None, alias="rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn", max_length=9)
    rol__betrokkene_identificatie__medewerker__identificatie: str | None = Field(
        None, alias="rol__betrokkeneIdentificatie__medewerker__identificatie", max_length=24)
    ordering: str | None = Field(None, max_length=200)
    expand: str | None = Field(None, max_length=200)
    zaakgeometrie: GeometrieZoek | None = None


class ZaakInformatieObjectIn(ZgwBody):
    """Read-only fields a client got from us (``url``, ``uuid``, ``aardRelatieWeergave``, ``registratiedatum``)
    may be sent back, as a ZGW client does on PUT; they and other unknown fields are ignored."""

    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True,
                              extra="ignore")

    informatieobject: Url
    zaak: Url
    titel: str = Field("", max_length=200)
    beschrijving: str = ""
    vernietigingsdatum: AwareDatetime | None = None
    status: OptionalUrl | None = None
