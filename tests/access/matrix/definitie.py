"""Who the applicaties of the matrix are, per shipped profile, and what each may see: the oracle.

The oracle is written from the profile and the data set alone (the kolommen an object belongs to, the clusters
of the profile, its ``zicht``), never from the services' code, so a filter the services lose shows up as a
difference between what an applicatie got and what the oracle says it may get."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from sds.profiles import load_profile, shipped_path
from sds.profiles.model import Profile
from sds.runtime.auth import vertrouwelijkheid_rank

ARCHETYPEN = ("transitie-proof", "totaal-integraal", "geclusterd-integraal", "integraal-in-tweede-instantie",
              "geclusterd-integraal-elders")
# The leefgebied a question of each kolom is asked in (intake's own table maps it back).
LEEFGEBIED = {"wmo": "huishouden", "jeugd": "opvoeden", "participatie": "werk", "schuldhulp": "schulden"}
# The zaaktype-only applicatie: one zaaktype, up to one vertrouwelijkheid.
ZAAKTYPE, MAX_VERTROUWELIJK = "JW-AMB", "geheim"

SCOPES: dict[str, list[str]] = {
    "intake": ["intake.aanvragen.lezen", "intake.aanvragen.aanmaken", "intake.aanvragen.bijwerken",
               "intake.signalen.lezen", "intake.statusberichten"],
    "zrc": ["zaken.lezen", "zaken.aanmaken", "zaken.bijwerken", "zaken.verwijderen", "zaken.statussen.toevoegen",
            "audittrails.lezen"],
    "ztc": ["catalogi.lezen"],
    "klantgegevens": ["klantgegevens.lezen", "klantgegevens.schrijven"],
}


def profiel(archetype: str) -> Profile:
    return load_profile(shipped_path(archetype))


@dataclass(frozen=True)
class App:
    """One applicatie of the matrix. ``kolommen`` None: every autorisatie (sees everything)."""

    naam: str
    kolommen: frozenset[str] | None
    registratie: dict[str, Any] = field(compare=False)
    # The zaaktype-only applicatie holds a zaken grant and nothing else.
    zaaktype: str | None = None

    @property
    def client_id(self) -> str:
        return "mx-" + self.naam.replace(":", "-").replace("≤", "-")

    @property
    def secret(self) -> str:
        return f"{self.client_id}-secret-0123456789abcdefghij"

    def heeft(self, component: str) -> bool:
        """Whether this applicatie holds any grant on ``component``."""
        if self.kolommen is None:
            return True
        return any(a["component"] == component for a in self.registratie.get("autorisaties", []))


BESLUITEN = ["besluiten.lezen", "besluiten.aanmaken", "besluiten.bijwerken", "besluiten.verwijderen"]


def _grants(besluittypen: Collection[str]) -> list[dict[str, Any]]:
    """Every scope of the matrix's components; a Besluiten API grant is per besluittype (the standard's rule),
    one per besluittype of the applicatie's kolommen."""
    return [*({"component": c, "scopes": s, **({"maxVertrouwelijkheidaanduiding": "zeer_geheim"}
                                              if c == "zrc" else {})} for c, s in SCOPES.items()),
            *({"component": "brc", "scopes": BESLUITEN, "besluittype": b} for b in sorted(besluittypen))]


def applicaties(profile: Profile, zaaktype_url: str, besluittypen: Mapping[str, Collection[str]]) -> list[App]:
    """Per kolom, per cluster (where a cluster is more than one kolom of its own name), an outside party's
    (its cluster, where the profile has one), the zaaktype-only one, and the one with every autorisatie."""
    apps = [App("alles", None, {"heeftAlleAutorisaties": True})]
    for kolom in profile.kolommen:
        apps.append(App(f"kolom:{kolom}", frozenset([kolom]), {"kolommen": [kolom],
                                                              "autorisaties": _grants(besluittypen[kolom])}))
    for naam, cluster in profile.clusters.items():
        kolommen = frozenset(cluster.kolommen)
        grants = _grants({b for k in kolommen for b in besluittypen[k]})
        if cluster.partij is not None:
            apps.append(App(f"partij:{cluster.partij}", kolommen,
                            {"clusters": [naam], "autorisaties": grants}))
        elif kolommen != {naam}:
            apps.append(App(f"cluster:{naam}", kolommen, {"clusters": [naam], "autorisaties": grants}))
    apps.append(App(f"zaaktype:{ZAAKTYPE}≤{MAX_VERTROUWELIJK}", frozenset(), {"autorisaties": [{
        "component": "zrc", "scopes": SCOPES["zrc"], "zaaktype": zaaktype_url,
        "maxVertrouwelijkheidaanduiding": MAX_VERTROUWELIJK}]}, zaaktype=zaaktype_url))
    return apps


@dataclass
class Object:
    """One object of the data set, as the all-rights applicatie read it: the kolommen it belongs to, whether
    it is integral (one household, one plan: a whole the profile may show to every kolom in it), and for a
    zaak (or a part of one) its zaaktype and vertrouwelijkheid."""

    url: str
    kolommen: frozenset[str]
    integraal: bool = False
    zaaktype: str | None = None
    vertrouwelijkheid: str | None = None
    # The person a klantgegevens object is about (its lists take ``persoon``).
    persoon: str | None = None
    # A contactmoment belongs to a cluster: seen by an applicatie that serves that cluster.
    cluster: str | None = None


def ziet(app: App, obj: Object, profile: Profile, component: str) -> bool:
    """Whether ``app`` may read ``obj`` at all (its detail answers 200, it is in lists)."""
    if app.kolommen is None:
        return True
    if app.zaaktype is not None:
        return (component == "zrc" and obj.zaaktype == app.zaaktype and obj.vertrouwelijkheid is not None
                and vertrouwelijkheid_rank(obj.vertrouwelijkheid) <= vertrouwelijkheid_rank(MAX_VERTROUWELIJK))
    if obj.cluster is not None and obj.cluster not in app.registratie.get("clusters", []):
        return False
    return bool(obj.kolommen & app.kolommen)


def zichtbare_kolommen(app: App, obj: Object, profile: Profile) -> Collection[str] | None:
    """The kolommen whose properties may appear in ``app``'s view of ``obj``; None: all of them. A team sees its
    own part; an integral object whole where the profile's ``zicht.integraal`` is ``geheel``."""
    if app.kolommen is None:
        return None
    if obj.integraal and profile.zicht.integraal == "geheel":
        return obj.kolommen | app.kolommen
    if app.zaaktype is not None:
        return obj.kolommen
    return app.kolommen
