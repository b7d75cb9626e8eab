"""Rules of klantgegevens, without I/O: the BSN, pseudonyms, who may see what, and household shape."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sds.runtime.auth import AuthContext

COMPONENT = "klantgegevens"
SCOPE_LEZEN = "klantgegevens.lezen"
SCOPE_SCHRIJVEN = "klantgegevens.schrijven"
# Intake's processing: look a person up by BSN and register persons and households before any
# aanvraag exists — there is no lawful reason in klantgegevens yet at that moment.
SCOPE_REGISTREREN = "klantgegevens.registreren"
# A client that acts for a resident authenticated by the gateway (DigiD); user_id says who.
SCOPE_INWONER = "klantgegevens.inwoner"
SCOPE_AUDIT = "verwerkingenlog.lezen"

KOLOMMEN = ("wmo", "jeugd", "participatie", "schuldhulp")
ROLLEN = ("ouder", "partner", "kind", "overig")
Rol = Literal["ouder", "partner", "kind", "overig"]



@dataclass(frozen=True)
class Bereik:
    """What a client may reach for one scope: every household, or those with a lawful reason in its kolommen or
    clusters. ``zonder_grondslag`` lets it reach persons before any lawful reason exists (registration)."""

    alles: bool
    kolommen: frozenset[str]
    clusters: frozenset[str]
    zonder_grondslag: bool = False

    @property
    def leeg(self) -> bool:
        return not (self.alles or self.kolommen or self.clusters or self.zonder_grondslag)


def bereik(ctx: AuthContext, scope: str) -> Bereik:
    """The client's reach for ``scope``, from the grants the gateway resolved.

    A grant with a kolom covers that kolom; a grant without one covers the applicatie's kolommen (or every kolom
    when the applicatie names none). The applicatie's clusters count too, because a lawful reason can be held by a
    cluster (a triage decision, a delegation) rather than by one kolom.
    """
    if ctx.heeft_alle_autorisaties:
        return Bereik(alles=True, kolommen=frozenset(KOLOMMEN), clusters=frozenset())
    grants = ctx.grants(COMPONENT, scope)
    if not grants:
        return Bereik(alles=False, kolommen=frozenset(), clusters=frozenset())
    kolommen: set[str] = set()
    for grant in grants:
        if grant.kolom is not None:
            kolommen.add(grant.kolom)
        elif grant.zaaktype is None and grant.catalogus is None:
            kolommen.update(ctx.kolommen or KOLOMMEN)
    registreren = bool(ctx.grants(COMPONENT, SCOPE_REGISTREREN))
    return Bereik(alles=False, kolommen=frozenset(kolommen), clusters=frozenset(ctx.clusters),
                  zonder_grondslag=registreren)


def grondslag_code(soort: str, kolom: str) -> str:
    """How the verwerkingenlog names the lawful reason a processing rested on, e.g. ``zaak:wmo``."""
    return f"{soort}:{kolom}"


# Vroegsignalering of payment arrears is a task of schuldhulpverlening (Wgs art. 3a); other signals
# get a kolom only through triage.
SIGNAAL_KOLOM = {
    "huurachterstand": "schuldhulp",
    "energieachterstand": "schuldhulp",
    "waterachterstand": "schuldhulp",
    "zorgverzekeringsachterstand": "schuldhulp",
}


@dataclass(frozen=True)
class Samenstelling:
    ouders: int
    partners: int
    kinderen: int
    overig: int

    @property
    def aantal(self) -> int:
        return self.ouders + self.partners + self.kinderen + self.overig


def samenstelling(rollen: Iterable[str]) -> Samenstelling:
    counts = dict.fromkeys(ROLLEN, 0)
    for rol in rollen:
        counts[rol] += 1
    return Samenstelling(counts["ouder"], counts["partner"], counts["kind"], counts["overig"])


def toestemming_geldig(*, startdatum: date, einddatum: date | None, ingetrokken: datetime | None,
                       op: date) -> bool:
    """A consent covers a day from its start, up to and including its end; a withdrawal ends it at once."""
    return ingetrokken is None and startdatum <= op and (einddatum is None or op <= einddatum)
