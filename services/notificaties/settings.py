"""Settings of the notificaties service (environment, prefix ``SDS_``), on top of the runtime's."""

from __future__ import annotations

import json

from pydantic import Field, field_validator

from sds.runtime.settings import ServiceSettings

# Seconds to wait before each retry of a failed delivery: 10 retries over some 8.5 hours, so a subscriber that is
# down for an hour (or a night's maintenance window) gets everything afterwards. Open Notificaties retries 5
# times with an exponential backoff capped at 48 s (notifications-api-common's defaults: factor 3 s, max 48 s),
# about 2 minutes in all. After the last retry the delivery is dead-lettered (status ``mislukt``).
RETRY_SCHEDULE = (10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0)


class NotificatiesSettings(ServiceSettings):
    service: str = "notificaties"
    retry_schedule: tuple[float, ...] = Field(
        RETRY_SCHEDULE, description="JSON list: seconds before each retry; after the last the delivery is mislukt")
    callback_timeout: float = Field(10.0, description="seconds a callback may take before the try counts as failed")
    callback_check: bool = Field(
        True, description="test a new or changed callbackUrl with a POST that must answer 2xx (the standard's check)")
    delivery_worker: bool = Field(
        True, description="run the delivery worker in this process (run it in one process of a scaled service)")
    delivery_concurrency: int = Field(
        16, ge=1, description="deliveries in flight per abonnement (each of another hoofdObject, so order holds)")
    delivery_batch: int = Field(1000, ge=1, description="deliveries the dispatcher hands out per round")
    delivery_poll_interval: float = Field(0.1, description="seconds between looks for new deliveries when idle")

    @field_validator("retry_schedule", mode="before")
    @classmethod
    def _json(cls, value: object) -> object:
        return json.loads(value) if isinstance(value, str) else value
