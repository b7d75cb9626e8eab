"""What every use case of intake needs, built once per process by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from sds.profiles import Profile
from sds.runtime.verwerkingenlog import Verwerkingenlog
from services.intake.settings import IntakeSettings

API_PREFIX = "/intake/api/v1"
SOURCE = "urn:nld:sociaal-domein:intake"


@dataclass
class Intake:
    settings: IntakeSettings
    profile: Profile | None
    log: Verwerkingenlog
    # zaaktype identificatie -> URL of its current published version, learnt from the zaken catalogue
    zaaktype_urls: dict[str, str] = field(default_factory=dict)
    # monotonic time of the last attempt to read the catalogue, so a zaken that is down is not asked per request
    catalogus_poging: float = float("-inf")

    def kent_catalogus(self) -> bool:
        """Whether every zaaktype triage may name has a known URL."""
        return set(self.settings.zaaktypen.values()) <= set(self.zaaktype_urls)

    def url(self, kind: str, uuid: str) -> str:
        return f"{self.settings.public_base_url.rstrip('/')}{API_PREFIX}/{kind}/{uuid}"


async def _intake(request: Request) -> Intake:
    # async: FastAPI runs a plain def dependency in a worker thread, which costs more than this lookup.
    return request.app.state.intake  # type: ignore[no-any-return]


IntakeDep = Annotated[Intake, Depends(_intake)]
