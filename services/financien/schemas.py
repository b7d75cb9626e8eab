"""Request and response bodies of the Financien API: camelCase on the wire, nothing undeclared accepted.

Amounts are decimal strings in euro (``"52.40"``), as ZGW writes a bedrag; stored as whole eurocent.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from services.financien.domain import (
    REDEN_BEEINDIGING,
    VERWIJZER_TYPE,
    Eenheid,
    Frequentie,
    Uitvoeringsvariant,
    bedrag_in_centen,
    periode_fout,
)

KolomCode = Literal["wmo", "jeugd", "participatie", "schuldhulp"]
ClusterCode = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]


def _uuid_from(kind: str) -> AfterValidator:
    pattern = re.compile(rf"/{kind}/([0-9a-fA-F-]{{36}})$")

    def parse(value: str) -> str:
        match = pattern.search(value)
        try:
            if match:
                return str(UUID(match.group(1)))
        except ValueError:
            pass
        raise PydanticCustomError("url", f"Geen URL van een resource in /{kind}.")

    return AfterValidator(parse)


def _centen(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise PydanticCustomError("decimal_type", "Geef een bedrag in euro, bv. \"52.40\".")
    try:
        return bedrag_in_centen(str(value))
    except ValueError as exc:
        raise PydanticCustomError("bedrag", str(exc)) from None


AanbiederRef = Annotated[str, Field(max_length=1000), _uuid_from("aanbieders")]
ProductRef = Annotated[str, Field(max_length=1000), _uuid_from("producten")]
Centen = Annotated[int, BeforeValidator(_centen), Field(json_schema_extra={"type": "string", "format": "decimal"})]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, validate_by_name=True,
                              validate_by_alias=True)


def _einddatum_na_begindatum(value: date | None, info: ValidationInfo) -> date | None:
    begin = info.data.get("begindatum")
    if value is not None and isinstance(begin, date) and (reason := periode_fout(begin, value)):
        raise PydanticCustomError("periode", reason)
    return value


class NieuweAanbieder(Schema):
    naam: str = Field(min_length=1, max_length=200)
    agb_code: str = Field(pattern=r"^[0-9]{8}$", description="AGB-code van de aanbieder (8 cijfers)")
    kvk_nummer: str = Field(pattern=r"^[0-9]{8}$", description="KvK-nummer (8 cijfers)")
    applicaties: list[Annotated[str, Field(min_length=1, max_length=255)]] = Field(
        default_factory=list, max_length=20,
        description="client ids van de applicaties die voor deze aanbieder werken")


class NieuwContract(Schema):
    aanbieder: AanbiederRef
    kolommen: list[KolomCode] = Field(min_length=1, max_length=4)
    cluster: ClusterCode | None = None
    begindatum: date
    einddatum: date | None = None
    uitvoeringsvariant: Uitvoeringsvariant

    _periode = field_validator("einddatum")(_einddatum_na_begindatum)

    @field_validator("kolommen")
    @classmethod
    def _uniek(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise PydanticCustomError("unique", "Elke kolom één keer.")
        return value


class NieuwProduct(Schema):
    contract: Annotated[str, Field(max_length=1000), _uuid_from("contracten")]
    productcategorie: str = Field(pattern=r"^[0-9]{2}$", description="iStandaard productcategorie (WJ020)")
    productcode: str = Field(pattern=r"^[0-9A-Z]{5}$", description="productcode van de gemeente")
    eenheid: Eenheid
    frequentie: Frequentie


class NieuwTarief(Schema):
    product: ProductRef
    begindatum: date
    einddatum: date | None = None
    bedrag: Centen = Field(description="euro per eenheid, in hele centen")

    _periode = field_validator("einddatum")(_einddatum_na_begindatum)


class NieuwBudget(Schema):
    jaar: int = Field(ge=2015, le=2100)
    kolom: KolomCode | None = None
    cluster: ClusterCode | None = None
    aanbieder: AanbiederRef | None = Field(None, description="een taakbudget voor een taakgericht contract")
    bedrag: Centen


class StartZorg(Schema):
    begindatum: date


class StopZorg(Schema):
    einddatum: date
    reden_beeindiging: str = Field(description="iStandaard RedenBeeindiging (WJ588)")

    @field_validator("reden_beeindiging")
    @classmethod
    def _reden(cls, value: str) -> str:
        if value not in REDEN_BEEINDIGING:
            raise PydanticCustomError("choice", f"Een van {', '.join(sorted(REDEN_BEEINDIGING))}.")
        return value


class DeclaratieRegel(Schema):
    """One Prestatie of a 323: what was delivered on a toewijzing in a ProductPeriode."""

    referentie: str = Field(min_length=1, max_length=20, description="ProductReferentie, uniek per aanbieder")
    toewijzing: Annotated[str, Field(max_length=1000), _uuid_from("toewijzingen")]
    begindatum: date
    einddatum: date
    volume: int = Field(ge=1, le=1_000_000)
    eenheid: Eenheid
    product_tarief: Centen

    _periode = field_validator("einddatum")(_einddatum_na_begindatum)


class NieuweDeclaratie(Schema):
    identificatie: str = Field(min_length=1, max_length=20, description="DeclaratieNummer van de aanbieder")
    begindatum: date = Field(description="eerste dag van de declaratieperiode")
    einddatum: date = Field(description="laatste dag van de declaratieperiode")
    regels: list[DeclaratieRegel] = Field(min_length=1, max_length=10_000)

    _periode = field_validator("einddatum")(_einddatum_na_begindatum)


class Omvang(Schema):
    volume: int = Field(ge=1, le=1_000_000)
    eenheid: Eenheid
    frequentie: Frequentie


class VerzoekProduct(Schema):
    productcategorie: str = Field(pattern=r"^[0-9]{2}$", description="iStandaard productcategorie (WJ020)")
    productcode: str | None = Field(None, pattern=r"^[0-9A-Z]{5}$", description="absent for the whole category")


class Verwijzer(Schema):
    """iJw Verwijzer: type (JZ002) and the referrer's AGB code (ZorgverlenerCode) or name."""

    type: str = Field(description="iJw Verwijzer Type (JZ002)")
    naam: str | None = Field(None, min_length=1, max_length=200)
    zorgverlenercode: str | None = Field(None, pattern=r"^[0-9]{8}$", description="AGB-code van de verwijzer")

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        if value not in VERWIJZER_TYPE:
            raise PydanticCustomError("choice", f"Een van {', '.join(sorted(VERWIJZER_TYPE))}.")
        return value


Reden = Annotated[str, Field(min_length=1, max_length=500)]
KlantRef = Annotated[str, Field(max_length=1000, pattern=r"^https?://[^\s?#]+/(huishoudens|personen)/[0-9a-fA-F-]{36}$",
                                description="URL van een huishouden of persoon in klantgegevens (nooit een BSN)")]


class NieuwVerzoekOmToewijzing(Schema):
    """iJw/iWmo 315: the aanbieder asks for a toewijzing for a client it has seen."""

    klant: KlantRef
    kolom: KolomCode
    product: VerzoekProduct
    omvang: Omvang
    begindatum: date
    einddatum: date | None = None
    verwijzer: Verwijzer | None = Field(None, description="verplicht voor jeugdhulp")

    _periode = field_validator("einddatum")(_einddatum_na_begindatum)


class NieuwVerzoekOmWijziging(Schema):
    """iJw/iWmo 317: the aanbieder asks for a new omvang and/or einddatum of one of its toewijzingen."""

    omvang: Omvang | None = None
    einddatum: date | None = None
    reden: Reden


class ToekenningVanVerzoek(Schema):
    zaak: Annotated[str, Field(max_length=1000, pattern=r"^https?://[^\s?#]+/zaken/[0-9a-fA-F-]{36}$",
                               description="de zaak waarin de gemeente het verzoek beslist")]


class Afwijzing(Schema):
    reden: Reden
