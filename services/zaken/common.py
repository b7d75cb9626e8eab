"""What the catalogi, zaken, besluiten and plannen packages share: resource URLs, ZGW field checks, JSON columns."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import Body, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.body import ZgwBody  # noqa: F401  (re-exported: the body of a ZGW API, readOnly/unknown ignored)
from sds.runtime.bsn import elfproef  # noqa: F401  (re-exported: the 11-proef of an RSIN)
from sds.runtime.db import Id, Json  # noqa: F401  (re-exported: the zaken packages take them from here)
from sds.runtime.errors import ApiError, ValidatieFout
from sds.runtime.errors import refused_or_absent as refused_or_absent_rule

ZAKEN_PREFIX = "/zaken/api/v1"
CATALOGI_PREFIX = "/catalogi/api/v1"
BESLUITEN_PREFIX = "/besluiten/api/v1"
SOURCE = "urn:nld:sociaal-domein:zaken"

KOLOMMEN = ("wmo", "jeugd", "participatie", "schuldhulp")
INTEGRAAL = "integraal"

Url = Annotated[str, Field(min_length=1, max_length=1000)]
# What the routes of the ZGW APIs take: a PATCH body as sent, and a URL as a query parameter.
PatchBody = Annotated[dict[str, Any], Body()]
UrlQuery = Annotated[str | None, Query(max_length=1000)]


class ApiModel(BaseModel):
    """Request bodies of the suite's own APIs: camelCase, unknown fields refused so a typo is a 400. A body of a ZGW
    resource takes ``ZgwBody`` instead: readOnly and unknown fields ignored, as the ZGW reference does."""

    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True,
                              extra="forbid")


async def refused_or_absent(session: AsyncSession, unfiltered: Select[Any]) -> ApiError:
    """Why a detail did not come back from the query filtered by the client's autorisaties: 403 when ``unfiltered``
    (the same query without them) finds it, as the ZGW APIs answer (and Open Zaak); 404 when it is not there."""
    return refused_or_absent_rule((await session.execute(unfiltered.limit(1))).first() is not None)


def base_url(request: Request) -> str:
    return request.app.state.settings.public_base_url.rstrip("/")


def resource_url(request: Request, prefix: str, collection: str, resource_uuid: Any) -> str:
    return f"{base_url(request)}{prefix}/{collection}/{resource_uuid}"


_UUID = r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"


def uuid_from_url(request: Request, url: str, prefix: str, collection: str) -> str | None:
    """The uuid in one of this service's resource URLs, or None for any other URL.

    A reference must point at this suite's own resource (the way a client got it from us); a URL of
    another host or another collection is not ours to resolve.
    """
    match = re.fullmatch(re.escape(f"{base_url(request)}{prefix}/{collection}/") + _UUID, url.strip())
    return str(uuid.UUID(match.group(1))) if match else None


def require_url(request: Request, url: str, prefix: str, collection: str, field: str) -> str:
    found = uuid_from_url(request, url, prefix, collection)
    if found is None:
        raise ValidatieFout.single(field, "bad-url",
                                   f"De URL '{url[:200]}' is geen {collection}-resource van deze API.")
    return found


def check_rsin(value: str, field: str) -> None:
    if not elfproef(value):
        raise ValidatieFout.single(field, "invalid", "Voer een geldig RSIN in (9 cijfers, 11-proef).")


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def split_csv(value: str | None, field: str, *, allowed: tuple[str, ...] | None = None,
              max_items: int = 100) -> list[str] | None:
    """A ``__in`` filter: comma-separated values, each one checked when the field is an enum."""
    if value is None:
        return None
    items = [v.strip() for v in value.split(",") if v.strip()]
    if len(items) > max_items:
        raise ValidatieFout.single(field, "max_items", f"Ten hoogste {max_items} waarden.")
    if allowed is not None:
        bad = [v for v in items if v not in allowed]
        if bad:
            raise ValidatieFout.single(field, "invalid_choice", f"Onbekende waarde(n): {', '.join(bad)[:200]}")
    return items


def without_blank(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    """Leave out optional URL fields the client left empty: the spec types them as URIs, which "" is not."""
    for key in keys:
        if data.get(key) == "":
            del data[key]
    return data
