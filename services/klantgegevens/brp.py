"""Where person data comes from: a Haal Centraal BRP Personen API, or local registration (the embedded default).

Both answer the same question — the persons with these BSNs — as ``PersoonGegevens``. The BRP adapter
speaks the Haal Centraal BRP Personen API 2.x: ``POST /personen`` with ``type`` RaadpleegMetBurgerservicenummer
and the ``fields`` it needs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import httpx

from sds.runtime.errors import ApiError
from sds.runtime.tracing import traced_client

log = logging.getLogger("klantgegevens.brp")

BRP_FIELDS = ["burgerservicenummer", "naam.voornamen", "naam.voorvoegsel", "naam.geslachtsnaam",
              "geboorte.datum", "verblijfplaats"]


@dataclass(frozen=True)
class PersoonGegevens:
    bsn: str
    geslachtsnaam: str
    voornamen: str | None = None
    voorvoegsel: str | None = None
    geboortedatum: date | None = None
    straat: str | None = None
    huisnummer: int | None = None
    huisletter: str | None = None
    huisnummertoevoeging: str | None = None
    postcode: str | None = None
    woonplaats: str | None = None


class PersonenBron(Protocol):
    naam: str

    async def raadpleeg(self, bsns: list[str]) -> list[PersoonGegevens]: ...


class BrpNietBeschikbaar(ApiError):
    status = 502


class HaalCentraalBrp:
    """The Haal Centraal BRP Personen API as the source of person data."""

    naam = "brp"

    def __init__(self, base_url: str, *, api_key: str | None = None, timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    async def raadpleeg(self, bsns: list[str]) -> list[PersoonGegevens]:
        body = {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": bsns, "fields": BRP_FIELDS}
        headers = {"X-API-KEY": self.api_key} if self.api_key else {}
        try:
            async with traced_client(timeout=self.timeout) as client:
                response = await client.post(f"{self.base_url}/personen", json=body, headers=headers)
        except httpx.HTTPError as exc:
            # The exception text can hold the request; only its kind goes to the log.
            log.warning("BRP API unreachable: %s", type(exc).__name__)
            raise BrpNietBeschikbaar("De BRP is niet bereikbaar.", code="brp_niet_bereikbaar") from None
        if response.status_code != 200:
            log.warning("BRP API answered %s", response.status_code)
            raise BrpNietBeschikbaar(f"De BRP antwoordde met status {response.status_code}.",
                                     code="brp_fout")
        try:
            return [_persoon(p) for p in response.json().get("personen", [])]
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("BRP API answered with a body that is not a Personen response")
            raise BrpNietBeschikbaar("De BRP gaf een onleesbaar antwoord.", code="brp_fout") from None


def _persoon(raw: dict[str, Any]) -> PersoonGegevens:
    naam = raw.get("naam") or {}
    adres = (raw.get("verblijfplaats") or {}).get("verblijfadres") or {}
    huisnummer = adres.get("huisnummer")
    return PersoonGegevens(
        bsn=str(raw["burgerservicenummer"]),
        geslachtsnaam=str(naam.get("geslachtsnaam") or "onbekend"),
        voornamen=naam.get("voornamen"),
        voorvoegsel=naam.get("voorvoegsel"),
        geboortedatum=_datum((raw.get("geboorte") or {}).get("datum")),
        straat=adres.get("korteStraatnaam") or adres.get("officieleStraatnaam"),
        huisnummer=int(huisnummer) if huisnummer is not None else None,
        huisletter=adres.get("huisletter"),
        huisnummertoevoeging=adres.get("huisnummertoevoeging"),
        postcode=adres.get("postcode"),
        woonplaats=adres.get("woonplaats"),
    )


def _datum(value: dict[str, Any] | None) -> date | None:
    # The BRP also knows partly unknown dates (JaarDatum, JaarMaandDatum, DatumOnbekend); those have no
    # single day, so they are kept as unknown rather than guessed.
    if not value or value.get("type") != "Datum":
        return None
    return date.fromisoformat(value["datum"])
