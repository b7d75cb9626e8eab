"""Request and response bodies of aanvragen: camelCase on the wire, nothing undeclared accepted."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from sds.runtime.bsn import Bsn
from sds.runtime.doelbinding import Bron, Deel, Spoor, Vorm, kolom_van, kolommen_van, registreer, van_de_bron

Kolom = Literal["wmo", "jeugd", "participatie", "schuldhulp"]

# The leefgebieden a question can be about, and the kolom (law) each belongs to.
LEEFGEBIEDEN: dict[str, str] = {
    "huishouden": "wmo",
    "begeleiding": "wmo",
    "dagbesteding": "wmo",
    "mobiliteit": "wmo",
    "wonen": "wmo",
    "mantelzorg": "wmo",
    "opvoeden": "jeugd",
    "opgroeien": "jeugd",
    "jeugdhulp": "jeugd",
    "werk": "participatie",
    "inkomen": "participatie",
    "schulden": "schuldhulp",
    "geldzaken": "schuldhulp",
}
Leefgebied = Literal["huishouden", "begeleiding", "dagbesteding", "mobiliteit", "wonen", "mantelzorg", "opvoeden",
                     "opgroeien", "jeugdhulp", "werk", "inkomen", "schulden", "geldzaken"]
assert set(LEEFGEBIEDEN) == set(Leefgebied.__args__)  # type: ignore[attr-defined]

Status = Literal["ingediend", "getrieerd", "in_behandeling", "doorgezet", "afgerond", "ingetrokken"]
AFGESLOTEN = ("afgerond", "ingetrokken")


Url = Annotated[str, Field(min_length=8, max_length=1000, pattern=r"^https?://[^\s/?#]+[^\s]*$")]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, validate_by_name=True,
                              validate_by_alias=True)


class Vraag(Schema):
    leefgebied: Leefgebied
    kolom: Kolom | None = Field(None, description="leave out to take the leefgebied's kolom; given, it must match")
    toelichting: str | None = Field(None, max_length=2000)

    @model_validator(mode="after")
    def _kolom_past(self) -> Vraag:
        if self.kolom is not None and LEEFGEBIEDEN[self.leefgebied] != self.kolom:
            raise PydanticCustomError("kolom-mismatch", "Het leefgebied {leefgebied} hoort bij de kolom {hoort}.",
                                      {"leefgebied": self.leefgebied, "hoort": LEEFGEBIEDEN[self.leefgebied]})
        return self

    @property
    def eigen_kolom(self) -> str:
        return self.kolom or LEEFGEBIEDEN[self.leefgebied]


class Naam(Schema):
    voornamen: str | None = Field(None, max_length=200)
    voorvoegsel: str | None = Field(None, max_length=10)
    geslachtsnaam: str = Field(min_length=1, max_length=200)


class Aanvrager(Schema):
    """The person the aanvraag is for; intake finds (or registers) the household in klantgegevens."""

    burgerservicenummer: Bsn
    naam: Naam | None = Field(None, description="needed only when klantgegevens does not know the person yet")


class NieuweAanvraag(Schema):
    ingediend_door: Literal["inwoner", "medewerker", "partner"]
    vragen: list[Vraag] = Field(min_length=1, max_length=20)
    huishouden: Url | None = Field(None, description="the household in klantgegevens, when the filer knows it")
    aanvrager: Aanvrager | None = None
    toelichting: str | None = Field(None, max_length=4000)

    @model_validator(mode="after")
    def _wie(self) -> NieuweAanvraag:
        if (self.huishouden is None) == (self.aanvrager is None):
            raise PydanticCustomError("huishouden-of-aanvrager", "Geef het huishouden of de aanvrager op (één van "
                                                                  "beide).")
        return self


class Statusbericht(Schema):
    """An external party reports on an aanvraag delegated to it."""

    aanvraag: Url
    externe_referentie: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")
    soort: Literal["status", "uitkomst"]
    status: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$", description="the party's status code")
    uitkomst: Literal["toegekend", "gedeeltelijk-toegekend", "afgewezen", "ingetrokken"] | None = None

    @model_validator(mode="after")
    def _uitkomst(self) -> Statusbericht:
        if (self.soort == "uitkomst") != (self.uitkomst is not None):
            raise PydanticCustomError("uitkomst", "Een uitkomst hoort bij soort 'uitkomst', en alleen daar.")
        return self


class VraagUit(Schema):
    leefgebied: str
    kolom: str
    toelichting: str | None


class TermijnUit(Schema):
    kolom: str
    soort: str
    dagen: int
    startdatum: date
    uiterlijke_einddatum: date
    gehaald_op: date | None
    overschreden: bool


class DelegatieUit(Schema):
    cluster: str
    partij: str
    kolommen: list[str]
    status: str
    externe_referentie: str | None
    uitkomst: str | None


class TriageZaak(Schema):
    kolommen: list[str]
    cluster: str
    zaaktype: str
    integraal: bool
    regisseur: bool
    zaaktype_identificatie: str


class TriageDelegatie(Schema):
    cluster: str
    kolommen: list[str]
    partij: str


class TriageReden(Schema):
    code: str
    kolom: str | None
    tekst: str


class Triage(Schema):
    integraal: bool | None = Field(description="whether the household is handled as one; null for a team that "
                                               "does not see every kolom of the aanvraag")
    regie: str | None = Field(description="geen, per-cluster or huishouden; null as integraal")
    zaken: list[TriageZaak]
    delegaties: list[TriageDelegatie]
    redenen: list[TriageReden]
    archetype: str | None
    getrieerd_op: str


class Aanvraag(Schema):
    url: str
    uuid: str
    huishouden: str | None
    ingediend_door: str
    status: Status
    kolommen: list[str]
    clusters: list[str]
    vragen: list[VraagUit]
    registratiedatum: date
    ingediend_op: datetime
    toelichting: str | None
    triage: Triage | None = Field(description="what triage decided and why, in words a worker can read")
    termijnen: list[TermijnUit]
    delegaties: list[DelegatieUit]
    uitkomst: str | None
    einddatum: date | None
    andere_kolommen: bool | None = Field(
        None, description="true when parts of the aanvraag in other kolommen were left out for this client; null "
                          "when the archetype does not let a team learn that (profile zicht.andere_kolommen)")


def _kolommen(aanvraag: Any) -> list[str]:
    return list(aanvraag["kolommen"])


def _reden(reden: Any, aanvraag: Any) -> list[str]:
    # A reason without a kolom speaks of the whole aanvraag (its words name every kolom).
    return [reden["kolom"]] if reden.get("kolom") else _kolommen(aanvraag)


# What of an aanvraag belongs to which kolom: every answer that shows an aanvraag is cut by this (doelbinding).
AANVRAAG = registreer(Bron(
    "aanvraag", kolommen=_kolommen,
    integraal=lambda a: bool(a.get("triage") and a["triage"].get("integraal")),
    vorm=Vorm(
        Aanvraag,
        vrij=("url", "uuid", "huishouden", "ingediendDoor", "status", "registratiedatum", "ingediendOp", "uitkomst",
              "einddatum"),
        delen=(Deel("vragen", kolom_van("kolom")),
               Deel("termijnen", kolom_van("kolom")),
               Deel("delegaties", kolommen_van("kolommen"), sporen=("kolommen",)),
               # The filer's own words about the household may speak of every kolom.
               Deel("toelichting", van_de_bron(_kolommen), lijst=False, ondeelbaar=True)),
        sporen=(Spoor("kolommen"), Spoor("clusters", "clusters")),
        binnen={"triage": Vorm(
            Triage,
            vrij=("archetype", "getrieerdOp"),
            delen=(Deel("integraal", van_de_bron(_kolommen), lijst=False, ondeelbaar=True),
                   Deel("regie", van_de_bron(_kolommen), lijst=False, ondeelbaar=True),
                   Deel("zaken", kolommen_van("kolommen"), sporen=("kolommen",)),
                   Deel("delegaties", kolommen_van("kolommen"), sporen=("kolommen",)),
                   Deel("redenen", _reden, ondeelbaar=True)))},
        melding="andereKolommen")))


class HistorieRegel(Schema):
    status: str
    tijdstip: datetime
    toelichting: str
    door: str
    kolommen: list[str] = Field(description="the kolommen the line speaks of; empty: none in particular")


# A history line is shown whole or not at all: its words may name every kolom it speaks of.
HISTORIEREGEL = registreer(Bron(
    "aanvraag-historieregel", kolommen=lambda h: h["kolommen"], ondeelbaar=True,
    vorm=Vorm(HistorieRegel, vrij=("status", "tijdstip", "toelichting", "door"), sporen=(Spoor("kolommen"),))))


class StatusberichtUit(Schema):
    url: str
    aanvraag: str
    partij: str
    externe_referentie: str
    soort: str
    status: str
    uitkomst: str | None
    ontvangen: datetime
