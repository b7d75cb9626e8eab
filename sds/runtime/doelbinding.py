"""Purpose binding (doelbinding): a team limited to kolommen sees of a resource that spans several only its part.

An aanvraag of a household with a jeugd and a schuldhulp question is one resource, but the jeugd team may not
learn of the debts (OWASP API3, broken object property level authorisation). Every resource that spans kolommen
declares its kolom-bearing parts once, as a ``Vorm`` next to its response schema, and every answer that shows it
(list, detail, search, history, the answer of a write) goes through ``Zicht.snijd``; no route filters by itself.

A ``Vorm`` names every field of its schema exactly once:

- ``vrij``: fields that carry nothing of a kolom (an id, a date, a status);
- ``delen``: kolom-bearing parts: a list whose items each belong to kolommen (the vragen, the termijnen), or a
  single value of the whole resource (a free text that may speak of every kolom). An item is shown when it
  belongs to a kolom the caller sees; an ``ondeelbaar`` one (a text naming several kolommen) only when the
  caller sees all of them;
- ``sporen``: fields that list the kolommen or clusters involved. Whether a team learns *that* or *which*
  other kolommen are involved is the archetype's choice (profile ``zicht.andere_kolommen``);
- ``binnen``: a nested object with a ``Vorm`` of its own.

``registreer`` refuses a ``Vorm`` that leaves a field of its schema undeclared, so a field added to a schema
without saying which kolom it bears stops the service from starting rather than leaking. ``bronnen`` lists
every registered resource and its parts, for an access matrix over the archetypes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from sds.profiles.model import Profile
from sds.runtime.auth import AuthContext, grens
from sds.runtime.errors import PermissionDenied

Gegevens = Mapping[str, Any]
# The kolommen of an item of a part, or of the resource; the resource is passed too (a part may take its kolommen).
KolommenVan = Callable[[Gegevens, Gegevens], Collection[str]]


class OnvolledigeVorm(Exception):
    """A resource's declaration does not name every field of its schema exactly once."""


@dataclass(frozen=True)
class Deel:
    """A kolom-bearing part: a list of items (``lijst``) or one value of the resource."""

    veld: str
    kolommen: KolommenVan
    lijst: bool = True
    ondeelbaar: bool = False
    # Fields of an item that list kolommen (a delegation's kolommen): cut to what the caller sees.
    sporen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Spoor:
    """A field that lists the kolommen (or the clusters) the resource is involved in."""

    veld: str
    soort: Literal["kolommen", "clusters"] = "kolommen"


@dataclass(frozen=True)
class Vorm:
    schema: type[BaseModel]
    vrij: tuple[str, ...] = ()
    delen: tuple[Deel, ...] = ()
    sporen: tuple[Spoor, ...] = ()
    binnen: Mapping[str, Vorm] = field(default_factory=dict)
    # The field that tells a team that parts outside its kolommen were left out (profile zicht: dat or welke).
    melding: str | None = None

    def velden(self) -> list[str]:
        return [*self.vrij, *(d.veld for d in self.delen), *(s.veld for s in self.sporen), *self.binnen,
                *([self.melding] if self.melding else [])]

    def controleer(self, pad: str) -> None:
        declared = self.velden()
        twice = sorted({v for v in declared if declared.count(v) > 1})
        wire = {(info.alias or name) for name, info in self.schema.model_fields.items()}
        missing, unknown = sorted(wire - set(declared)), sorted(set(declared) - wire)
        if twice or missing or unknown:
            raise OnvolledigeVorm(f"{pad} ({self.schema.__name__}): " + "; ".join(
                part for part in (f"not declared: {', '.join(missing)}" if missing else "",
                                  f"declared twice: {', '.join(twice)}" if twice else "",
                                  f"not in the schema: {', '.join(unknown)}" if unknown else "") if part))
        for naam, vorm in self.binnen.items():
            vorm.controleer(f"{pad}.{naam}")


@dataclass(frozen=True)
class Bron:
    """A resource that spans kolommen: its name, the kolommen it bears as a whole, and its shape."""

    naam: str
    kolommen: Callable[[Gegevens], Collection[str]]
    vorm: Vorm
    # Whether triage made this resource integral (profile zicht.integraal: geheel shows it whole).
    integraal: Callable[[Gegevens], bool] = lambda _: False
    # Shown only to a caller who sees every kolom it bears (its words may name them all).
    ondeelbaar: bool = False


_BRONNEN: dict[str, Bron] = {}


def registreer(bron: Bron) -> Bron:
    """Declare a resource; refused when its shape leaves a field of its schema undeclared."""
    bron.vorm.controleer(bron.naam)
    _BRONNEN[bron.naam] = bron
    return bron


def bronnen() -> list[dict[str, Any]]:
    """Every registered resource with its kolom-bearing parts and traces, in a form for an access matrix."""
    def beschrijf(vorm: Vorm, pad: str) -> list[dict[str, Any]]:
        out = [{"veld": f"{pad}{d.veld}", "soort": "lijst" if d.lijst else "waarde", "ondeelbaar": d.ondeelbaar,
                "sporen": list(d.sporen)} for d in vorm.delen]
        out += [{"veld": f"{pad}{s.veld}", "soort": f"spoor:{s.soort}"} for s in vorm.sporen]
        for naam, sub in vorm.binnen.items():
            out += beschrijf(sub, f"{pad}{naam}.")
        return out

    return [{"bron": b.naam, "schema": b.vorm.schema.__name__, "ondeelbaar": b.ondeelbaar, "vrij": list(b.vorm.vrij),
             "melding": b.vorm.melding, "delen": beschrijf(b.vorm, "")} for b in _BRONNEN.values()]


def bron(naam: str) -> Bron:
    return _BRONNEN[naam]


def kolom_van(veld: str) -> KolommenVan:
    """An item that names its one kolom in ``veld``."""
    return lambda item, _: [item[veld]] if item.get(veld) else []


def kolommen_van(veld: str) -> KolommenVan:
    """An item that lists its kolommen in ``veld``."""
    return lambda item, _: list(item.get(veld) or [])


def van_de_bron(bron_kolommen: Callable[[Gegevens], Collection[str]]) -> KolommenVan:
    """A value of the whole resource: it bears every kolom the resource does."""
    return lambda _, geheel: bron_kolommen(geheel)


# --- what a caller sees ---------------------------------------------------------------------------------------

def bereik(auth: AuthContext, component: str, scope: str, profile: Profile | None) -> frozenset[str] | None:
    """The kolommen whose parts ``auth`` may reach for ``scope``: None for all of them.

    A grant with a kolom gives that kolom; one without gives every kolom of the applicatie's limit. An applicatie
    limited to kolommen or clusters (a cluster team, an external party) never reaches past them, whatever its
    grants say; a limit the profile does not know reaches nothing.
    """
    if auth.heeft_alle_autorisaties:
        return None
    grants = auth.grants(component, scope)
    if not grants:
        raise PermissionDenied(f"Deze applicatie heeft de scope '{scope}' niet.", code="permission_denied")
    limit = grens(auth, cluster_kolommen(profile))
    if any(g.kolom is None for g in grants):
        return None if limit is None else frozenset(limit)
    granted = {g.kolom for g in grants if g.kolom is not None}
    return frozenset(granted if limit is None else granted & set(limit))


def cluster_kolommen(profile: Profile | None) -> dict[str, tuple[str, ...]]:
    """The kolommen of each cluster of the profile (none without one), for ``sds.runtime.auth.grens``."""
    return {naam: tuple(c.kolommen) for naam, c in profile.clusters.items()} if profile is not None else {}


@dataclass(frozen=True)
class Zicht:
    """What one caller sees: its kolommen (None: all) and what the archetype lets it learn beyond them."""

    kolommen: frozenset[str] | None
    andere_kolommen: Literal["niets", "dat", "welke"] = "niets"
    integraal_geheel: bool = False
    cluster_van: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def voor(cls, auth: AuthContext, component: str, scope: str, profile: Profile | None) -> Zicht:
        kolommen = bereik(auth, component, scope, profile)
        if profile is None:
            return cls(kolommen)
        return cls(kolommen, profile.zicht.andere_kolommen, profile.zicht.integraal == "geheel",
                   {k: profile.cluster_of(k) for k in profile.kolommen})

    @classmethod
    def alles(cls) -> Zicht:
        return cls(None)

    def ziet(self, kolommen: Iterable[str], *, ondeelbaar: bool = False) -> bool:
        """Whether the caller sees something that bears ``kolommen`` (an ondeelbaar thing: all of them)."""
        if self.kolommen is None:
            return True
        wanted = set(kolommen)
        return wanted <= self.kolommen if ondeelbaar else bool(wanted & self.kolommen)

    def mag_weten(self, kolom: str) -> bool:
        """Whether the caller may learn that a resource is involved in ``kolom`` (e.g. by filtering on it)."""
        return self.kolommen is None or kolom in self.kolommen or self.andere_kolommen == "welke"

    def ziet_bron(self, bron: Bron, gegevens: Gegevens) -> bool:
        """Whether the caller sees anything of the resource (a resource without a kolom: only who sees all)."""
        return self.ziet(bron.kolommen(gegevens), ondeelbaar=bron.ondeelbaar)

    def toon(self, bron: Bron, items: Iterable[Gegevens]) -> list[dict[str, Any]]:
        """The resources of a list this caller sees, each cut to its part."""
        return [self.snijd(bron, item) for item in items if self.ziet_bron(bron, item)]

    def vereis_schrijven(self, kolommen: Iterable[str], wat: str = "Deze wijziging") -> None:
        """Refuse a write that touches a kolom outside the caller's (before anything changes)."""
        buiten = sorted(set(kolommen) - self.kolommen) if self.kolommen is not None else []
        if buiten:
            raise PermissionDenied(f"{wat} raakt kolommen buiten die van deze applicatie.",
                                   code="buiten-kolommen")

    def ziet_geheel(self, bron: Bron, gegevens: Gegevens) -> bool:
        """Whether the caller sees the resource whole: every kolom of it, or an integral one the profile shows
        whole to each team with a part in it. What belongs to it (its history) is then shown whole too."""
        if self.kolommen is None:
            return True
        alle = set(bron.kolommen(gegevens))
        return alle <= self.kolommen or (self.integraal_geheel and bron.integraal(gegevens) and bool(
            alle & self.kolommen))

    def binnen(self, bron: Bron, gegevens: Gegevens) -> Zicht:
        """The view on what belongs to this resource (its history lines): everything when the caller sees the
        resource whole, else this view."""
        return Zicht.alles() if self.ziet_geheel(bron, gegevens) else self

    def snijd(self, bron: Bron, gegevens: Gegevens) -> dict[str, Any]:
        """The resource as this caller may see it: its own parts, and of the rest what the profile allows."""
        if self.kolommen is None:
            return dict(gegevens)
        alle = set(bron.kolommen(gegevens))
        if self.integraal_geheel and bron.integraal(gegevens) and alle & self.kolommen:
            out = dict(gegevens)
            if bron.vorm.melding:
                out[bron.vorm.melding] = False if self.andere_kolommen != "niets" else None  # nothing left out
            return out
        return self._snijd_vorm(bron.vorm, gegevens, gegevens, bool(alle - self.kolommen))

    def _lijst(self, values: Iterable[str], soort: str) -> list[str]:
        assert self.kolommen is not None
        if soort == "kolommen":
            return [k for k in values if k in self.kolommen]
        eigen = {self.cluster_van.get(k, k) for k in self.kolommen}
        return [c for c in values if c in eigen]

    def _snijd_vorm(self, vorm: Vorm, data: Gegevens, geheel: Gegevens, elders: bool) -> dict[str, Any]:
        out = {k: data[k] for k in vorm.vrij if k in data}
        for deel in vorm.delen:
            value = data.get(deel.veld)
            if deel.lijst:
                items = []
                for item in value or []:
                    if self.ziet(deel.kolommen(item, geheel), ondeelbaar=deel.ondeelbaar):
                        items.append({**item, **{s: self._lijst(item.get(s) or [], "kolommen")
                                                 for s in deel.sporen if s in item}}
                                     if self.andere_kolommen != "welke" else dict(item))
                out[deel.veld] = items
            else:
                shown = value is not None and self.ziet(deel.kolommen({}, geheel), ondeelbaar=deel.ondeelbaar)
                out[deel.veld] = value if shown else None
        for spoor in vorm.sporen:
            value = data.get(spoor.veld)
            out[spoor.veld] = value if self.andere_kolommen == "welke" or value is None else self._lijst(
                value, spoor.soort)
        for naam, sub in vorm.binnen.items():
            value = data.get(naam)
            out[naam] = None if value is None else self._snijd_vorm(sub, value, geheel, elders)
        if vorm.melding:
            out[vorm.melding] = elders if self.andere_kolommen != "niets" else None
        return out
