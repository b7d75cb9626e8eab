"""Settings of the klantgegevens service (environment, prefix ``SDS_``), on top of the runtime's."""

from __future__ import annotations

from pydantic import Field, model_validator

from sds.profiles import load_profile
from sds.runtime.settings import ServiceSettings

DEV_PSEUDONIEM_SLEUTEL = "sds-dev-pseudoniem-sleutel-change-me"


class KlantgegevensSettings(ServiceSettings):
    service: str = "klantgegevens"
    brp_url: str | None = Field(
        None, description="base URL of a Haal Centraal BRP Personen API; unset: persons are registered locally")
    brp_api_key: str | None = Field(None, description="sent as X-API-KEY to the BRP API")
    brp_timeout: float = 5.0
    pseudoniem_sleutel: str = Field(
        DEV_PSEUDONIEM_SLEUTEL, description="HMAC key of the pseudonyms in the verwerkingenlog and in log lines")
    verwerkingenlog: bool = Field(True, description="off only for a benchmark in dev: it shows what logging costs")
    archetype: str | None = Field(
        None, description="the archetype profile (a shipped name or a file) `sds up` hands every process")
    eigen_dossier: bool = Field(
        False, description="the household's own dossier when no archetype profile is given; with a profile, "
                           "its capability eigen_dossier decides")

    @model_validator(mode="after")
    def _safe_outside_dev(self) -> KlantgegevensSettings:
        if self.env != "dev":
            if self.pseudoniem_sleutel == DEV_PSEUDONIEM_SLEUTEL:
                raise ValueError("SDS_PSEUDONIEM_SLEUTEL still has the development value; set a key of your own")
            if not self.verwerkingenlog:
                raise ValueError("SDS_VERWERKINGENLOG=false is for benchmarks in dev only: every processing of "
                                 "personal data must be logged")
        if len(self.pseudoniem_sleutel) < 16:
            raise ValueError("SDS_PSEUDONIEM_SLEUTEL must be at least 16 characters")
        return self

    def eigen_dossier_aan(self) -> bool:
        """Whether this deployment offers the household's own dossier: the profile's say, else the setting."""
        if self.archetype:
            return load_profile(self.archetype).capabilities.eigen_dossier
        return self.eigen_dossier
