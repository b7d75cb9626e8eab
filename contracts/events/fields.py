"""Field types every event's ``data`` shares, so one idea (a reference, a kolom, an amount) has one shape.

Events carry references as URLs (as ZGW does) or as stable codes, and no free text: free text is where
personal data slips into a stream that is kept, replayed and read by every consumer.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class EventData(BaseModel):
    """Base of every event's ``data``: camelCase on the wire, nothing beyond the declared fields.

    ``extra="forbid"`` is what keeps a BSN, a name or an address out of an event: a producer can only
    send what the contract names.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel,
                              validate_by_name=True, validate_by_alias=True, ser_json_timedelta="iso8601")


Url = Annotated[str, Field(min_length=8, max_length=1000, pattern=r"^https?://[^\s/?#]+[^\s]*$",
                           json_schema_extra={"format": "uri"})]
"""A reference to a resource of another service (ZGW style), e.g. a zaak or a huishouden."""

Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
"""A stable identifier chosen in configuration: a cluster name, an external party, a reason code."""

Kolom = Literal["wmo", "jeugd", "participatie", "schuldhulp"]

Vertrouwelijkheidaanduiding = Literal["openbaar", "beperkt_openbaar", "intern", "zaakvertrouwelijk",
                                      "vertrouwelijk", "confidentieel", "geheim", "zeer_geheim"]

Bedrag = Annotated[int, Field(ge=0, description="in eurocent, so sums are exact")]

Datum = date
Tijdstip = AwareDatetime

_T = TypeVar("_T")


def _unique(values: list[_T]) -> list[_T]:
    if len(set(values)) != len(values):
        raise ValueError("values must be unique")
    return values


Kolommen = Annotated[list[Kolom], Field(min_length=1, json_schema_extra={"uniqueItems": True}),
                     AfterValidator(_unique)]

# iStandaarden (iJw/iWmo) units and frequencies of a toekenning/toewijzing, named rather than numbered
# so a consumer does not need the code list to read an event.
Eenheid = Literal["minuut", "uur", "dagdeel", "etmaal", "stuks", "euro"]
Frequentie = Literal["per-dag", "per-week", "per-maand", "per-jaar", "totaal-binnen-geldigheidsduur"]


class Product(EventData):
    """A product as the iStandaarden code it: category and product code, stable across contracts."""

    productcategorie: str = Field(pattern=r"^[0-9]{2}$", description="iStandaard productcategorie, e.g. 45")
    productcode: str | None = Field(
        None, pattern=r"^[0-9A-Z]{5}$", description="iStandaard productcode; absent for the whole category"
    )


class Omvang(EventData):
    """How much care: a volume of a unit per frequency (iJw/iWmo ``Omvang``)."""

    volume: int = Field(ge=1)
    eenheid: Eenheid
    frequentie: Frequentie


class Reden(EventData):
    """Why a decision went the way it did, as a code from configuration (never free text)."""

    code: Code
    kolom: Kolom | None = None

