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


def filters_match(kanalen: Sequence[Mapping[str, Any]], kanaal: str, kenmerken: Mapping[str, str]) -> bool:
    for groep in kanalen:
        if groep.get("naam") != kanaal:
            continue
        filters: Mapping[str, str] = groep.get("filters") or {}
        if all(kenmerken.get(key) == value for key, value in filters.items()):
            return True
    return False


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


def recipients(abonnees: Sequence[Abonnee], kanaal: str, kenmerken: Mapping[str, str],
               bereik: Bereik) -> list[int]:
    """The ids of the abonnementen a notificatie goes to, in the order given."""
    return [a.id for a in abonnees
            if filters_match(a.kanalen, kanaal, kenmerken) and may_receive(a.autorisatie, kanaal, kenmerken, bereik)]
