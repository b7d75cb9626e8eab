"""Settings of the intake service (environment, prefix ``SDS_``), on top of the runtime's."""

from __future__ import annotations

import json

from pydantic import Field, field_validator

from sds.runtime.settings import ServiceSettings
from sds.runtime.verwerkingenlog import VerwerkingenlogSettings

# The zaaktype (by its catalogue identificatie) a zaak is opened with, per leefgebied of a question, per kolom
# when a zaak covers several leefgebieden of that kolom, and for a zaak that spans kolommen (integral work).
DEFAULT_ZAAKTYPEN: dict[str, str] = {
    "huishouden": "WMO-HBH",
    "begeleiding": "WMO-BEG",
    "wmo": "WMO-BEG",
    "opvoeden": "JW-AMB",
    "jeugd": "JW-AMB",
    "inkomen": "PW-BIJSTAND",
    "werk": "PW-REINTEGRATIE",
    "participatie": "PW-REINTEGRATIE",
    "schulden": "SHV-SCHULDHULP",
    "schuldhulp": "SHV-SCHULDHULP",
    "vroegsignaal": "SHV-VROEGSIGNAAL",
    "integraal": "INT-PLAN",
}


class IntakeSettings(ServiceSettings, VerwerkingenlogSettings):
    service: str = "intake"
    zaken_url: str = Field("http://127.0.0.1:8002", description="the zaken service inside the suite (catalogue)")
    klantgegevens_url: str = Field("http://127.0.0.1:8003",
                                   description="the klantgegevens service inside the suite (households)")
    upstream_timeout: float = Field(5.0, description="seconds for a call to zaken or klantgegevens")
    zaaktypen: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_ZAAKTYPEN),
        description="JSON: leefgebied, kolom or 'integraal' -> zaaktype identificatie in the catalogue")
    triage_interval: float = Field(2.0, description="seconds between rounds of the worker that triages what "
                                                    "could not be triaged at once (catalogue not yet known)")
    termijn_interval: float = Field(300.0, description="seconds between checks for overdue termijnen")

    @field_validator("zaaktypen", mode="before")
    @classmethod
    def _json(cls, value: object) -> object:
        return json.loads(value) if isinstance(value, str) else value
