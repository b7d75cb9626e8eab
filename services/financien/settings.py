"""Settings of the financien service (environment, prefix ``SDS_``), on top of the runtime's."""

from __future__ import annotations

from pydantic import Field

from sds.profiles import load_profile
from sds.runtime.settings import ServiceSettings
from sds.runtime.verwerkingenlog import VerwerkingenlogSettings
from services.financien.domain import Indeling


class FinancienSettings(ServiceSettings, VerwerkingenlogSettings):
    service: str = "financien"
    archetype: str | None = Field(
        None, description="the archetype profile (a shipped name or a file) `sds up` hands every process; with it, "
                          "contracten and budgetten name only its kolommen and clusters")

    def indeling(self) -> Indeling | None:
        if not self.archetype:
            return None
        profile = load_profile(self.archetype)
        return Indeling(kolommen=frozenset(profile.kolommen),
                        clusters={name: frozenset(c.kolommen) for name, c in profile.clusters.items()})
