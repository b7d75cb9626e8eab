"""The rules of financien, free of I/O: identifiers of providers, periods, tariffs and what a toewijzing commits.

Names and codes follow the iStandaarden iJw/iWmo 3.2 so an XML adapter can map them one to one: eenheid
(codelijst WJ756), frequentie (WJ757), reden beëindiging (WJ588) and the productcategorie (WJ020).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

COMPONENT = "financien"
SCOPE_LEZEN = "financien.lezen"
SCOPE_SCHRIJVEN = "financien.schrijven"

Uitvoeringsvariant = Literal["inspanningsgericht", "outputgericht", "taakgericht"]
Eenheid = Literal["minuut", "uur", "etmaal", "dagdeel", "stuks", "euro"]
Frequentie = Literal["per-dag", "per-week", "per-maand", "totaal-binnen-geldigheidsduur"]

# iStandaard codes of the names above, for the adapter that writes 301/315/323 messages.
EENHEID_CODE: dict[str, str] = {"minuut": "01", "uur": "04", "etmaal": "14", "dagdeel": "16", "stuks": "82",
                                "euro": "83"}
FREQUENTIE_CODE: dict[str, str] = {"per-dag": "1", "per-week": "2", "per-maand": "4",
                                   "totaal-binnen-geldigheidsduur": "6"}
# Reden beëindiging of a stop zorg (307).
REDEN_BEEINDIGING: dict[str, str] = {
    "02": "Overlijden",
    "19": "Levering zorg of ondersteuning is beëindigd - toewijzing sluiten",
    "20": "Levering zorg of ondersteuning is beëindigd - toewijzing aanhouden",
    "31": "Verhuizing naar een andere gemeente",
    "32": "Voortzetting ondersteuning in sociale basisondersteuning",
    "33": "Voortzetting in Zvw",
    "34": "Voortzetting in Wlz",
}

AGB_CODE = re.compile(r"^[0-9]{8}$")
KVK_NUMMER = re.compile(r"^[0-9]{8}$")
PRODUCTCATEGORIE = re.compile(r"^[0-9]{2}$")
PRODUCTCODE = re.compile(r"^[0-9A-Z]{5}$")


@dataclass(frozen=True)
class Periode:
    """Days from ``begin`` up to and including ``eind``; ``eind`` None is open-ended."""

    begin: date
    eind: date | None = None

    def overlapt(self, other: Periode) -> bool:
        return ((self.eind is None or other.begin <= self.eind)
                and (other.eind is None or self.begin <= other.eind))

    def omvat(self, other: Periode) -> bool:
        if other.begin < self.begin:
            return False
        if self.eind is None:
            return True
        return other.eind is not None and other.eind <= self.eind

    def bevat(self, day: date) -> bool:
        return self.begin <= day and (self.eind is None or day <= self.eind)


def periode_fout(begin: date, eind: date | None) -> str | None:
    """Why a period is not one, or None."""
    if eind is not None and eind < begin:
        return "De einddatum ligt voor de begindatum."
    return None


def bedrag_in_centen(value: Decimal | str | int) -> int:
    """An amount in euro (``"52.40"``) as whole eurocent; a fraction of a cent or a negative amount is refused."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("Geen bedrag.") from None
    if not amount.is_finite():
        raise ValueError("Geen bedrag.")
    if amount < 0:
        raise ValueError("Een bedrag is niet negatief.")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError("Een bedrag kent geen fracties van een cent.")
    return int(cents)


def euro(cents: int) -> str:
    """Eurocent as the API shows an amount: ``"52.40"``."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


@dataclass(frozen=True)
class Tarief:
    periode: Periode
    centen: int


def eenheden(frequentie: str, periode: Periode) -> list[date]:
    """The frequency periods of a closed period, each by its first day inside it.

    per-dag: every day; per-week: every seven days from the begindatum (a last partial week counts whole);
    per-maand: every calendar month the period touches; totaal: the period once.
    """
    assert periode.eind is not None
    if frequentie == "totaal-binnen-geldigheidsduur":
        return [periode.begin]
    out: list[date] = []
    day = periode.begin
    while day <= periode.eind:
        out.append(day)
        if frequentie == "per-dag":
            day += timedelta(days=1)
        elif frequentie == "per-week":
            day += timedelta(days=7)
        elif frequentie == "per-maand":
            last = calendar.monthrange(day.year, day.month)[1]
            day = date(day.year, day.month, last) + timedelta(days=1)
        else:
            raise ValueError(f"unknown frequentie {frequentie}")
    return out


class GeenTarief(LookupError):
    """Some part of the period has no tarief."""


def verplichting(volume: int, frequentie: str, periode: Periode, tarieven: list[Tarief]) -> int:
    """What a toewijzing commits, in eurocent: volume per frequency period times the tarief on that period's first
    day, summed over the period. Exact: integers only."""
    total = 0
    for first_day in eenheden(frequentie, periode):
        tarief = next((t for t in tarieven if t.periode.bevat(first_day)), None)
        if tarief is None:
            raise GeenTarief(first_day.isoformat())
        total += volume * tarief.centen
    return total


def einde_verplichting(begin: date, eind: date | None, contract_eind: date | None) -> date:
    """The last day a toewijzing commits money for: its own einddatum, else the contract's, else the end of the
    calendar (budget) year it starts in."""
    if eind is not None:
        return eind
    if contract_eind is not None:
        return contract_eind
    return date(begin.year, 12, 31)


Afwijzing = Literal["geen-contract", "product-niet-gecontracteerd", "aanbieder-onbekend", "budget-ontoereikend",
                    "periode-buiten-contract"]


@dataclass(frozen=True)
class Kandidaat:
    """A contracted product of the aanbieder, with what the toewijzing would be measured against."""

    contract_id: int
    product_id: int
    kolommen: tuple[str, ...]
    contract: Periode
    productcategorie: str
    productcode: str
    eenheid: str
    tarieven: tuple[Tarief, ...]


@dataclass(frozen=True)
class Toekenning:
    kolom: str
    productcategorie: str
    productcode: str | None
    volume: int
    eenheid: str
    frequentie: str
    periode: Periode


@dataclass(frozen=True)
class Toewijzing:
    kandidaat: Kandidaat | None
    verplichting: int
    redenen: tuple[Afwijzing, ...]


def wijs_toe(toekenning: Toekenning, kandidaten: list[Kandidaat]) -> Toewijzing:
    """The contracted product a toekenning is allocated against and what it commits, or why there is none.

    The first reason that applies to the best candidate is given: no contract for the kolom, else the product
    (category, code, eenheid, a tarief for every frequency period) not contracted, else the period outside it.
    """
    in_kolom = [k for k in kandidaten if toekenning.kolom in k.kolommen]
    if not in_kolom:
        return Toewijzing(None, 0, ("geen-contract",))
    product = [k for k in in_kolom if k.productcategorie == toekenning.productcategorie
               and (toekenning.productcode is None or k.productcode == toekenning.productcode)
               and k.eenheid == toekenning.eenheid]
    if not product or toekenning.frequentie not in FREQUENTIE_CODE:
        return Toewijzing(None, 0, ("product-niet-gecontracteerd",))
    # An open-ended toekenning is allocated up to the contract's end (a toewijzing never outlives its contract).
    in_periode = [k for k in product if k.contract.bevat(toekenning.periode.begin)
                  and (toekenning.periode.eind is None or k.contract.omvat(toekenning.periode))]
    if not in_periode:
        return Toewijzing(None, 0, ("periode-buiten-contract",))
    for kandidaat in in_periode:
        eind = einde_verplichting(toekenning.periode.begin, toekenning.periode.eind, kandidaat.contract.eind)
        try:
            bedrag = verplichting(toekenning.volume, toekenning.frequentie, Periode(toekenning.periode.begin, eind),
                                  list(kandidaat.tarieven))
        except GeenTarief:
            continue
        return Toewijzing(kandidaat, bedrag, ())
    return Toewijzing(None, 0, ("product-niet-gecontracteerd",))


def start_zorg_fout(status: str, periode: Periode, begindatum: date) -> str | None:
    if status != "toegewezen":
        return "Zorg start alleen op een toewijzing die nog niet gestart is."
    if not periode.bevat(begindatum):
        return "De begindatum valt buiten de toewijzing."
    return None


def stop_zorg_fout(status: str, start: date | None, periode: Periode, einddatum: date) -> str | None:
    if status != "gestart" or start is None:
        return "Zorg stopt alleen op een toewijzing waarvan de zorg gestart is."
    if einddatum < start:
        return "De einddatum ligt voor de start van de zorg."
    if not periode.bevat(einddatum):
        return "De einddatum valt buiten de toewijzing."
    return None


# --- declaraties (323) and their answer (325) ---------------------------------------------------------------

# Retourcode of an accepted line: iStandaard WJ001 0200 ("geen opmerking"). The rejections of the content checks
# below are the suite's own codes (prefix SD), one per check, in WJ001's four-character shape.
GOEDGEKEURD = "0200"
AFKEUR: dict[str, str] = {
    "SD01": "Er is geen toewijzing van deze aanbieder voor deze prestatie.",
    "SD02": "De productperiode valt niet binnen de toewijzing of de declaratieperiode.",
    "SD03": "Het volume past niet in wat is toegewezen en nog niet gedeclareerd (of de eenheid wijkt af).",
    "SD04": "Het tarief wijkt af van het contract.",
    "SD05": "Deze prestatie (ProductReferentie) is al gedeclareerd.",
}
MAX_REGELS = 10_000


@dataclass(frozen=True)
class Regel:
    referentie: str
    toewijzing: str
    periode: Periode
    volume: int
    eenheid: str
    tarief: int


@dataclass(frozen=True)
class Toegewezen:
    """What a declaratie line is checked against: a toewijzing of the declaring aanbieder."""

    periode: Periode
    eenheid: str
    toegewezen_volume: int
    gedeclareerd_volume: int
    tarieven: tuple[Tarief, ...]


def aantal_eenheden(frequentie: str, periode: Periode) -> int:
    """``len(eenheden(frequentie, periode))`` by arithmetic: a batch of 10,000 lines asks it per toewijzing, and
    counting a year's days one by one cost a tenth of the batch."""
    assert periode.eind is not None
    if frequentie == "totaal-binnen-geldigheidsduur":
        return 1
    if periode.eind < periode.begin:
        return 0
    dagen = (periode.eind - periode.begin).days
    if frequentie == "per-dag":
        return dagen + 1
    if frequentie == "per-week":
        return dagen // 7 + 1
    if frequentie == "per-maand":
        return (periode.eind.year - periode.begin.year) * 12 + periode.eind.month - periode.begin.month + 1
    raise ValueError(f"unknown frequentie {frequentie}")


def toegewezen_volume(volume: int, frequentie: str, periode: Periode) -> int:
    """All a toewijzing allows over its (closed) period: volume per frequency period times their number."""
    return volume * aantal_eenheden(frequentie, periode)


def beoordeel_regels(regels: list[Regel], declaratieperiode: Periode, toegewezen: dict[str, Toegewezen],
                     al_betaald: set[str]) -> list[str]:
    """The retourcode of each line, in order. A line accepted here counts for the volume of the lines after it;
    a ProductReferentie is paid once, across batches and within one."""
    gebruikt: dict[str, int] = {}
    gezien = set(al_betaald)
    codes = []
    for regel in regels:
        t = toegewezen.get(regel.toewijzing)
        if t is None:
            code = "SD01"
        elif regel.referentie in gezien:
            code = "SD05"
        elif not (t.periode.omvat(regel.periode) and declaratieperiode.omvat(regel.periode)):
            code = "SD02"
        elif (regel.eenheid != t.eenheid or t.gedeclareerd_volume + gebruikt.get(regel.toewijzing, 0)
              + regel.volume > t.toegewezen_volume):
            code = "SD03"
        elif next((x.centen for x in t.tarieven if x.periode.bevat(regel.periode.begin)), None) != regel.tarief:
            code = "SD04"
        else:
            code = GOEDGEKEURD
            gebruikt[regel.toewijzing] = gebruikt.get(regel.toewijzing, 0) + regel.volume
            gezien.add(regel.referentie)
        codes.append(code)
    return codes


# --- budget monitoring --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Post:
    """An amount of a year, with where it belongs: kolom, cluster (of the contract) and aanbieder."""

    kolom: str | None
    cluster: str | None
    aanbieder: str | None
    bedrag: int


def stand(budgetten: list[Post], verplicht: list[Post], gerealiseerd: list[Post]) -> dict[str, Any]:
    """Budget, verplichtingen and realisatie per kolom, per cluster and per aanbieder (a taakbudget), in eurocent.
    A budget per kolom is only on the kolom lines, one per cluster only on the cluster lines."""

    def lines(key: str, budget_of: Callable[[Post], bool]) -> list[dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for soort, posten in (("verplicht", verplicht), ("gerealiseerd", gerealiseerd)):
            for p in posten:
                if (k := getattr(p, key)) is not None:
                    out.setdefault(k, {key: k, "budget": None, "verplicht": 0, "gerealiseerd": 0})[soort] += p.bedrag
        for b in budgetten:
            if budget_of(b) and (k := getattr(b, key)) is not None:
                out.setdefault(k, {key: k, "budget": None, "verplicht": 0, "gerealiseerd": 0})["budget"] = b.bedrag
        return [out[k] for k in sorted(out)]

    # The whole domain (what totaal integraal steers on): everything committed and realised; its budget the
    # kolommen's budgets together, or where the year is budgeted per cluster only, the clusters' together.
    per_kolom = [b.bedrag for b in budgetten if b.kolom is not None and b.cluster is None and b.aanbieder is None]
    per_cluster = [b.bedrag for b in budgetten if b.cluster is not None and b.kolom is None and b.aanbieder is None]
    totaal = {"budget": sum(per_kolom) if per_kolom else sum(per_cluster) if per_cluster else None,
              "verplicht": sum(p.bedrag for p in verplicht), "gerealiseerd": sum(p.bedrag for p in gerealiseerd)}
    return {
        "totaal": totaal,
        "perKolom": lines("kolom", lambda b: b.cluster is None and b.aanbieder is None),
        "perCluster": lines("cluster", lambda b: b.kolom is None and b.aanbieder is None),
        "perAanbieder": lines("aanbieder", lambda b: b.aanbieder is not None),
    }


# --- the active archetype profile ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Indeling:
    """The kolommen and clusters of the active archetype profile."""

    kolommen: frozenset[str]
    clusters: dict[str, frozenset[str]]


def indeling_fouten(indeling: Indeling | None, kolommen: list[str], cluster: str | None) -> list[dict[str, str]]:
    """invalidParams for kolommen or a cluster the profile does not have, or a kolom outside the named cluster."""
    if indeling is None:
        return []
    out = []
    if unknown := [k for k in kolommen if k not in indeling.kolommen]:
        out.append({"name": "kolommen", "code": "invalid_choice",
                    "reason": f"Niet in het archetypeprofiel: {', '.join(unknown)}."})
    if cluster is not None:
        if cluster not in indeling.clusters:
            out.append({"name": "cluster", "code": "invalid_choice",
                        "reason": f"Het archetypeprofiel kent de clusters {', '.join(sorted(indeling.clusters))}."})
        elif outside := [k for k in kolommen if k in indeling.kolommen and k not in indeling.clusters[cluster]]:
            out.append({"name": "kolommen", "code": "invalid",
                        "reason": f"Niet in cluster {cluster}: {', '.join(outside)}."})
    return out


# Percentages of a budget whose passing by the verplichtingen is reported (budget-drempel-bereikt), once each.
DREMPELS = (80, 100)


def nieuwe_drempel(budget: int, verplicht: int, gemeld: int) -> int | None:
    """The highest threshold the verplichtingen now reach that was not reported yet, or None."""
    if budget <= 0:
        return None
    bereikt = [d for d in DREMPELS if verplicht * 100 >= budget * d and d > gemeld]
    return max(bereikt) if bereikt else None


# --- verzoeken van de aanbieder: om toewijzing (315) en om wijziging (317) -----------------------------------

# iJw Verwijzer (codelijst JZ002): who referred the client. A GP, a youth doctor and a medical specialist are
# named by their AGB code (ZorgverlenerCode), the others by name.
VERWIJZER_TYPE: dict[str, str] = {
    "01": "Gemeente",
    "02": "Huisarts",
    "03": "Jeugdarts",
    "04": "Gecertificeerde instelling",
    "05": "Medisch specialist",
    "06": "Rechter, Officier van Justitie of functionaris justitiële jeugdinrichting",
}
VERWIJZER_MET_AGB = frozenset({"02", "03", "05"})
VerzoekStatus = Literal["ingediend", "toegekend", "afgewezen"]


def verwijzer_fouten(kolom: str, verwijzer: dict[str, str | None] | None) -> list[dict[str, str]]:
    """invalidParams for the referral of a 315: Jeugdwet care is asked for on a referral, named by AGB code for
    a GP, youth doctor or medical specialist, by name otherwise."""
    if verwijzer is None:
        if kolom == "jeugd":
            return [{"name": "verwijzer", "code": "required", "reason": "Jeugdhulp vraagt een verwijzer."}]
        return []
    if verwijzer.get("type") in VERWIJZER_MET_AGB:
        if not verwijzer.get("zorgverlenercode"):
            return [{"name": "verwijzer.zorgverlenercode", "code": "required",
                     "reason": "Een huisarts, jeugdarts of medisch specialist wordt met de AGB-code genoemd."}]
    elif not verwijzer.get("naam"):
        return [{"name": "verwijzer.naam", "code": "required", "reason": "Deze verwijzer wordt met naam genoemd."}]
    return []


def wijziging_fout(status: str, periode: Periode, start: date | None, einddatum: date | None,
                   ) -> tuple[str, str] | None:
    """Which field keeps a toewijzing from being changed (317) and why, or None: only a running one changes,
    never to end before it began or before care started."""
    if status not in ("toegewezen", "gestart"):
        return "toewijzing", "Alleen een lopende toewijzing kan worden gewijzigd."
    if einddatum is not None and (einddatum < periode.begin or (start is not None and einddatum < start)):
        return "einddatum", "De einddatum ligt voor het begin van de toewijzing of van de zorg."
    return None


# The field of a verzoek each reason a toekenning does not fit a contract is about.
AFWIJZING_VELD: dict[str, str] = {"geen-contract": "kolom", "product-niet-gecontracteerd": "product",
                                  "periode-buiten-contract": "begindatum", "aanbieder-onbekend": "aanbieder",
                                  "budget-ontoereikend": "omvang"}


def antwoord_fout(status: str) -> str | None:
    """A verzoek is answered once."""
    return None if status == "ingediend" else "Dit verzoek is al beantwoord."
