"""Settings of the klantgegevens service (environment, prefix ``SDS_``), on top of the runtime's."""

from __future__ import annotations

from pydantic import Field

from sds.profiles import load_profile
from sds.runtime.settings import ServiceSettings
from sds.runtime.verwerkingenlog import VerwerkingenlogSettings


class KlantgegevensSettings(ServiceSettings, VerwerkingenlogSettings):
    service: str = "klantgegevens"
    brp_url: str | None = Field(
        None, description="base URL of a Haal Centraal BRP Personen API; unset: persons are registered locally")
    brp_api_key: str | None = Field(None, description="sent as X-API-KEY to the BRP API")
    brp_timeout: float = 5.0
    eigen_dossier: bool = Field(
        False, description="the household's own dossier when no archetype profile is given; with a profile, "
                           "its capability eigen_dossier decides")

    def eigen_dossier_aan(self) -> bool:
        """Whether this deployment offers the household's own dossier: the profile's say, else the setting."""
        if self.archetype:
            return load_profile(self.archetype).capabilities.eigen_dossier
        return self.eigen_dossier
