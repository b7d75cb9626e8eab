"""Request and response bodies of the Klantgegevens API: camelCase on the wire, nothing undeclared accepted."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from sds.runtime.bsn import Bsn
from sds.runtime.doelbinding import Bron, Deel, Vorm, registreer, van_de_bron

KolomCode = Literal["wmo", "jeugd", "participatie", "schuldhulp"]
ClusterCode = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
RolCode = Literal["ouder", "partner", "kind", "overig"]




def _uuid_from(kind: str) -> AfterValidator:
    pattern = re.compile(rf"/{kind}/([0-9a-fA-F-]{{36}})$")

    def parse(value: str) -> str:
        match = pattern.search(value)
        try:
            return str(UUID(match.group(1))) if match else _fail(kind)
        except ValueError:
            return _fail(kind)

    return AfterValidator(parse)


def _fail(kind: str) -> str:
    raise PydanticCustomError("url", f"Geen URL van een resource in /{kind}.")


PersoonRef = Annotated[str, Field(max_length=1000, description="URL van een persoon"), _uuid_from("personen")]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, validate_by_name=True,
                              validate_by_alias=True)


# --- personen -------------------------------------------------------------------------------------------

class RaadpleegMetBurgerservicenummer(Schema):
    type: Literal["RaadpleegMetBurgerservicenummer"]
    burgerservicenummer: list[Bsn] = Field(min_length=1, max_length=20)


class ZoekMetGeslachtsnaamEnGeboortedatum(Schema):
    type: Literal["ZoekMetGeslachtsnaamEnGeboortedatum"]
    geslachtsnaam: str = Field(min_length=1, max_length=200)
    geboortedatum: date
    voornamen: str | None = Field(None, min_length=1, max_length=200)


QUERY_TYPES = frozenset({"RaadpleegMetBurgerservicenummer", "ZoekMetGeslachtsnaamEnGeboortedatum"})
PersonenQuery = Annotated[RaadpleegMetBurgerservicenummer | ZoekMetGeslachtsnaamEnGeboortedatum,
                          Field(discriminator="type")]


class Naam(Schema):
    voornamen: str | None = Field(None, max_length=200)
    voorvoegsel: str | None = Field(None, max_length=10)
    geslachtsnaam: str = Field(min_length=1, max_length=200)


class Verblijfplaats(Schema):
    straat: str | None = Field(None, max_length=80)
    huisnummer: int | None = Field(None, ge=1, le=99999)
    huisletter: str | None = Field(None, pattern=r"^[a-zA-Z]$")
    huisnummertoevoeging: str | None = Field(None, max_length=4)
    postcode: str | None = Field(None, pattern=r"^[1-9][0-9]{3}[A-Z]{2}$")
    woonplaats: str | None = Field(None, max_length=80)


class Inschrijving(Schema):
    """A person registered locally (the embedded default has no BRP behind it)."""

    burgerservicenummer: Bsn
    naam: Naam
    geboortedatum: date | None = None
    verblijfplaats: Verblijfplaats | None = None


class Persoon(Schema):
    url: str
    uuid: str
    burgerservicenummer: str
    naam: Naam
    geboortedatum: date | None
    verblijfplaats: Verblijfplaats | None
    huishouden: str | None
    bron: Literal["lokaal", "brp"]


class PersonenAntwoord(Schema):
    type: str
    personen: list[Persoon]


# --- huishoudens ---------------------------------------------------------------------------------------

class NieuwLid(Schema):
    persoon: PersoonRef
    rol: RolCode


class NieuwHuishouden(Schema):
    leden: list[NieuwLid] = Field(min_length=1, max_length=30)

    @model_validator(mode="after")
    def _once_each(self) -> NieuwHuishouden:
        if len({lid.persoon for lid in self.leden}) != len(self.leden):
            raise PydanticCustomError("unique", "Een persoon staat maar één keer in een huishouden.")
        return self


class RolWijziging(Schema):
    rol: RolCode


class Lid(Schema):
    persoon: str
    rol: RolCode
    van: datetime
    tot: datetime | None = None


class Huishouden(Schema):
    url: str
    uuid: str
    aangemaakt: datetime
    opgeheven: datetime | None
    leden: list[Lid]


# --- contactmomenten and toestemmingen -------------------------------------------------------------------

class NieuwContactmoment(Schema):
    persoon: PersoonRef
    cluster: ClusterCode
    kanaal: Literal["balie", "telefoon", "email", "brief", "chat", "huisbezoek", "videobellen"]
    onderwerp: str = Field(min_length=1, max_length=1000)
    medewerker: str = Field(min_length=1, max_length=200)
    tijdstip: AwareDatetime


class Contactmoment(Schema):
    url: str
    uuid: str
    persoon: str
    cluster: str
    kanaal: str
    onderwerp: str
    medewerker: str
    tijdstip: datetime


class NieuweToestemming(Schema):
    persoon: PersoonRef
    doel: ClusterCode = Field(description="the purpose the consent is for, as a code, e.g. ondersteuning-thuis")
    kolom: KolomCode | None = None
    cluster: ClusterCode | None = None
    startdatum: date
    einddatum: date | None = None

    @model_validator(mode="after")
    def _one_scope(self) -> NieuweToestemming:
        if (self.kolom is None) == (self.cluster is None):
            raise PydanticCustomError("scope", "Geef een kolom of een cluster op (precies één van beide).")
        if self.einddatum is not None and self.einddatum < self.startdatum:
            raise PydanticCustomError("period", "einddatum ligt voor startdatum.")
        return self


class Toestemming(Schema):
    url: str
    uuid: str
    persoon: str
    doel: str
    kolom: str | None
    cluster: str | None
    startdatum: date
    einddatum: date | None
    ingetrokken: datetime | None
    geldig: bool


# Doelbinding: klantgegevens holds lawful reasons per kolom and per cluster, so a client's view here counts the
# kolommen and the clusters it serves alike. A consent belongs to its kolom or cluster (its purpose may tell of
# debts); a contactmoment to its cluster (its subject may).
def _eigen(*velden: str) -> Any:
    return lambda gegevens: [gegevens[v] for v in velden if gegevens.get(v)]


_TOESTEMMING_VAN = _eigen("kolom", "cluster")
TOESTEMMING = registreer(Bron(
    "toestemming", kolommen=_TOESTEMMING_VAN, vorm=Vorm(
        Toestemming, vrij=("url", "uuid", "persoon", "startdatum", "einddatum", "ingetrokken", "geldig"),
        delen=tuple(Deel(v, van_de_bron(_TOESTEMMING_VAN), lijst=False) for v in ("doel", "kolom", "cluster")))))
_CONTACTMOMENT_VAN = _eigen("cluster")
CONTACTMOMENT = registreer(Bron(
    "contactmoment", kolommen=_CONTACTMOMENT_VAN, vorm=Vorm(
        Contactmoment, vrij=("url", "uuid", "persoon", "kanaal", "medewerker", "tijdstip"),
        delen=tuple(Deel(v, van_de_bron(_CONTACTMOMENT_VAN), lijst=False) for v in ("onderwerp", "cluster")))))


# --- verwerkingenlog -------------------------------------------------------------------------------------

class Verwerking(Schema):
    tijdstip: datetime
    client_id: str
    gebruiker: str
    verwerkingsactiviteit: str
    handeling: str
    grondslag: str
    betrokkene: str
    trace_id: str | None


class VerwerkingenZoeken(Schema):
    """An auditor's search for one person's records: by BSN, so in a body, never in a URL."""

    burgerservicenummer: Bsn
    van: AwareDatetime | None = None
    tot: AwareDatetime | None = None


class EigenVerwerking(Schema):
    """What a resident sees: which organisation processed their data, when, and for what."""

    organisatie: str
    tijdstip: datetime
    verwerkingsactiviteit: str
    handeling: str
