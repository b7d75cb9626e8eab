"""Settings of the beleidsinfo service (environment, prefix ``SDS_``), on top of the runtime's."""

from __future__ import annotations

from pydantic import Field, model_validator

from sds.runtime.settings import ServiceSettings

DEV_BELEIDSINFO_SLEUTEL = "sds-dev-beleidsinfo-sleutel-change-me"


class BeleidsinfoSettings(ServiceSettings):
    service: str = "beleidsinfo"
    archetype: str | None = Field(
        None, description="the archetype profile (a shipped name or a file) `sds up` hands every process: "
                          "its clusters are the cluster dimension of every indicator")
    beleidsinfo_sleutel: str = Field(
        DEV_BELEIDSINFO_SLEUTEL,
        description="HMAC key of the pseudonyms households, aanvragen and zaken are kept under; a key of this "
                    "service's own, so its pseudonyms cannot be matched with another service's")
    minimum_cel: int = Field(5, ge=2, description="a cell that counts fewer households than this is suppressed")
    gemeentecode: str | None = Field(
        None, pattern=r"^GM\d{4}$", description="the municipality's CBS code (GM0363), the first column of the "
                                                "CBS-style exports; empty there when not set")
    signaal_venster_dagen: int = Field(
        90, ge=1, description="a signaal counts as 'became an aanvraag' when its household files one within "
                              "this many days from the signaal on")

    @model_validator(mode="after")
    def _safe_outside_dev(self) -> BeleidsinfoSettings:
        if self.env != "dev" and self.beleidsinfo_sleutel == DEV_BELEIDSINFO_SLEUTEL:
            raise ValueError("SDS_BELEIDSINFO_SLEUTEL still has the development value; set a key of your own")
        if len(self.beleidsinfo_sleutel) < 16:
            raise ValueError("SDS_BELEIDSINFO_SLEUTEL must be at least 16 characters")
        return self
