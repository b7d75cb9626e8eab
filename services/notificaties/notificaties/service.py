"""Notificaties in, deliveries out: one notificatie stored, a levering per abonnement that may have it.

``publiceer`` is the one way in, for the bridge from the bus (a batch of events in the consumer's transaction,
with its inbox rows) and for ``POST /notificaties`` of a publisher outside the suite: each notificatie is stored
and fanned out into ``leveringen`` in the caller's transaction, so a notificatie is never stored without its
deliveries nor delivered without being stored. The delivery worker (``delivery``) works from ``leveringen``.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.auth import AuthContext
from sds.runtime.bsn import is_valid_bsn
from sds.runtime.errors import NotFound, ValidatieFout
from sds.runtime.pagination import PageParams, paginate
from services.notificaties.abonnementen.domain import Abonnee, Bereik, Verdeling
from services.notificaties.context import Notificaties
from services.notificaties.kanalen.service import filters_by_naam
from services.notificaties.models import abonnementen, leveringen, notificaties
from services.notificaties.schemas import Bericht

WACHTEND, AFGELEVERD, MISLUKT = "wachtend", "afgeleverd", "mislukt"
# Kenmerken that hold an RSIN (the same 11-proef as a BSN): the only place nine such digits belong.
_RSIN_KENMERKEN = frozenset({"bronorganisatie", "verantwoordelijkeOrganisatie"})


@dataclass(frozen=True)
class Nieuw:
    kanaal: str
    bericht: dict[str, Any]
    bereik: Bereik
    bron: str | None = None  # the event id, for one from the bus


# The last Verdeling made and the rows it was made from: the rows are read in every fan-out's transaction (so a
# new or changed abonnement counts from its commit on), the Verdeling is only made again when they changed.
_laatste: tuple[list[Any], Verdeling] | None = None


async def verdeling(session: AsyncSession) -> Verdeling:
    global _laatste
    rows = [tuple(r) for r in (await session.execute(
        select(abonnementen.c.id, abonnementen.c.kanalen, abonnementen.c.autorisatie)
        .order_by(abonnementen.c.id))).all()]
    if _laatste is None or _laatste[0] != rows:
        made = Verdeling([Abonnee(id=i, kanalen=kanalen, autorisatie=AuthContext.model_validate(autorisatie))
                          for i, kanalen, autorisatie in rows])
        _laatste = (rows, made)
    return _laatste[1]


async def publiceer(session: AsyncSession, nieuw: Sequence[Nieuw]) -> int:
    """Store the notificaties and their leveringen; returns the number of leveringen made."""
    if not nieuw:
        return 0
    now = datetime.now(UTC)
    rows = [{"uuid": str(uuidlib.uuid4()), "kanaal": n.kanaal, "bericht": n.bericht, "bereik": n.bereik.as_json(),
             "bron": n.bron, "ontvangen": now} for n in nieuw]
    ids = (await session.execute(insert(notificaties).returning(notificaties.c.id, sort_by_parameter_order=True),
                                 rows)).scalars().all()
    wie = await verdeling(session)
    deliveries = []
    for notificatie_id, n in zip(ids, nieuw, strict=True):
        for abonnement_id in wie.recipients(n.kanaal, n.bericht["kenmerken"], n.bereik):
            deliveries.append({"uuid": str(uuidlib.uuid4()), "abonnement_id": abonnement_id,
                               "notificatie_id": notificatie_id, "hoofd_object": n.bericht["hoofdObject"],
                               "status": WACHTEND, "pogingen": 0, "volgende_poging": now})
    if deliveries:
        await session.execute(insert(leveringen), deliveries)
    return len(deliveries)


async def ontvang(session: AsyncSession, body: Bericht) -> dict[str, Any]:
    """``POST /notificaties``: a publisher outside the suite; checked as Open Notificaties checks it."""
    known = await filters_by_naam(session, {body.kanaal})
    if body.kanaal not in known:
        raise ValidatieFout.single("kanaal", "message_kanaal", "Kanaal met deze naam bestaat niet.")
    unknown = sorted(set(body.kenmerken) - set(known[body.kanaal]))
    if unknown and known[body.kanaal]:
        raise ValidatieFout.single("kenmerken", "kenmerken_inconsistent",
                                   f"Het kanaal {body.kanaal} kent de kenmerken {', '.join(unknown)} niet.")
    for key, value in body.kenmerken.items():
        if key not in _RSIN_KENMERKEN and is_valid_bsn(value.strip()):
            raise ValidatieFout.single(f"kenmerken.{key}", "invalid",
                                       "Een notificatie draagt geen BSN; noem de resource, niet de persoon.")
    bericht = body.model_dump(mode="json", by_alias=True)
    bericht["aanmaakdatum"] = body.aanmaakdatum.isoformat().replace("+00:00", "Z")
    await publiceer(session, [Nieuw(kanaal=body.kanaal, bericht=bericht, bereik=Bereik())])
    return bericht


# -- leveringen: the suite's view of delivery, dead letters and redelivery ---------------------------------------

def _levering_select() -> Any:
    return (select(leveringen, abonnementen.c.uuid.label("abonnement_uuid"), abonnementen.c.client_id,
                   notificaties.c.bericht)
            .join(abonnementen, abonnementen.c.id == leveringen.c.abonnement_id)
            .join(notificaties, notificaties.c.id == leveringen.c.notificatie_id))


def serialize_levering(nrc: Notificaties, row: Any) -> dict[str, Any]:
    return {"url": nrc.url("leveringen", row.uuid), "abonnement": nrc.url("abonnement", row.abonnement_uuid),
            "notificatie": row.bericht, "status": row.status, "pogingen": row.pogingen,
            "volgendePoging": row.volgende_poging if row.status == WACHTEND else None,
            "laatsteFout": row.laatste_fout, "afgeleverd": row.afgeleverd}


async def lijst_leveringen(nrc: Notificaties, session: AsyncSession, auth: AuthContext, request: Any,
                           pagination: PageParams, *, status: str | None,
                           abonnement_uuid: str | None) -> dict[str, Any]:
    stmt = _levering_select().order_by(leveringen.c.id)
    if not auth.heeft_alle_autorisaties:
        stmt = stmt.where(abonnementen.c.client_id == auth.client_id)
    if status is not None:
        stmt = stmt.where(leveringen.c.status == status)
    if abonnement_uuid is not None:
        stmt = stmt.where(abonnementen.c.uuid == abonnement_uuid)
    return await paginate(session, stmt, pagination, request, lambda row: serialize_levering(nrc, row))


async def _levering(session: AsyncSession, auth: AuthContext, uuid: str) -> Any:
    stmt = _levering_select().where(leveringen.c.uuid == uuid)
    if not auth.heeft_alle_autorisaties:
        stmt = stmt.where(abonnementen.c.client_id == auth.client_id)
    row = (await session.execute(stmt)).first()
    if row is None:
        raise NotFound()
    return row


async def lees_levering(nrc: Notificaties, session: AsyncSession, auth: AuthContext, uuid: str) -> dict[str, Any]:
    return serialize_levering(nrc, await _levering(session, auth, uuid))


async def opnieuw(nrc: Notificaties, session: AsyncSession, auth: AuthContext, uuid: str) -> dict[str, Any]:
    """A dead-lettered delivery goes back in the queue: tried at once, with the whole retry schedule again."""
    row = await _levering(session, auth, uuid)
    if row.status != MISLUKT:
        raise ValidatieFout.single("status", "invalid",
                                   f"Alleen een mislukte levering wordt opnieuw verstuurd; deze is {row.status}.")
    await session.execute(update(leveringen).where(leveringen.c.id == row.id).values(
        status=WACHTEND, pogingen=0, volgende_poging=datetime.now(UTC)))
    return await lees_levering(nrc, session, auth, uuid)
