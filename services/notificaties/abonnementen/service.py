"""Abonnementen: who subscribes to what, checked the way the standard checks them.

A create or change is refused with 400 when a kanaal does not exist (``kanaal_naam``), when a filter names a
kenmerk its kanaal does not carry (``inconsistent-abonnement-filters``, Open Notificaties' codes), and when the
callbackUrl does not answer a test notificatie with 2xx (``invalid-callback-url``). An abonnement belongs to the
applicatie that made it: another applicatie does not see it (404), unless it has all rights.
"""

from __future__ import annotations

import uuid as uuidlib
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.auth import AuthContext
from sds.runtime.errors import NotFound, ValidatieFout
from services.notificaties.context import Notificaties
from services.notificaties.kanalen.service import filters_by_naam
from services.notificaties.models import abonnementen, leveringen
from services.notificaties.schemas import AbonnementIn, AbonnementPatch, FilterGroup

# The body the standard's check posts (Open Notificaties' CallbackURLValidator sends the same).
TEST_NOTIFICATIE = {"kanaal": "test", "hoofdObject": "http://some.hoofdobject.nl/", "resource": "some_resource",
                    "resourceUrl": "http://some.resource.nl/", "actie": "create",
                    "aanmaakdatum": "2019-01-01T12:00:00Z", "kenmerken": {}}


def serialize(nrc: Notificaties, row: Any) -> dict[str, Any]:
    return {"url": nrc.url("abonnement", row.uuid), "callbackUrl": row.callback_url,
            "kanalen": [{"naam": g["naam"], "filters": dict(g.get("filters") or {})} for g in row.kanalen]}


async def _check_kanalen(session: AsyncSession, groepen: list[FilterGroup]) -> list[dict[str, Any]]:
    known = await filters_by_naam(session, {g.naam for g in groepen})
    problems = []
    for index, groep in enumerate(groepen):
        if groep.naam not in known:
            problems.append({"name": f"kanalen.{index}.naam", "code": "kanaal_naam",
                             "reason": "Kanaal met deze naam bestaat niet."})
            continue
        unknown = sorted(set(groep.filters) - set(known[groep.naam]))
        if unknown:
            problems.append({"name": f"kanalen.{index}.filters", "code": "inconsistent-abonnement-filters",
                             "reason": f"Het kanaal {groep.naam} kent de kenmerken {', '.join(unknown)} niet; "
                                       f"wel: {', '.join(known[groep.naam]) or '(geen)'}."})
    if problems:
        raise ValidatieFout(problems)
    return [{"naam": g.naam, "filters": dict(g.filters)} for g in groepen]


async def check_callback(nrc: Notificaties, url: str, auth: str) -> None:
    """The standard's check: a test notificatie posted to the callbackUrl must be answered with 2xx."""
    if not nrc.settings.callback_check:
        return
    reden = None
    try:
        answer = await nrc.http.post(url, json=TEST_NOTIFICATIE, headers={"Authorization": auth},
                                     timeout=nrc.settings.callback_timeout)
        if not 200 <= answer.status_code < 300:
            reden = f"antwoordde {answer.status_code}"
    except httpx.HTTPError as exc:
        reden = f"antwoordde niet ({type(exc).__name__})"
    if reden:
        raise ValidatieFout.single("callbackUrl", "invalid-callback-url",
                                   f"De opgegeven callback URL kan geen notificaties ontvangen: een test-notificatie "
                                   f"{reden}, verwacht 2xx.")


async def _row(session: AsyncSession, auth: AuthContext, uuid: str, *, lock: bool = False) -> Any:
    stmt = select(abonnementen).where(abonnementen.c.uuid == uuid)
    if not auth.heeft_alle_autorisaties:
        stmt = stmt.where(abonnementen.c.client_id == auth.client_id)
    if lock:
        stmt = stmt.with_for_update()
    row = (await session.execute(stmt)).first()
    if row is None:
        raise NotFound()
    return row


async def lijst(nrc: Notificaties, session: AsyncSession, auth: AuthContext) -> list[dict[str, Any]]:
    stmt = select(abonnementen).order_by(abonnementen.c.id)
    if not auth.heeft_alle_autorisaties:
        stmt = stmt.where(abonnementen.c.client_id == auth.client_id)
    return [serialize(nrc, row) for row in (await session.execute(stmt)).all()]


async def lees(nrc: Notificaties, session: AsyncSession, auth: AuthContext, uuid: str) -> dict[str, Any]:
    return serialize(nrc, await _row(session, auth, uuid))


async def maak(nrc: Notificaties, session: AsyncSession, auth: AuthContext, body: AbonnementIn) -> dict[str, Any]:
    groepen = await _check_kanalen(session, body.kanalen)
    await check_callback(nrc, body.callback_url, body.auth)
    new = str(uuidlib.uuid4())
    await session.execute(insert(abonnementen).values(
        uuid=new, callback_url=body.callback_url, auth=body.auth, kanalen=groepen, client_id=auth.client_id,
        autorisatie=auth.model_dump(mode="json"), aangemaakt=datetime.now(UTC)))
    return await lees(nrc, session, auth, new)


async def wijzig(nrc: Notificaties, session: AsyncSession, auth: AuthContext, uuid: str,
                 body: AbonnementIn | AbonnementPatch) -> dict[str, Any]:
    row = await _row(session, auth, uuid, lock=True)
    values: dict[str, Any] = {}
    if auth.client_id == row.client_id:
        # The owner's limits as they are now; another applicatie with all rights changing it leaves them be.
        values["autorisatie"] = auth.model_dump(mode="json")
    if body.kanalen is not None:
        values["kanalen"] = await _check_kanalen(session, body.kanalen)
    callback = body.callback_url or row.callback_url
    secret = body.auth or row.auth
    if callback != row.callback_url or secret != row.auth:
        await check_callback(nrc, callback, secret)
    values.update(callback_url=callback, auth=secret)
    await session.execute(update(abonnementen).where(abonnementen.c.id == row.id).values(**values))
    return await lees(nrc, session, auth, uuid)


async def verwijder(session: AsyncSession, auth: AuthContext, uuid: str) -> None:
    row = await _row(session, auth, uuid, lock=True)
    await session.execute(delete(leveringen).where(leveringen.c.abonnement_id == row.id))
    await session.execute(delete(abonnementen).where(abonnementen.c.id == row.id))
