"""Request and response bodies of signalen (the DDAS exchange model): camelCase on the wire, nothing undeclared
accepted. Everything a batch needs checked is checked here, so one validation of the body decides the batch."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from sds.runtime.bsn import Bsn
from sds.runtime.doelbinding import Bron, Deel, Vorm, registreer, van_de_bron

# The event contract's enums (contracts/events/intake.py SignaalOntvangen), so every signal can be published.
Partnersoort = Literal["woningcorporatie", "energiebedrijf", "waterbedrijf", "zorgverzekeraar", "school",
                       "huisarts", "overig"]
Signaalsoort = Literal["huurachterstand", "energieachterstand", "waterachterstand", "zorgverzekeringsachterstand",
                       "schoolverzuim", "gezondheid", "overig"]

MAX_BATCH = 10_000
# A partner dates its signal by the Dutch calendar: just after midnight there it is still yesterday in UTC.
NL = ZoneInfo("Europe/Amsterdam")
# A partner's code (KvK number, name code) and its own id of a signal: printable, no spaces, no personal data.
_CODE = r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$"




class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, validate_by_name=True,
                              validate_by_alias=True)


class Adres(Schema):
    postcode: str = Field(pattern=r"^[1-9][0-9]{3} ?[A-Za-z]{2}$", description="e.g. 1234 AB or 1234ab")
    huisnummer: int = Field(ge=1, le=99999)
    huisnummertoevoeging: str | None = Field(None, min_length=1, max_length=6, pattern=r"^[A-Za-z0-9]+$",
                                             description="huisletter and/or toevoeging, e.g. A or 2HG")

    @property
    def sleutel(self) -> str:
        """The household key: the address, normalised (1234 ab 12 a and 1234AB 12 A are one address)."""
        toevoeging = (self.huisnummertoevoeging or "").upper()
        return f"{self.postcode_genormaliseerd}-{self.huisnummer}-{toevoeging}"

    @property
    def postcode_genormaliseerd(self) -> str:
        return self.postcode.replace(" ", "").upper()


class NieuwSignaal(Schema):
    partnersoort: Partnersoort
    partner: str = Field(pattern=_CODE, description="the partner's own code (KvK number, name code); with the "
                                                    "partnersoort it names the partner")
    partner_referentie: str = Field(pattern=_CODE, description="the partner's own id of this signal; the same id "
                                                               "sent again is the same signal")
    signaalsoort: Signaalsoort
    bedrag: int = Field(ge=0, le=10_000_000_000, description="the arrear in eurocent")
    ontstaansdatum: date = Field(description="when the arrear (or the situation) arose")
    signaaldatum: date = Field(description="when the partner raised the signal; not in the future")
    crisissignaal: bool = Field(False, description="e.g. an imminent eviction or disconnection")
    burgerservicenummer: Bsn = Field(description="of the person the signal is about; used to open an aanvraag, "
                                                 "not stored")
    adres: Adres

    @field_validator("signaaldatum")
    @classmethod
    def _signaaldatum(cls, value: date, info: ValidationInfo) -> date:
        # Named on the field, so a batch's error reads signalen.3.signaaldatum.
        if value > datetime.now(NL).date():
            raise PydanticCustomError("signaaldatum-toekomst", "De signaaldatum ligt in de toekomst.")
        ontstaan = info.data.get("ontstaansdatum")
        if ontstaan is not None and value < ontstaan:
            raise PydanticCustomError("signaaldatum-voor-ontstaan", "De signaaldatum ligt voor de ontstaansdatum.")
        return value


class Batch(Schema):
    batch_id: str | None = Field(None, pattern=_CODE, description="the client's id of this batch, kept with its "
                                                                  "signals; sending a batch again is safe anyway")
    signalen: list[NieuwSignaal] = Field(min_length=1, max_length=MAX_BATCH)


class AdresUit(Schema):
    postcode: str
    huisnummer: int
    huisnummertoevoeging: str | None


class Signaal(Schema):
    url: str
    uuid: str
    partnersoort: str
    partner: str
    partner_referentie: str
    signaalsoort: str
    bedrag: int
    ontstaansdatum: date
    signaaldatum: date
    crisissignaal: bool
    adres: AdresUit
    batch_id: str | None
    registratiedatum: date
    ontvangen: datetime
    aanvraag: str | None = Field(description="the proactive aanvraag this signal opened; shown to clients that "
                                             "may read signals")
    kolom: str | None = Field(description="the kolom this kind of signal belongs to in this municipality's "
                                          "profile; null: none (registered for beleidsinformatie only)")


def _kolom(signaal: Any) -> list[str]:
    return [signaal["kolom"]] if signaal.get("kolom") else []


# A signal belongs to one kolom (a payment arrear to schuldhulp): a team of another kolom sees none of it, and one
# without a kolom is seen only by who sees every kolom (doelbinding).
SIGNAAL = registreer(Bron(
    "signaal", kolommen=_kolom, vorm=Vorm(
        Signaal,
        vrij=("url", "uuid", "partnersoort", "partner", "partnerReferentie", "signaalsoort", "bedrag",
              "ontstaansdatum", "signaaldatum", "crisissignaal", "adres", "batchId", "registratiedatum",
              "ontvangen"),
        delen=(Deel("aanvraag", van_de_bron(_kolom), lijst=False), Deel("kolom", van_de_bron(_kolom), lijst=False)))))


class Resultaat(Schema):
    index: int
    status: Literal["aangemaakt", "duplicaat"]
    signaal: str = Field(description="URL of the signal: the new one, or the one this duplicates")


class BatchResultaat(Schema):
    batch_id: str | None
    aantal: int
    aangemaakt: int
    duplicaat: int
    resultaten: list[Resultaat]
