"""Zaken opens the zaken that intake's triage decided: one consumer of ``aanvraag-getrieerd``.

Exactly once per decision: the runtime's inbox skips a redelivered event, and each zaak also carries the
decision it came from (event id and position) under a unique key, so even a decision handled twice by
some other path opens its zaken once.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import CloudEvent
from contracts.events import parse_data
from contracts.events.intake import AanvraagGetrieerd
from sds.runtime.auth import AuthContext
from sds.runtime.errors import ValidatieFout
from sds.runtime.outbox import record_event
from sds.runtime.settings import ServiceSettings
from services.zaken.catalogi.models import catalogussen, roltypen, zaaktypen
from services.zaken.common import CATALOGI_PREFIX, INTEGRAAL, uuid_from_url
from services.zaken.plannen.models import plan_zaken, plannen
from services.zaken.plannen.schemas import EscalatieIn
from services.zaken.plannen.service import _plan_event, escalate
from services.zaken.zaken import service, subresources
from services.zaken.zaken.context import Ctx
from services.zaken.zaken.models import zaken
from services.zaken.zaken.schemas import BetrokkeneIdentificatie, RolIn, ZaakIn

SUBJECT = "sds.intake.aanvraag.getrieerd"
# The service acting on its own behalf: named so in the audittrail of every zaak it opens.
SYSTEM = AuthContext(client_id="zaken-triage", user_representation="triage (intake)", heeft_alle_autorisaties=True)


class _EventUnitOfWork:
    """The consumer's transaction, seen as the unit of work the use cases write to (events to the same outbox)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, event: CloudEvent) -> None:
        await record_event(self.session, event)


def _origin(settings: ServiceSettings) -> Any:
    """What the use cases read from a request (the public base URL, headers) for work an event started."""
    return SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(settings=settings)), headers={})


def make_handler(settings: ServiceSettings) -> Any:
    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        await open_triaged_zaken(session, event, settings)

    return handle


async def open_triaged_zaken(session: AsyncSession, event: CloudEvent, settings: ServiceSettings) -> list[str]:
    decision = parse_data(event)
    assert isinstance(decision, AanvraagGetrieerd)
    ctx = Ctx(request=_origin(settings), auth=SYSTEM, uow=_EventUnitOfWork(session))  # type: ignore[arg-type]
    opened = []
    for position, te_openen in enumerate(decision.zaken):
        key = f"{event.id}:{position}"
        existing = (await session.execute(select(zaken.c.uuid).where(zaken.c.bron_sleutel == key))).scalar()
        if existing is not None:
            opened.append(existing)
            continue
        found = uuid_from_url(ctx.request, te_openen.zaaktype, CATALOGI_PREFIX, "zaaktypen")
        rsin = None
        if found:
            rsin = (await session.execute(select(catalogussen.c.rsin).join(
                zaaktypen, zaaktypen.c.catalogus_id == catalogussen.c.id).where(zaaktypen.c.uuid == found))).scalar()
        if rsin is None:
            # Not transient: retrying will not make the zaaktype exist, so the message ends in the dead letters.
            raise ValidatieFout.single("zaaktype", "bad-url",
                                       f"triage noemt een onbekend zaaktype {te_openen.zaaktype}")
        body = ZaakIn(bronorganisatie=rsin, verantwoordelijke_organisatie=rsin, zaaktype=te_openen.zaaktype,
                      startdatum=event.time.astimezone(UTC).date(), huishouden=decision.huishouden,
                      aanvraag=decision.aanvraag, omschrijving="Geopend na triage")
        zaak_uuid = await service.create_zaak(ctx, body, service.Herkomst(
            bron_sleutel=key, cluster=te_openen.cluster, kolommen=list(te_openen.kolommen)))
        opened.append(zaak_uuid)
        await _add_behandelaar(session, ctx, zaak_uuid, te_openen.cluster)
        if te_openen.regisseur and decision.regie != "geen" and decision.huishouden:
            await _link_to_plan(session, ctx, decision, te_openen.cluster if decision.regie == "per-cluster" else "",
                                zaak_uuid)
    if decision.integraal and decision.huishouden and opened and not any(z.integraal for z in decision.zaken):
        await _escalate(session, ctx, decision, opened)
    return opened


async def _add_behandelaar(session: AsyncSession, ctx: Ctx, zaak_uuid: str, cluster: str) -> None:
    """The team of the cluster triage chose handles the zaak: a behandelaar rol (organisatorische eenheid), where
    ZGW clients look for who works on a zaak. A medewerker is named later (the regisseur through the plan)."""
    # One statement: the zaak, its zaaktype's first behandelaar roltype (if any) and the zaaktype's uuid for the event.
    zaak = (await session.execute(
        select(zaken, roltypen.c.id.label("behandelaar_id"), roltypen.c.uuid.label("behandelaar_uuid"),
               roltypen.c.omschrijving.label("behandelaar_omschrijving"), zaaktypen.c.uuid.label("zaaktype_uuid"))
        .join(zaaktypen, zaaktypen.c.id == zaken.c.zaaktype_id)
        .outerjoin(roltypen, and_(roltypen.c.zaaktype_id == zaken.c.zaaktype_id,
                                  roltypen.c.omschrijving_generiek == "behandelaar"))
        .where(zaken.c.uuid == zaak_uuid).order_by(roltypen.c.id).limit(1))).one()
    if zaak.behandelaar_id is None:
        return  # a zaaktype without a behandelaar roltype gets its rollen by hand
    roltype = SimpleNamespace(id=zaak.behandelaar_id, uuid=zaak.behandelaar_uuid,
                              omschrijving=zaak.behandelaar_omschrijving, omschrijving_generiek="behandelaar")
    await subresources.insert_rol(ctx, zaak, roltype, RolIn(
        zaak=ctx.url("zaken", zaak_uuid), roltype=ctx.type_url("roltypen", roltype.uuid),
        betrokkene_type="organisatorische_eenheid", roltoelichting=f"toegang van cluster {cluster}",
        # ZGW's identificatie of an organisatorische eenheid is at most 24 characters; the name is the code.
        betrokkene_identificatie=BetrokkeneIdentificatie(identificatie=cluster[:24], naam=cluster)),
        zaaktype_uuid=zaak.zaaktype_uuid)


async def _escalate(session: AsyncSession, ctx: Ctx, decision: AanvraagGetrieerd, opened: list[str]) -> None:
    """Triage sent the household to the integral team (integraal in tweede instantie): the kolom zaken just opened,
    and the household's other open kolom zaken, become deelzaken of one integral hoofdzaak."""
    others = (await session.execute(select(zaken.c.uuid).where(
        zaken.c.huishouden == decision.huishouden, zaken.c.einddatum.is_(None), zaken.c.hoofdzaak_id.is_(None),
        zaken.c.kolom.notin_([INTEGRAAL]), zaken.c.uuid.notin_(opened)).order_by(zaken.c.id).limit(19))).scalars()
    deelzaken = [ctx.url("zaken", u) for u in [*opened[1:], *others]]
    redenen = [{"code": r.code, **({"kolom": r.kolom} if r.kolom else {})} for r in decision.redenen]
    first = (await session.execute(select(zaken.c.hoofdzaak_id).where(zaken.c.uuid == opened[0]))).scalar()
    if first is None:  # a redelivered decision whose escalation was already done changes nothing
        await escalate(ctx, opened[0], EscalatieIn.model_validate({"redenen": redenen, "deelzaken": deelzaken}))


async def _link_to_plan(session: AsyncSession, ctx: Ctx, decision: AanvraagGetrieerd, cluster: str,
                        zaak_uuid: str) -> None:
    """Regie asked for: the zaak joins the household's open plan, which is made when there is none yet."""
    plan: Any = (await session.execute(select(plannen.c.id, plannen.c.uuid).where(
        plannen.c.huishouden == decision.huishouden, plannen.c.cluster == cluster,
        plannen.c.einddatum.is_(None)))).first()
    wijziging = "bijgesteld"
    if plan is None:
        new_uuid = str(uuid.uuid4())
        try:
            async with session.begin_nested():
                plan_id = (await session.execute(insert(plannen).values(
                    uuid=new_uuid, huishouden=decision.huishouden, cluster=cluster,
                    startdatum=datetime.now(UTC).date(), einddatum=None, gegevens={"toelichting": ""})
                    .returning(plannen.c.id))).scalar_one()
        except IntegrityError:
            raise RuntimeError("another decision made this household's plan at the same time; retry") from None
        plan = SimpleNamespace(id=plan_id, uuid=new_uuid)
        wijziging = "aangemaakt"
    zaak_id = (await session.execute(select(zaken.c.id).where(zaken.c.uuid == zaak_uuid))).scalar_one()
    await session.execute(insert(plan_zaken).values(plan_id=plan.id, zaak_id=zaak_id))
    await _plan_event(ctx, plan.uuid, wijziging)
