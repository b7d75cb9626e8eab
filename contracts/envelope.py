"""The CloudEvents 1.0 envelope as the NL GOV profile for CloudEvents uses it.

Every event on the suite's bus is one of these, serialised as structured-mode JSON.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SOURCE_PATTERN = r"^urn:nld:[a-z0-9][a-z0-9-]*(:[A-Za-z0-9._~-]+)+$"
TYPE_PATTERN = r"^(nl\.overheid\.(zaken|documenten)|nl\.sociaal-domein\.[a-z]+)\.[a-z][a-z0-9-]*$"
TRACEPARENT_PATTERN = r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"


class CloudEvent(BaseModel):
    """CloudEvents 1.0 structured JSON with the NL GOV profile's attributes."""

    model_config = ConfigDict(extra="forbid", title="CloudEvent")

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()), min_length=1, max_length=64,
                    description="Unique per source; also the Nats-Msg-Id, so a republish is deduplicated")
    source: str = Field(pattern=SOURCE_PATTERN,
                        description="URN of the producing service, e.g. urn:nld:sociaal-domein:zaken")
    type: str = Field(pattern=TYPE_PATTERN,
                      description="Reverse DNS, resource-verb in the past tense, e.g. nl.overheid.zaken.zaak-geopend")
    subject: str | None = Field(None, max_length=255, description="Id of the resource the event is about (never a BSN)")
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    datacontenttype: Literal["application/json"] = "application/json"
    dataschema: str | None = Field(None, description="URI of the JSON Schema of data")
    dataref: str | None = Field(None, description="URL of the resource the event is about")
    sequence: str | None = Field(None, description="Ordering value within the source (NL GOV profile)")
    sequencetype: Literal["Integer"] | None = None
    traceparent: str | None = Field(None, pattern=TRACEPARENT_PATTERN,
                                    description="W3C trace context of the request that caused the event")
    data: dict[str, Any] = Field(default_factory=dict)

    @field_validator("time")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("time must carry a timezone")
        return value

    def to_json(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode()

    @classmethod
    def from_json(cls, raw: bytes | str) -> CloudEvent:
        return cls.model_validate_json(raw)


def subject_for(event_type: str) -> str:
    """The bus subject for an event type: ``sds.<service>.<resource>.<verb>``.

    ``nl.overheid.zaken.zaak-geopend`` → ``sds.zaken.zaak.geopend``;
    ``nl.sociaal-domein.intake.aanvraag-ingediend`` → ``sds.intake.aanvraag.ingediend``.
    """
    parts = event_type.split(".")
    service, name = parts[-2], parts[-1]
    resource, _, verb = name.rpartition("-")
    if not resource:
        raise ValueError(f"event type {event_type!r} has no resource-verb name")
    return f"sds.{service}.{re.sub('[^a-z0-9]', '_', resource)}.{verb}"
