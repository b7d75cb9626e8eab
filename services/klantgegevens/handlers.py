"""Event handlers: lawful reasons (grondslagen) from intake and zaken, and the eigen-dossier read model.

Each runs inside the consumer's transaction, with the runtime's inbox in front, so a redelivered event has no
second effect. A handler that needs a row an earlier event makes (a status for a zaak not seen yet) raises, and
the runtime redelivers the event after a delay.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import CloudEvent, subject_for
from contracts.events import financien as fin
from contracts.events import intake as ink
from contracts.events import parse_data
from contracts.events import zaken as zk
from services.klantgegevens.domain import SIGNAAL_KOLOM
from services.klantgegevens.models import (
    dossier_aanvragen,
    dossier_plannen,
    dossier_toewijzingen,
    dossier_zaken,
    grondslagen,
)

AANVRAAG_INGEDIEND = "nl.sociaal-domein.intake.aanvraag-ingediend"
AANVRAAG_GETRIEERD = "nl.sociaal-domein.intake.aanvraag-getrieerd"
AANVRAAG_AFGEROND = "nl.sociaal-domein.intake.aanvraag-afgerond"
SIGNAAL_ONTVANGEN = "nl.sociaal-domein.intake.signaal-ontvangen"
ZAAK_GEOPEND = "nl.overheid.zaken.zaak-geopend"
STATUS_GEZET = "nl.overheid.zaken.status-gezet"
ZAAK_AFGESLOTEN = "nl.overheid.zaken.zaak-afgesloten"
ZAAK_GEMUTEERD = "nl.overheid.zaken.zaak-gemuteerd"
PLAN_GEWIJZIGD = "nl.sociaal-domein.zaken.plan-gewijzigd"
REGISSEUR_GEWIJZIGD = "nl.sociaal-domein.zaken.regisseur-gewijzigd"
TOEWIJZING_AFGEGEVEN = "nl.sociaal-domein.financien.toewijzing-afgegeven"

TOEGANG_TYPES = (AANVRAAG_INGEDIEND, AANVRAAG_GETRIEERD, AANVRAAG_AFGEROND, SIGNAAL_ONTVANGEN, ZAAK_GEOPEND,
                 ZAAK_AFGESLOTEN, ZAAK_GEMUTEERD)
DOSSIER_TYPES = (AANVRAAG_INGEDIEND, AANVRAAG_GETRIEERD, AANVRAAG_AFGEROND, ZAAK_GEOPEND, STATUS_GEZET,
                 ZAAK_AFGESLOTEN, ZAAK_GEMUTEERD, PLAN_GEWIJZIGD, REGISSEUR_GEWIJZIGD, TOEWIJZING_AFGEGEVEN)
TOEGANG_SUBJECTS = [subject_for(t) for t in TOEGANG_TYPES]
DOSSIER_SUBJECTS = [subject_for(t) for t in DOSSIER_TYPES]

_HUISHOUDEN = re.compile(r"/klantgegevens/api/v1/huishoudens/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                         r"[0-9a-f]{12})$")


class NogNietBekend(LookupError):
    """The event refers to something an earlier event creates; redelivery will find it."""


def huishouden_uuid(url: str | None) -> str | None:
    """The id of one of this service's households from its URL; None for anything else."""
    match = _HUISHOUDEN.search(url or "")
    return match.group(1) if match else None


async def _upsert(session: AsyncSession, table: Table, values: dict[str, Any], keys: list[str],
                  update_cols: list[str]) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(table).values(**values)
    if update_cols:
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_={c: stmt.excluded[c] for c in update_cols})
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    await session.execute(stmt)


# --- lawful reasons --------------------------------------------------------------------------------------

async def _grondslag(session: AsyncSession, *, huishouden: str, bron: str, soort: str, kolom: str,
                     cluster: str | None, begin: datetime) -> None:
    values = {"huishouden_uuid": huishouden, "bron": bron, "soort": soort, "kolom": kolom, "cluster": cluster,
              "begin": begin, "eind": None}
    # A later event may name the cluster (triage) of a reason an earlier one opened per kolom only.
    await _upsert(session, grondslagen, values, ["bron", "kolom"], ["cluster"] if cluster else [])


async def _beeindig(session: AsyncSession, bron: str, when: datetime) -> None:
    await session.execute(update(grondslagen).where(grondslagen.c.bron == bron, grondslagen.c.eind.is_(None))
                          .values(eind=when))


async def toegang(session: AsyncSession, event: CloudEvent) -> None:
    data = parse_data(event)
    if isinstance(data, ink.AanvraagIngediend):
        if (h := huishouden_uuid(data.huishouden)) is not None:
            for kolom in data.kolommen:
                await _grondslag(session, huishouden=h, bron=data.aanvraag, soort="aanvraag", kolom=kolom,
                                 cluster=None, begin=event.time)
    elif isinstance(data, ink.AanvraagGetrieerd):
        if (h := huishouden_uuid(data.huishouden)) is not None:
            delen: list[ink.TeOpenenZaak | ink.Delegatie] = [*data.zaken, *data.delegaties]
            for deel in delen:
                for kolom in deel.kolommen:
                    await _grondslag(session, huishouden=h, bron=data.aanvraag, soort="aanvraag", kolom=kolom,
                                     cluster=deel.cluster, begin=event.time)
    elif isinstance(data, ink.AanvraagAfgerond):
        await _beeindig(session, data.aanvraag, event.time)
    elif isinstance(data, ink.SignaalOntvangen):
        h = huishouden_uuid(data.huishouden)
        signaal_kolom = SIGNAAL_KOLOM.get(data.signaalsoort)
        if h is not None and signaal_kolom is not None:
            await _grondslag(session, huishouden=h, bron=data.signaal, soort="signaal", kolom=signaal_kolom,
                             cluster=None,
                             begin=event.time)
    elif isinstance(data, zk.ZaakGeopend):
        if (h := huishouden_uuid(data.huishouden)) is not None:
            for kolom in data.kolommen:
                await _grondslag(session, huishouden=h, bron=data.zaak, soort="zaak", kolom=kolom,
                                 cluster=data.cluster, begin=event.time)
    elif isinstance(data, zk.ZaakAfgesloten):
        await _beeindig(session, data.zaak, event.time)
    elif isinstance(data, zk.ZaakGemuteerd) and data.actie == "verwijderd":
        # A deleted zaak is no reason any more: it was registered in error.
        await _beeindig(session, data.zaak, event.time)


# --- the eigen-dossier read model --------------------------------------------------------------------------

async def _updated(session: AsyncSession, stmt: Any) -> int:
    return int((await session.execute(stmt)).rowcount)  # type: ignore[attr-defined]


async def dossier(session: AsyncSession, event: CloudEvent) -> None:
    data = parse_data(event)
    handler = _DOSSIER.get(type(data))
    if handler is not None:
        await handler(session, data)


async def _aanvraag_ingediend(session: AsyncSession, d: Any) -> None:
    if (h := huishouden_uuid(d.huishouden)) is not None:
        await _upsert(session, dossier_aanvragen, {
            "aanvraag": d.aanvraag, "huishouden_uuid": h, "kolommen": list(d.kolommen), "fase": "ingediend",
            "registratiedatum": d.registratiedatum}, ["aanvraag"], [])


async def _aanvraag_getrieerd(session: AsyncSession, d: Any) -> None:
    if huishouden_uuid(d.huishouden) is None:
        return
    t = dossier_aanvragen
    n = await _updated(session, update(t).where(t.c.aanvraag == d.aanvraag, t.c.fase == "ingediend")
                       .values(fase="getrieerd"))
    if n == 0 and not await _exists(session, t, t.c.aanvraag == d.aanvraag):
        raise NogNietBekend("aanvraag not in the dossier yet")


async def _aanvraag_afgerond(session: AsyncSession, d: Any) -> None:
    if (h := huishouden_uuid(d.huishouden)) is not None:
        await _upsert(session, dossier_aanvragen, {
            "aanvraag": d.aanvraag, "huishouden_uuid": h, "kolommen": list(d.kolommen), "fase": "afgerond",
            "uitkomst": d.uitkomst, "registratiedatum": d.registratiedatum, "einddatum": d.einddatum},
            ["aanvraag"], ["fase", "uitkomst", "einddatum"])


async def _zaak_geopend(session: AsyncSession, d: Any) -> None:
    if (h := huishouden_uuid(d.huishouden)) is not None:
        await _upsert(session, dossier_zaken, {
            "zaak": d.zaak, "huishouden_uuid": h, "zaaktype": d.zaaktype, "kolommen": list(d.kolommen),
            "cluster": d.cluster, "integraal": d.integraal, "startdatum": d.startdatum, "is_eindstatus": False},
            ["zaak"], [])


async def _status_gezet(session: AsyncSession, d: Any) -> None:
    t = dossier_zaken
    if not await _exists(session, t, t.c.zaak == d.zaak):
        raise NogNietBekend("zaak not in the dossier yet")
    # Only a newer status replaces the one shown: a redelivered older event must not turn the clock back.
    await session.execute(update(t).where(t.c.zaak == d.zaak, (t.c.datum_status_gezet.is_(None))
                                          | (t.c.datum_status_gezet <= d.datum_status_gezet))
                          .values(status=d.status, statustype=d.statustype, datum_status_gezet=d.datum_status_gezet,
                                  is_eindstatus=d.is_eindstatus))


async def _zaak_afgesloten(session: AsyncSession, d: Any) -> None:
    t = dossier_zaken
    if await _updated(session, update(t).where(t.c.zaak == d.zaak).values(einddatum=d.einddatum)) == 0:
        raise NogNietBekend("zaak not in the dossier yet")


async def _zaak_gemuteerd(session: AsyncSession, d: Any) -> None:
    if d.actie == "verwijderd":
        await session.execute(delete(dossier_zaken).where(dossier_zaken.c.zaak == d.zaak))


async def _plan_gewijzigd(session: AsyncSession, d: Any) -> None:
    if (h := huishouden_uuid(d.huishouden)) is not None:
        await _upsert(session, dossier_plannen, {
            "plan": d.plan, "huishouden_uuid": h, "wijziging": d.wijziging, "zaken": list(d.zaken),
            "regisseur": d.regisseur}, ["plan"], ["wijziging", "zaken", "regisseur"])


async def _regisseur_gewijzigd(session: AsyncSession, d: Any) -> None:
    h = huishouden_uuid(d.huishouden)
    if h is not None and d.plan is not None:
        await _upsert(session, dossier_plannen, {
            "plan": d.plan, "huishouden_uuid": h, "wijziging": "aangemaakt", "zaken": [d.zaak],
            "regisseur": d.regisseur}, ["plan"], ["regisseur"])


async def _toewijzing_afgegeven(session: AsyncSession, d: Any) -> None:
    if (h := huishouden_uuid(d.huishouden)) is not None:
        await _upsert(session, dossier_toewijzingen, {
            "toewijzing": d.toewijzing, "huishouden_uuid": h, "zaak": d.zaak, "kolom": d.kolom,
            "aanbieder": d.aanbieder, "product": d.product.model_dump(mode="json", by_alias=True),
            "omvang": d.omvang.model_dump(mode="json", by_alias=True), "begindatum": d.begindatum,
            "einddatum": d.einddatum}, ["toewijzing"], [])


async def _exists(session: AsyncSession, table: Table, where: Any) -> bool:
    return (await session.execute(select(table.c.id).where(where).limit(1))).first() is not None


_DOSSIER: dict[type, Callable[[AsyncSession, Any], Awaitable[None]]] = {
    ink.AanvraagIngediend: _aanvraag_ingediend,
    ink.AanvraagGetrieerd: _aanvraag_getrieerd,
    ink.AanvraagAfgerond: _aanvraag_afgerond,
    zk.ZaakGeopend: _zaak_geopend,
    zk.StatusGezet: _status_gezet,
    zk.ZaakAfgesloten: _zaak_afgesloten,
    zk.ZaakGemuteerd: _zaak_gemuteerd,
    zk.PlanGewijzigd: _plan_gewijzigd,
    zk.RegisseurGewijzigd: _regisseur_gewijzigd,
    fin.ToewijzingAfgegeven: _toewijzing_afgegeven,
}
