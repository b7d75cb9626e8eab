"""What every route and handler of beleidsinfo needs, built once per process by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from sds.profiles import load_profile
from sds.profiles.model import Profile
from services.beleidsinfo.domain import Indeling, Pseudonimiseerder
from services.beleidsinfo.indicatoren import KOLOMMEN
from services.beleidsinfo.settings import BeleidsinfoSettings

API_PREFIX = "/beleidsinfo/api/v1"
COMPONENT = "beleidsinfo"
SCOPE_LEZEN = "beleidsinfo.lezen"


def indeling_van(profile: Profile) -> Indeling:
    return Indeling(profile.archetype, {naam: tuple(c.kolommen) for naam, c in profile.clusters.items()})


ZONDER_PROFIEL = Indeling("geen", {kolom: (kolom,) for kolom in KOLOMMEN})
"""Without an archetype each kolom is its own cluster."""


@dataclass(frozen=True)
class Beleidsinfo:
    settings: BeleidsinfoSettings
    indeling: Indeling
    pseudoniem: Pseudonimiseerder

    @classmethod
    def from_settings(cls, settings: BeleidsinfoSettings) -> Beleidsinfo:
        indeling = indeling_van(load_profile(settings.archetype)) if settings.archetype else ZONDER_PROFIEL
        return cls(settings, indeling, Pseudonimiseerder(settings.beleidsinfo_sleutel.encode()))
