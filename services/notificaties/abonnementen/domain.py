"""Which abonnement gets which notificatie: its filters (the standard's) and its applicatie's limits (the suite's).

Pure rules, no I/O. A notificatie goes to an abonnement when one of the abonnement's kanalen is the notificatie's
kanaal with filters that all hold (each filter's kenmerk present with that value), and the applicatie that owns
the abonnement may read what the notificatie is about:

- it has ``notificaties.consumeren`` (component ``nrc``), or all rights;
- on the kanalen ``zaken`` and ``besluiten``: a ``zrc`` / ``brc`` grant with its read scope that covers the
  notificatie — its ``zaaktype`` / ``besluittype`` the notificatie's, its ``maxVertrouwelijkheidaanduiding`` not
  below the notificatie's, its ``kolom`` among the zaak's kolommen. A grant narrowed by ``catalogus`` covers only
  a notificatie that names its catalogus (``zaak-geopend``): anything else fails closed;
- the applicatie's kolommen and clusters (an external party: its own cluster): a notificatie that names kolommen
  or a cluster goes only to an applicatie whose kolommen or clusters meet them, or that names none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sds.runtime.auth import AuthContext, Autorisatie, vertrouwelijkheid_rank
from sds.runtime.scopes import (
    BESLUITEN_LEZEN,
    BRC,
    DOCUMENTEN_LEZEN,
    DRC,
    NOTIFICATIES_CONSUMEREN,
    NRC,
    ZAKEN_LEZEN,
    ZRC,
)

# kanaal -> (component, read scope, the kenmerk and grant field of its type)
_GUARDED: dict[str, tuple[str, str, str]] = {
    "zaken": (ZRC, ZAKEN_LEZEN, "zaaktype"),
    "besluiten": (BRC, BESLUITEN_LEZEN, "besluittype"),
    "documenten": (DRC, DOCUMENTEN_LEZEN, "informatieobjecttype"),
}


@dataclass(frozen=True)
class Bereik:
    """What a notificatie is about beyond its kenmerken: the kolommen and cluster of its zaak (or aanvraag,
    toewijzing) and the catalogus of its type, when the event named them."""

    kolommen: tuple[str, ...] = ()
    cluster: str | None = None
    catalogus: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"kolommen": list(self.kolommen), "cluster": self.cluster, "catalogus": self.catalogus}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Bereik:
        return cls(kolommen=tuple(data.get("kolommen") or ()), cluster=data.get("cluster"),
                   catalogus=data.get("catalogus"))


@dataclass(frozen=True)
class Abonnee:
    """An abonnement as fan-out sees it."""

    id: int
    kanalen: Sequence[Mapping[str, Any]]
    autorisatie: AuthContext


def _matches(filters: Mapping[str, Any], kenmerken: Mapping[str, str]) -> bool:
    return all(kenmerken.get(key) == value for key, value in filters.items())


class Verdeling:
    """The abonnees as fan-out looks them up: each filter group of an abonnement filed under its kanaal and one of
    its (kenmerk, waarde) pairs, so a notificatie is checked only against the groups that can match it. Checking
    every abonnement for every notificatie was an eighth of the service's CPU with 100 abonnementen (py-spy)."""

    def __init__(self, abonnees: Sequence[Abonnee]) -> None:
        self.abonnees = tuple(abonnees)
        self._unfiltered: dict[str, list[tuple[int, Mapping[str, Any]]]] = {}  # kanaal -> groups, no text filter
        self._filed: dict[tuple[str, str, str], list[tuple[int, Mapping[str, Any]]]] = {}
        for position, abonnee in enumerate(self.abonnees):
            for groep in abonnee.kanalen:
                naam, filters = str(groep.get("naam")), groep.get("filters") or {}
                pair = next(((k, v) for k, v in filters.items() if isinstance(v, str)), None)
                if pair is None:
                    self._unfiltered.setdefault(naam, []).append((position, filters))
                else:
                    self._filed.setdefault((naam, *pair), []).append((position, filters))

    def recipients(self, kanaal: str, kenmerken: Mapping[str, str], bereik: Bereik) -> list[int]:
        """The ids of the abonnementen a notificatie goes to, in the order given."""
        candidates = list(self._unfiltered.get(kanaal, ()))
        for key, value in kenmerken.items():
            candidates.extend(self._filed.get((kanaal, key, value), ()))
        hits = sorted({position for position, filters in candidates if _matches(filters, kenmerken)})
        return [a.id for a in (self.abonnees[p] for p in hits) if may_receive(a.autorisatie, kanaal, kenmerken, bereik)]


def _grant_covers(grant: Autorisatie, type_field: str, kenmerken: Mapping[str, str], bereik: Bereik) -> bool:
    wanted = getattr(grant, type_field)
    if wanted is not None and wanted != kenmerken.get(type_field):
        return False
    if grant.catalogus is not None and grant.catalogus != bereik.catalogus:
        return False
    if grant.kolom is not None and grant.kolom not in bereik.kolommen:
        return False
    if grant.max_vertrouwelijkheidaanduiding is not None:
        aanduiding = kenmerken.get("vertrouwelijkheidaanduiding")
        if aanduiding is None:
            # A besluit has no vertrouwelijkheid of its own; a zaak or document that does not say is not shown.
            return type_field == "besluittype"
        try:
            return vertrouwelijkheid_rank(aanduiding) <= vertrouwelijkheid_rank(grant.max_vertrouwelijkheidaanduiding)
        except ValueError:
            return False
    return True


def may_receive(ctx: AuthContext, kanaal: str, kenmerken: Mapping[str, str], bereik: Bereik) -> bool:
    if ctx.heeft_alle_autorisaties:
        return True
    if not ctx.grants(NRC, NOTIFICATIES_CONSUMEREN):
        return False
    if ctx.kolommen or ctx.clusters:
        named = bool(bereik.kolommen) or bereik.cluster is not None
        meets = bool(set(bereik.kolommen) & set(ctx.kolommen)) or (
            bereik.cluster is not None and bereik.cluster in ctx.clusters)
        if named and not meets:
            return False
    guarded = _GUARDED.get(kanaal)
    if guarded is None:
        return True
    component, scope, type_field = guarded
    return any(_grant_covers(g, type_field, kenmerken, bereik) for g in ctx.grants(component, scope))
