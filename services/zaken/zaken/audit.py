"""The audittrail of a zaak (ZGW ``AuditTrail``): every change, by whom, with the old and new values."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert

from sds.runtime import audittrail as zgw_audittrail
from services.zaken.common import ZAKEN_PREFIX, resource_url
from services.zaken.zaken.models import audittrail

if TYPE_CHECKING:
    from services.zaken.zaken.service import Ctx


def entry(ctx: Ctx, *, bron: str, hoofd_object: str, actie: str, resource: str, resource_url: str, weergave: str,
          oud: dict[str, Any] | None, nieuw: dict[str, Any] | None) -> tuple[str, datetime, dict[str, Any]]:
    """One ZGW ``AuditTrail`` entry (uuid, time, body) of component ``bron`` for the main object ``hoofd_object``;
    the Zaken API and the Besluiten API each keep theirs in their own table."""
    return zgw_audittrail.entry(ctx.auth, ctx.request, bron=bron, hoofd_object=hoofd_object, actie=actie,
                                resource=resource, resource_url=resource_url, weergave=weergave, oud=oud,
                                nieuw=nieuw)


async def record(ctx: Ctx, *, zaak_uuid: str, actie: str, resource: str, resource_url: str, weergave: str,
                 oud: dict[str, Any] | None, nieuw: dict[str, Any] | None) -> None:
    new_uuid, now, gegevens = entry(ctx, bron="zrc", hoofd_object=_zaak_url(ctx, zaak_uuid), actie=actie,
                                    resource=resource, resource_url=resource_url, weergave=weergave, oud=oud,
                                    nieuw=nieuw)
    await ctx.session.execute(insert(audittrail).values(uuid=new_uuid, zaak_uuid=zaak_uuid, aanmaakdatum=now,
                                                        gegevens=gegevens))


def _zaak_url(ctx: Ctx, zaak_uuid: str) -> str:
    return resource_url(ctx.request, ZAKEN_PREFIX, "zaken", zaak_uuid)
