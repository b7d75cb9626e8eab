"""Who acts, through which request, and what every module of the Zaken API builds on that: URLs, the
zaken a client may see, dates as stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from fastapi import Request
from sqlalchemy import (
    ColumnElement,
)
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.app import UnitOfWork
from sds.runtime.auth import AuthContext
from services.zaken.common import (
    CATALOGI_PREFIX,
    ZAKEN_PREFIX,
    base_url,
)
from services.zaken.zaken import authz


@dataclass(frozen=True)
class Ctx:
    """Who acts, through which request: URLs are built from it and the audittrail names the client."""

    request: Request
    auth: AuthContext
    uow: UnitOfWork

    @property
    def session(self) -> AsyncSession:
        return self.uow.session

    @cached_property
    def zaken_base(self) -> str:
        """``{public base}/zaken/api/v1/``, built once per request: a page of 100 zaken has about a
        thousand URLs."""
        return f"{base_url(self.request)}{ZAKEN_PREFIX}/"

    @cached_property
    def catalogi_base(self) -> str:
        return f"{base_url(self.request)}{CATALOGI_PREFIX}/"

    def url(self, collection: str, resource_uuid: str) -> str:
        return f"{self.zaken_base}{collection}/{resource_uuid}"

    def type_url(self, collection: str, resource_uuid: str) -> str:
        return f"{self.catalogi_base}{collection}/{resource_uuid}"


def aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def visible_zaak(ctx: Ctx, scope: str = "zaken.lezen") -> ColumnElement[bool]:
    """For lists of things under a zaak: only those of zaken the client may see (joined on ``zaken``)."""
    return authz.visible_clause(ctx.request, ctx.auth, scope)
