"""Request and response bodies of aanvragen: camelCase on the wire, nothing undeclared accepted."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from sds.runtime.bsn import Bsn

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
    triage: dict[str, Any] | None = Field(description="what triage decided and why, in words a worker can read")
    termijnen: list[TermijnUit]
    delegaties: list[DelegatieUit]
    uitkomst: str | None
    einddatum: date | None


class HistorieRegel(Schema):
    status: str
    tijdstip: datetime
    toelichting: str
    door: str


class StatusberichtUit(Schema):
    url: str
    aanvraag: str
    partij: str
    externe_referentie: str
    soort: str
    status: str
    uitkomst: str | None
    ontvangen: datetime
