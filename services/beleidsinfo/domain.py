"""The rules of policy information, free of I/O: pseudonyms, periods, figures and small-cell suppression.

Suppression (the rule every figure leaving the service follows):

1. **Primary**: a cell that rests on 1 to ``minimum - 1`` households (default 5) is suppressed: its
   figures are replaced by ``null`` and the cell says ``onderdrukt: true``. A cell of 0 is shown.
2. **Secondary**: figures are published in groups whose parts add up to (or are bounded by) a published
   total — the kolommen of a cluster and that cluster, the clusters and the whole domain, per period.
   When a group has exactly one suppressed cell, the smallest other non-zero cell of the group is
   suppressed as well, until no group has a single one; so no suppressed cell can be found back by
   subtracting the other cells from the total.
3. Suppression is decided on the whole table before a filter (``kolom``, ``cluster``) picks cells, so
   two requests with different filters show the same cell the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

Periode = Literal["maand", "kwartaal", "jaar", "geheel"]
PERIODES: tuple[Periode, ...] = ("maand", "kwartaal", "jaar", "geheel")
ALLE = "alle"


class Pseudonimiseerder:
    """Keyed pseudonyms (HMAC-SHA256) of the references in events: stable, not reversible without the key."""

    def __init__(self, sleutel: bytes) -> None:
        self._sleutel = sleutel

    def __call__(self, referentie: str) -> str:
        return hmac.new(self._sleutel, referentie.encode(), hashlib.sha256).hexdigest()[:32]

    def optional(self, referentie: str | None) -> str | None:
        return None if referentie is None else self(referentie)


def periode_van(dag: date, periode: Periode) -> str:
    """The calendar period a day falls in (``geheel``, the whole range asked, is the caller's to name)."""
    if periode == "maand":
        return f"{dag.year}-{dag.month:02d}"
    if periode == "kwartaal":
        return f"{dag.year}-K{(dag.month - 1) // 3 + 1}"
    return str(dag.year)


def periode_uit_sleutel(sleutel: int, periode: Periode) -> str:
    """The label of a period from the integer key the database groups by: ``jaar * 100 + maand`` for a month,
    ``jaar * 10 + kwartaal`` for a quarter, the year for a year — the same text as ``periode_van``."""
    if periode == "maand":
        return f"{sleutel // 100}-{sleutel % 100:02d}"
    if periode == "kwartaal":
        return f"{sleutel // 10}-K{sleutel % 10}"
    return str(sleutel)


def mediaan(waarden: Sequence[float]) -> float | None:
    return float(statistics.median(waarden)) if waarden else None


def p90(waarden: Sequence[float]) -> float | None:
    """The 90th percentile by nearest rank: a value that occurred, the smallest with 90% at or below it."""
    if not waarden:
        return None
    ordered = sorted(waarden)
    return float(ordered[math.ceil(0.9 * len(ordered)) - 1])


@dataclass
class Cel:
    """One cell of an indicator: where it is (``plaats``), its figures, and the households it rests on —
    the households themselves, or only how many there are (``aantal_huishoudens``, a count the database made)."""

    plaats: dict[str, str]
    waarden: dict[str, float | int | None]
    huishoudens: set[str] = field(default_factory=set)
    onderdrukt: bool = False
    aantal_huishoudens: int | None = None

    @property
    def omvang(self) -> int:
        """How many households the cell rests on: what suppression decides by."""
        return len(self.huishoudens) if self.aantal_huishoudens is None else self.aantal_huishoudens

    def naar_buiten(self) -> dict[str, Any]:
        """What leaves the service: place and figures, never the households."""
        waarden = dict.fromkeys(self.waarden) if self.onderdrukt else dict(self.waarden)
        return {**self.plaats, **waarden, "onderdrukt": self.onderdrukt}


def onderdruk(cellen: list[Cel], groepen: Sequence[Callable[[Cel], Hashable | None]], minimum: int) -> None:
    """Apply the suppression rule (module docstring) in place. ``groepen``: per kind of group, the key of the
    group a cell belongs to (``None``: in no group of that kind)."""
    for cel in cellen:
        if 0 < cel.omvang < minimum:
            cel.onderdrukt = True
    changed = True
    while changed:
        changed = False
        for sleutel in groepen:
            leden: dict[Hashable, list[Cel]] = defaultdict(list)
            for cel in cellen:
                key = sleutel(cel)
                if key is not None:
                    leden[key].append(cel)
            for groep in leden.values():
                if sum(c.onderdrukt for c in groep) != 1:
                    continue
                kandidaten = [c for c in groep if not c.onderdrukt and c.omvang]
                if kandidaten:
                    min(kandidaten, key=lambda c: (c.omvang, sorted(c.plaats.items()))).onderdrukt = True
                    changed = True


@dataclass(frozen=True)
class Indeling:
    """Which cluster each kolom is in (from an archetype profile; without one, each kolom is its own)."""

    naam: str
    clusters: dict[str, tuple[str, ...]]

    def cluster_van(self, kolom: str) -> str:
        for cluster, kolommen in self.clusters.items():
            if kolom in kolommen:
                return cluster
        return kolom

    def clusters_van(self, kolommen: Iterable[str]) -> set[str]:
        return {self.cluster_van(k) for k in kolommen}


def hierarchie(periode: bool = True) -> list[Callable[[Cel], Hashable | None]]:
    """The groups of a kolom → cluster → whole-domain table: the kolommen of one cluster with that cluster's
    cell, and the clusters with the total (per period where the table has one)."""

    def binnen_cluster(c: Cel) -> Hashable | None:
        if c.plaats.get("cluster") == ALLE:
            return None
        return ("cluster", c.plaats.get("periode") if periode else None, c.plaats["cluster"])

    def binnen_domein(c: Cel) -> Hashable | None:
        if c.plaats.get("kolom") != ALLE:
            return None
        return ("domein", c.plaats.get("periode") if periode else None)

    return [binnen_cluster, binnen_domein]


Telling = tuple[str | None, str, str, dict[str, float | int | None], int]
"""One cell as the database counted it: (periode or None, kolom or ALLE, cluster or ALLE, figures, households)."""


def cellen_uit_tellingen(tellingen: Iterable[Telling]) -> list[Cel]:
    """The cells of a kolom → cluster → whole-domain table from counts made per level, in the order of
    the suppression groups of ``hierarchie``: by period, then cluster, then kolom."""
    cellen = []
    for periode, kolom, cluster, waarden, aantal_huishoudens in sorted(tellingen, key=lambda t: _sort(t[:3])):
        plaats = {"kolom": kolom, "cluster": cluster}
        if periode is not None:
            plaats = {"periode": periode, **plaats}
        cellen.append(Cel(plaats, waarden, aantal_huishoudens=aantal_huishoudens))
    return cellen


def _sort(key: tuple[str | None, str, str]) -> tuple[str, int, str, int, str]:
    periode, kolom, cluster = key
    return (periode or "", cluster == ALLE, cluster, kolom == ALLE, kolom)


def voorziening(toekenningen: Sequence[Any]) -> tuple[date | None, date | None]:
    """The span of what a resultaat grants: its first begindatum to its last einddatum (None: open-ended,
    or nothing granted)."""
    if not toekenningen:
        return None, None
    eind = [t.einddatum for t in toekenningen]
    return min(t.begindatum for t in toekenningen), None if None in eind else max(eind)


def perioden(van: date, tot: date, periode: Periode) -> list[tuple[str, date, date]]:
    """The calendar periods that overlap [van, tot], each as (label, first day, last day) within the range."""
    if periode == "geheel":
        return [(f"{van.isoformat()}/{tot.isoformat()}", van, tot)]
    out: list[tuple[str, date, date]] = []
    start = van
    while start <= tot:
        if periode == "maand":
            volgende = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        elif periode == "kwartaal":
            q = (start.month - 1) // 3
            volgende = date(start.year + (q == 3), (q + 1) % 4 * 3 + 1, 1)
        else:
            volgende = date(start.year + 1, 1, 1)
        out.append((periode_van(start, periode), start, min(volgende - timedelta(days=1), tot)))
        start = volgende
    return out


def periode_sleutel(dag: date, periode: Periode) -> int:
    """The integer key of the period a day falls in: ``jaar * 100 + maand``, ``jaar * 10 + kwartaal`` or the year
    (``periode_uit_sleutel`` makes its label). The three never collide: six, five and four digits."""
    if periode == "maand":
        return dag.year * 100 + dag.month
    if periode == "kwartaal":
        return dag.year * 10 + (dag.month - 1) // 3 + 1
    return dag.year


SLEUTEL_PERIODES: tuple[Periode, ...] = ("maand", "kwartaal", "jaar")


def sleutels_tussen(van: date, tot: date) -> set[int]:
    """The keys of every month, quarter and year that [van, tot] touches."""
    sleutels: set[int] = set()
    for periode in SLEUTEL_PERIODES:
        sleutels.update(periode_sleutel(begin, periode) for _label, begin, _eind in perioden(van, tot, periode))
    return sleutels


def heel_in_perioden(van: date, tot: date, periode: Periode) -> bool:
    """Whether [van, tot] is made of whole calendar periods (so each period's figures are the whole period's)."""
    if periode == "geheel" or van > tot:
        return False
    dag = timedelta(days=1)
    return (periode_van(van - dag, periode) != periode_van(van, periode)
            and periode_van(tot, periode) != periode_van(tot + dag, periode))
