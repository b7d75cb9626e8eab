"""What the packages of the Documenten API share: who acts (``Ctx``), resource URLs, the events."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.events import make_event
from sds.runtime.app import UnitOfWork, Uow
from sds.runtime.auth import Auth, AuthContext

PREFIX = "/documenten/api/v1"
SOURCE = "urn:nld:sociaal-domein:documenten"
VERTROUWELIJKHEIDAANDUIDINGEN = ("openbaar", "beperkt_openbaar", "intern", "zaakvertrouwelijk", "vertrouwelijk",
                                 "confidentieel", "geheim", "zeer_geheim")

_UUID = r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"


@dataclass(frozen=True)
class Ctx:
    """Who acts, through which request: URLs are built from it and the audittrail names the client."""

    request: Request
    auth: AuthContext
    uow: UnitOfWork

    @property
    def session(self) -> AsyncSession:
        return self.uow.session

    @property
    def settings(self) -> Any:
        return self.request.app.state.settings

    @cached_property
    def base(self) -> str:
        return f"{self.settings.public_base_url.rstrip('/')}{PREFIX}/"

    def url(self, collection: str, resource_uuid: str) -> str:
        return f"{self.base}{collection}/{resource_uuid}"

    def uuid_from_url(self, url: str, collection: str) -> str | None:
        """The uuid in one of this API's resource URLs, or None for any other URL."""
        match = re.fullmatch(re.escape(f"{self.base}{collection}/") + _UUID, url.strip())
        return str(uuid.UUID(match.group(1))) if match else None

    async def record(self, event_type: str, data: dict[str, Any], *, subject: str, dataref: str) -> None:
        await self.uow.record(make_event(event_type, data, source=SOURCE, subject=subject, dataref=dataref))


async def context(request: Request, auth: Auth, uow: Uow) -> Ctx:
    return Ctx(request=request, auth=auth, uow=uow)


Context = Annotated[Ctx, Depends(context)]
