"""The audittrail of a zaak (ZGW ``AuditTrail``): every change, by whom, with the old and new values."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert

from services.zaken.common import ZAKEN_PREFIX, resource_url
from services.zaken.zaken.models import audittrail

if TYPE_CHECKING:
    from services.zaken.zaken.service import Ctx

_ACTIES = {"create": "Object aangemaakt", "update": "Object bijgewerkt", "partial_update": "Object deels bijgewerkt",
           "destroy": "Object verwijderd"}
_STATUS = {"create": 201, "update": 200, "partial_update": 200, "destroy": 204}


def entry(ctx: Ctx, *, bron: str, hoofd_object: str, actie: str, resource: str, resource_url: str, weergave: str,
          oud: dict[str, Any] | None, nieuw: dict[str, Any] | None) -> tuple[str, datetime, dict[str, Any]]:
    """One ZGW ``AuditTrail`` entry (uuid, time, body) of component ``bron`` for the main object ``hoofd_object``;
    the Zaken API and the Besluiten API each keep theirs in their own table."""
    now = datetime.now(UTC)
    toelichting = ctx.request.headers.get("x-audit-toelichting", "")[:1000] if ctx.request is not None else ""
    new_uuid = str(uuid.uuid4())
    return new_uuid, now, {
        "uuid": new_uuid, "bron": bron, "applicatieId": ctx.auth.client_id[:100],
        "applicatieWeergave": ctx.auth.client_id[:200], "gebruikersId": ctx.auth.user_id[:255],
        "gebruikersWeergave": ctx.auth.user_representation[:255], "actie": actie,
        "actieWeergave": _ACTIES.get(actie, actie), "resultaat": _STATUS.get(actie, 200),
        "hoofdObject": hoofd_object, "resource": resource, "resourceUrl": resource_url,
        "toelichting": toelichting, "resourceWeergave": weergave[:200], "aanmaakdatum": now.isoformat(),
        "wijzigingen": {"oud": oud, "nieuw": nieuw}}


async def record(ctx: Ctx, *, zaak_uuid: str, actie: str, resource: str, resource_url: str, weergave: str,
                 oud: dict[str, Any] | None, nieuw: dict[str, Any] | None) -> None:
    new_uuid, now, gegevens = entry(ctx, bron="zrc", hoofd_object=_zaak_url(ctx, zaak_uuid), actie=actie,
                                    resource=resource, resource_url=resource_url, weergave=weergave, oud=oud,
                                    nieuw=nieuw)
    await ctx.session.execute(insert(audittrail).values(uuid=new_uuid, zaak_uuid=zaak_uuid, aanmaakdatum=now,
                                                        gegevens=gegevens))


def _zaak_url(ctx: Ctx, zaak_uuid: str) -> str:
    return resource_url(ctx.request, ZAKEN_PREFIX, "zaken", zaak_uuid)
