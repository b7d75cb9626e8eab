"""Intake follows the zaken opened for its aanvragen through zaken' events: an aanvraag goes in behandeling when
its zaken open, its termijnen are met by a status and a decision, and it is finished when its zaken close. The
same events tell triage which households have an open zaak in which kolom (the escalation rule)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import CloudEvent, subject_for
from contracts.events import parse_data
from contracts.events.zaken import ResultaatVastgesteld, StatusGezet, ZaakAfgesloten, ZaakGeopend
from services.intake.aanvragen import service
from services.intake.context import Intake
from services.intake.models import aanvragen, termijnen, zaken

GEOPEND = "nl.overheid.zaken.zaak-geopend"
STATUS = "nl.overheid.zaken.status-gezet"
RESULTAAT = "nl.overheid.zaken.resultaat-vastgesteld"
AFGESLOTEN = "nl.overheid.zaken.zaak-afgesloten"
SUBJECTS = [subject_for(t) for t in (GEOPEND, STATUS, RESULTAAT, AFGESLOTEN)]


def make_handler(intake: Intake) -> Any:
    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        data = parse_data(event)
        if isinstance(data, ZaakGeopend):
            await _geopend(intake, session, data)
        elif isinstance(data, StatusGezet):
            await _termijn(session, data.zaak, "onderzoek", data.datum_status_gezet.date())
        elif isinstance(data, ResultaatVastgesteld):
            await session.execute(update(zaken).where(zaken.c.zaak == data.zaak).values(resultaat=data.uitkomst))
            await _termijn(session, data.zaak, "onderzoek", event.time.date())
            await _termijn(session, data.zaak, "beslissing", event.time.date())
        elif isinstance(data, ZaakAfgesloten):
            await session.execute(update(zaken).where(zaken.c.zaak == data.zaak).values(open=False))
            aanvraag_id = (await session.execute(select(zaken.c.aanvraag_id).where(
                zaken.c.zaak == data.zaak))).scalar()
            if aanvraag_id is not None:
                await service.misschien_afgerond(intake, session, aanvraag_id)

    return handle


async def _geopend(intake: Intake, session: AsyncSession, data: ZaakGeopend) -> None:
    aanvraag: Any = None
    if data.aanvraag and data.aanvraag.startswith(intake.url("aanvragen", "")):
        aanvraag_uuid = data.aanvraag.rstrip("/").rsplit("/", 1)[-1].lower()
        aanvraag = (await session.execute(select(aanvragen.c.id, aanvragen.c.status).where(
            aanvragen.c.uuid == aanvraag_uuid))).first()
    known = (await session.execute(select(zaken.c.id).where(zaken.c.zaak == data.zaak))).first()
    if known is None:
        await session.execute(insert(zaken).values(
            zaak=data.zaak, aanvraag_id=aanvraag.id if aanvraag else None, huishouden=data.huishouden,
            kolommen=list(data.kolommen), open=True, status_gezet=False, resultaat=None))
    if aanvraag is not None:
        # Conditional in the statement itself: a withdrawal committed since the read above must not be undone.
        moved = (await session.execute(update(aanvragen).where(
            aanvragen.c.id == aanvraag.id, aanvragen.c.status.in_(("getrieerd", "doorgezet"))).values(
            status="in_behandeling"))).rowcount  # type: ignore[attr-defined]
        if moved == 1:
            await service.schrijf_historie(session, aanvraag.id, "in_behandeling",
                                           f"Zaak geopend voor {', '.join(data.kolommen)}.", "zaken",
                                           list(data.kolommen))


async def _termijn(session: AsyncSession, zaak: str, soort: str, datum: Any) -> None:
    row = (await session.execute(select(zaken.c.aanvraag_id, zaken.c.kolommen).where(zaken.c.zaak == zaak))).first()
    if row is None or row.aanvraag_id is None:
        return
    await session.execute(update(zaken).where(zaken.c.zaak == zaak).values(status_gezet=True))
    await session.execute(update(termijnen).where(
        termijnen.c.aanvraag_id == row.aanvraag_id, termijnen.c.kolom.in_(row.kolommen), termijnen.c.soort == soort,
        termijnen.c.gehaald_op.is_(None)).values(gehaald_op=datum or datetime.now(UTC).date()))
