"""Events of the intake service: aanvragen, their triage and deadlines, and signalen."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field

from contracts.events.fields import Code, Datum, EventData, Kolom, Kolommen, Reden, Url


class AanvraagIngediend(EventData):
    """A request for support was filed; the household is already looked up in klantgegevens."""

    aanvraag: Url
    huishouden: Url | None = Field(None, description="absent for an anonymous question at the loket")
    kolommen: Kolommen = Field(description="the kolommen the questions touch, as the filer stated them")
    ingediend_door: Literal["inwoner", "medewerker", "partner"]
    registratiedatum: Datum


class TeOpenenZaak(EventData):
    """One zaak the triage decided to open internally."""

    kolommen: Kolommen
    cluster: Code
    zaaktype: Url
    integraal: bool = Field(description="one zaak for the household across kolommen")
    regisseur: bool = Field(description="the zaak gets a regisseur role (one plan, one regisseur)")


class Delegatie(EventData):
    """A part of the aanvraag handed to the external party that runs a cluster's access."""

    cluster: Code
    kolommen: Kolommen
    partij: Code = Field(description="the external party as the archetype profile names it")


class AanvraagGetrieerd(EventData):
    """The triage decision: what zaken zaken opens, what the gateway delegates, and why."""

    aanvraag: Url
    huishouden: Url | None = None
    integraal: bool = Field(description="the aanvraag goes to an integral team")
    regie: Literal["geen", "per-cluster", "huishouden"]
    zaken: list[TeOpenenZaak] = Field(description="empty when nothing is opened internally")
    delegaties: list[Delegatie] = Field(description="empty when no external party takes part")
    redenen: list[Reden]


class AanvraagAfgerond(EventData):
    """The aanvraag is finished at intake; what follows lives in zaken."""

    aanvraag: Url
    huishouden: Url | None = None
    kolommen: Kolommen
    uitkomst: Literal["zaken-geopend", "gedelegeerd", "doorverwezen", "ingetrokken", "niet-in-behandeling"]
    registratiedatum: Datum
    einddatum: Datum


class SignaalOntvangen(EventData):
    """An early signal from a partner (vroegsignalering); amounts stay at intake."""

    signaal: Url
    huishouden: Url | None = Field(None, description="absent while the signal is not matched to a household")
    partnersoort: Literal["woningcorporatie", "energiebedrijf", "waterbedrijf", "zorgverzekeraar", "school",
                          "huisarts", "overig"]
    signaalsoort: Literal["huurachterstand", "energieachterstand", "waterachterstand",
                          "zorgverzekeringsachterstand", "schoolverzuim", "gezondheid", "overig"]
    crisis: bool
    registratiedatum: Datum


class TermijnOverschreden(EventData):
    """A legal deadline of an aanvraag passed without a decision (Wmo, Jeugdwet, ...)."""

    aanvraag: Url
    kolom: Kolom
    termijnsoort: Literal["onderzoek", "beslissing"]
    termijn: timedelta = Field(description="the deadline as an ISO 8601 duration, e.g. P42D")
    startdatum: Datum
    uiterlijke_einddatum: Datum
