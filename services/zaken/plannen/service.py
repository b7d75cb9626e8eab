"""Use cases of the household plan (één gezin, één plan, één regisseur) and of escalation to the integral team.

The regisseur is a rol (roltype "Regisseur") on one of the plan's zaken, so ZGW clients see it where they
look for roles; the plan keeps who held it when, because a handover removes the old rol from the zaak.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from sds.runtime.errors import Conflict, NotFound, ValidatieFout
from services.zaken import events
from services.zaken.catalogi.models import catalogussen, roltypen, zaaktypen
from services.zaken.common import CATALOGI_PREFIX, INTEGRAAL, uuid_from_url
from services.zaken.plannen import schemas
from services.zaken.plannen.models import plan_regisseurs, plan_zaken, plannen
from services.zaken.zaken import access, audit, subresources
from services.zaken.zaken import service as zaken_service
from services.zaken.zaken.context import Ctx, visible_zaak
from services.zaken.zaken.models import rollen, zaken
from services.zaken.zaken.schemas import BetrokkeneIdentificatie, RolIn, ZaakIn
from services.zaken.zaken.service import Herkomst

# --- plannen ---------------------------------------------------------------------------------------------------


async def _plan_zaken(ctx: Ctx, urls: list[str], huishouden: str) -> list[Any]:
    rows = []
    for i, url in enumerate(urls):
        zaak = await access.zaak_by_url(ctx, url, f"zaken.{i}")
        if zaak.huishouden != huishouden:
            raise ValidatieFout.single(f"zaken.{i}", "huishouden-mismatch",
                                       "Een plan omvat alleen zaken van zijn eigen huishouden.")
        await access.authorise_write(ctx, zaak, ("zaken.bijwerken",))
        rows.append(zaak)
    return rows


async def create_plan(ctx: Ctx, body: schemas.PlanIn) -> str:
    linked = await _plan_zaken(ctx, body.zaken, body.huishouden)
    new_uuid = str(uuid.uuid4())
    try:
        async with ctx.session.begin_nested():
            plan_id = (await ctx.session.execute(insert(plannen).values(
                uuid=new_uuid, huishouden=body.huishouden, cluster=body.cluster, startdatum=datetime.now(UTC).date(),
                einddatum=None, gegevens={"toelichting": body.toelichting}).returning(plannen.c.id))).scalar_one()
    except IntegrityError:
        raise Conflict("Dit huishouden heeft al een lopend plan" + (f" voor cluster {body.cluster}" if body.cluster
                                                                    else "") + "; één gezin, één plan.",
                       code="plan-bestaat-al") from None
    for zaak in linked:
        await ctx.session.execute(insert(plan_zaken).values(plan_id=plan_id, zaak_id=zaak.id))
    await _plan_event(ctx, new_uuid, "aangemaakt")
    return new_uuid


async def _plan_row(ctx: Ctx, plan_uuid: str, *, lock: bool = False) -> Any:
    stmt = select(plannen).where(plannen.c.uuid == plan_uuid, plan_visible(ctx))
    row = (await ctx.session.execute(stmt.with_for_update(of=plannen) if lock else stmt)).first()
    if row is None:
        raise NotFound()
    return row


def plan_visible(ctx: Ctx) -> Any:
    """A plan is visible to a client that may see at least one of its zaken."""
    if ctx.auth.heeft_alle_autorisaties:
        return plannen.c.id.is_not(None)
    return exists().where(plan_zaken.c.plan_id == plannen.c.id, zaken.c.id == plan_zaken.c.zaak_id,
                          visible_zaak(ctx))


async def update_plan(ctx: Ctx, plan_uuid: str, body: schemas.PlanPatch) -> None:
    plan = await _plan_row(ctx, plan_uuid, lock=True)
    if plan.einddatum is not None:
        raise ValidatieFout.single("einddatum", "plan-afgesloten", "Dit plan is afgesloten.")
    wijziging = "bijgesteld"
    if body.zaken is not None:
        linked = await _plan_zaken(ctx, body.zaken, plan.huishouden)
        from sqlalchemy import delete

        await ctx.session.execute(delete(plan_zaken).where(plan_zaken.c.plan_id == plan.id))
        for zaak in linked:
            await ctx.session.execute(insert(plan_zaken).values(plan_id=plan.id, zaak_id=zaak.id))
    values: dict[str, Any] = {}
    if body.toelichting is not None:
        values["gegevens"] = {**plan.gegevens, "toelichting": body.toelichting}
    if body.einddatum is not None:
        if body.einddatum < plan.startdatum:
            raise ValidatieFout.single("einddatum", "date-mismatch", "De einddatum ligt voor de startdatum.")
        values["einddatum"] = body.einddatum
        wijziging = "afgesloten"
        # A closed plan has no regisseur any more; the rol on the zaak stays as the record of who directed it.
        await ctx.session.execute(update(plan_regisseurs).where(plan_regisseurs.c.plan_id == plan.id,
                                                                plan_regisseurs.c.tot.is_(None))
                                  .values(tot=datetime.now(UTC)))
    if values:
        await ctx.session.execute(update(plannen).where(plannen.c.id == plan.id).values(**values))
    await _plan_event(ctx, plan_uuid, wijziging)


async def read_plan(ctx: Ctx, plan_uuid: str) -> dict[str, Any]:
    plan = await _plan_row(ctx, plan_uuid)
    return (await serialize_plannen(ctx, [plan]))[0]


def plan_list_query(ctx: Ctx, huishouden: str | None, open_: bool | None) -> Any:
    stmt = select(plannen).where(plan_visible(ctx)).order_by(plannen.c.id)
    if huishouden is not None:
        stmt = stmt.where(plannen.c.huishouden == huishouden)
    if open_ is not None:
        stmt = stmt.where(plannen.c.einddatum.is_(None) if open_ else plannen.c.einddatum.is_not(None))
    return stmt


async def serialize_plannen(ctx: Ctx, rows: list[Any]) -> list[dict[str, Any]]:
    ids = [r.id for r in rows]
    linked: dict[int, list[str]] = {i: [] for i in ids}
    regisseur: dict[int, Any] = {}
    if ids:
        for row in (await ctx.session.execute(
                select(plan_zaken.c.plan_id, zaken.c.uuid).join(zaken, zaken.c.id == plan_zaken.c.zaak_id)
                .where(plan_zaken.c.plan_id.in_(ids), visible_zaak(ctx)).order_by(zaken.c.id))).all():
            linked[row.plan_id].append(row.uuid)
        for row in (await ctx.session.execute(select(plan_regisseurs).where(
                plan_regisseurs.c.plan_id.in_(ids), plan_regisseurs.c.tot.is_(None)))).all():
            regisseur[row.plan_id] = row
    return [{
        "url": ctx.url("plannen", r.uuid), "uuid": r.uuid, "huishouden": r.huishouden, "cluster": r.cluster,
        "startdatum": r.startdatum.isoformat(), "einddatum": r.einddatum.isoformat() if r.einddatum else None,
        "toelichting": r.gegevens.get("toelichting", ""), "zaken": [ctx.url("zaken", u) for u in linked[r.id]],
        "regisseur": _serialize_regisseur(ctx, regisseur[r.id]) if r.id in regisseur else None,
    } for r in rows]


def _serialize_regisseur(ctx: Ctx, row: Any) -> dict[str, Any]:
    return {"uuid": row.uuid, "rol": ctx.url("rollen", row.rol_uuid), "zaak": ctx.url("zaken", row.zaak_uuid),
            "medewerker": row.gegevens.get("medewerker"), "van": _aware(row.van).isoformat(),
            "tot": _aware(row.tot).isoformat() if row.tot else None, "reden": row.gegevens.get("reden")}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def regisseur_history(ctx: Ctx, plan_uuid: str) -> list[dict[str, Any]]:
    plan = await _plan_row(ctx, plan_uuid)
    rows = (await ctx.session.execute(select(plan_regisseurs).where(plan_regisseurs.c.plan_id == plan.id)
                                      .order_by(plan_regisseurs.c.id))).all()
    return [_serialize_regisseur(ctx, r) for r in rows]


async def _plan_event(ctx: Ctx, plan_uuid: str, wijziging: str) -> None:
    plan = (await ctx.session.execute(select(plannen).where(plannen.c.uuid == plan_uuid))).one()
    linked = (await ctx.session.execute(select(zaken.c.uuid).join(plan_zaken, plan_zaken.c.zaak_id == zaken.c.id)
                                        .where(plan_zaken.c.plan_id == plan.id).order_by(zaken.c.id))).scalars().all()
    current = (await ctx.session.execute(select(plan_regisseurs.c.rol_uuid).where(
        plan_regisseurs.c.plan_id == plan.id, plan_regisseurs.c.tot.is_(None)))).scalar_one_or_none()
    url = ctx.url("plannen", plan_uuid)
    await events.record(ctx.uow, "nl.sociaal-domein.zaken.plan-gewijzigd", {
        "plan": url, "huishouden": plan.huishouden, "wijziging": wijziging,
        "zaken": [ctx.url("zaken", u) for u in linked],
        "regisseur": ctx.url("rollen", current) if current else None}, subject=plan_uuid, dataref=url)


# --- de regisseur ---------------------------------------------------------------------------------------------


async def _regisseur_rol(ctx: Ctx, plan: Any, body: schemas.RegisseurIn) -> tuple[str, Any]:
    zaak = await access.zaak_by_url(ctx, body.zaak, lock=True)
    in_plan = (await ctx.session.execute(select(plan_zaken.c.zaak_id).where(
        plan_zaken.c.plan_id == plan.id, plan_zaken.c.zaak_id == zaak.id))).first()
    if in_plan is None:
        raise ValidatieFout.single("zaak", "zaak-niet-in-plan", "De regisseur krijgt een rol op een zaak van het plan.")
    await access.authorise_write(ctx, zaak, ("zaken.bijwerken",))
    roltype = (await ctx.session.execute(select(roltypen).where(
        roltypen.c.zaaktype_id == zaak.zaaktype_id, func.lower(roltypen.c.omschrijving) == "regisseur"))).first()
    if roltype is None:
        raise ValidatieFout.single("zaak", "geen-regisseur-roltype", "Het zaaktype van deze zaak kent geen regisseur.")
    rol = RolIn(zaak=body.zaak, betrokkene_type="medewerker", roltype=ctx.type_url("roltypen", roltype.uuid),
                roltoelichting=body.roltoelichting or "regisseur van het plan",
                betrokkene_identificatie=BetrokkeneIdentificatie(
                    identificatie=body.medewerker.identificatie, achternaam=body.medewerker.achternaam or None,
                    voorletters=body.medewerker.voorletters or None))
    rol_uuid = await subresources.insert_rol(ctx, zaak, roltype, rol)
    return rol_uuid, zaak


async def _start_regisseur(ctx: Ctx, plan: Any, body: schemas.RegisseurIn, reden: str | None) -> tuple[str, Any]:
    rol_uuid, zaak = await _regisseur_rol(ctx, plan, body)
    try:
        async with ctx.session.begin_nested():
            await ctx.session.execute(insert(plan_regisseurs).values(
                uuid=str(uuid.uuid4()), plan_id=plan.id, zaak_uuid=zaak.uuid, rol_uuid=rol_uuid,
                medewerker_identificatie=body.medewerker.identificatie, van=datetime.now(UTC), tot=None,
                gegevens={"medewerker": body.medewerker.model_dump(by_alias=True), "reden": reden}))
    except IntegrityError:
        raise Conflict("Dit plan heeft al een regisseur; draag de regie over.", code="regisseur-bestaat-al") from None
    return rol_uuid, zaak


async def set_regisseur(ctx: Ctx, plan_uuid: str, body: schemas.RegisseurIn) -> None:
    plan = await _plan_row(ctx, plan_uuid, lock=True)
    _open(plan)
    current = (await ctx.session.execute(select(plan_regisseurs.c.id).where(
        plan_regisseurs.c.plan_id == plan.id, plan_regisseurs.c.tot.is_(None)))).first()
    if current is not None:
        raise Conflict("Dit plan heeft al een regisseur; één gezin, één plan, één regisseur. Draag de regie over.",
                       code="regisseur-bestaat-al")
    rol_uuid, zaak = await _start_regisseur(ctx, plan, body, None)
    await _regisseur_event(ctx, plan, zaak, rol_uuid, None)


async def hand_over(ctx: Ctx, plan_uuid: str, body: schemas.OverdrachtIn) -> None:
    plan = await _plan_row(ctx, plan_uuid, lock=True)
    _open(plan)
    current = (await ctx.session.execute(select(plan_regisseurs).where(
        plan_regisseurs.c.plan_id == plan.id, plan_regisseurs.c.tot.is_(None)))).first()
    if current is None:
        raise ValidatieFout.single("nonFieldErrors", "geen-regisseur", "Dit plan heeft nog geen regisseur.")
    old_zaak = (await ctx.session.execute(select(zaken).where(zaken.c.uuid == current.zaak_uuid))).one()
    await access.authorise_write(ctx, old_zaak, ("zaken.bijwerken",))
    await ctx.session.execute(update(plan_regisseurs).where(plan_regisseurs.c.id == current.id)
                              .values(tot=datetime.now(UTC)))
    # The old rol leaves the zaak (a zaak has one regisseur); who held it and until when stays in the plan.
    from sqlalchemy import delete

    await ctx.session.execute(delete(rollen).where(rollen.c.uuid == current.rol_uuid))
    rol_uuid, zaak = await _start_regisseur(ctx, plan, body, body.reden)
    await _regisseur_event(ctx, plan, zaak, rol_uuid, current.rol_uuid)


def _open(plan: Any) -> None:
    if plan.einddatum is not None:
        raise ValidatieFout.single("nonFieldErrors", "plan-afgesloten", "Dit plan is afgesloten.")


async def _regisseur_event(ctx: Ctx, plan: Any, zaak: Any, rol_uuid: str, vorige: str | None) -> None:
    url = ctx.url("plannen", plan.uuid)
    await events.record(ctx.uow, "nl.sociaal-domein.zaken.regisseur-gewijzigd", {
        "zaak": ctx.url("zaken", zaak.uuid), "huishouden": plan.huishouden, "plan": url,
        "regisseur": ctx.url("rollen", rol_uuid), "vorigeRegisseur": ctx.url("rollen", vorige) if vorige else None,
    }, subject=plan.uuid, dataref=url)


# --- escalatie naar het integrale team -------------------------------------------------------------------------


async def _integral_zaaktype(ctx: Ctx, url: str | None) -> str:
    if url is not None:
        found = uuid_from_url(ctx.request, url, CATALOGI_PREFIX, "zaaktypen")
        row = None
        if found:
            row = (await ctx.session.execute(select(catalogussen.c.kolom).join(
                zaaktypen, zaaktypen.c.catalogus_id == catalogussen.c.id).where(zaaktypen.c.uuid == found))).first()
        if row is None:
            raise ValidatieFout.single("zaaktype", "bad-url", "Het zaaktype bestaat niet.")
        if row.kolom != INTEGRAAL:
            raise ValidatieFout.single("zaaktype", "geen-integraal-zaaktype",
                                       "Escaleren kan alleen naar een zaaktype van de integrale catalogus.")
        return url
    today = datetime.now(UTC).date()
    rows = (await ctx.session.execute(select(zaaktypen.c.uuid).join(
        catalogussen, catalogussen.c.id == zaaktypen.c.catalogus_id).where(
        catalogussen.c.kolom == INTEGRAAL, zaaktypen.c.concept.is_(False), zaaktypen.c.begin_geldigheid <= today,
        (zaaktypen.c.einde_geldigheid.is_(None)) | (zaaktypen.c.einde_geldigheid >= today)))).scalars().all()
    if len(rows) != 1:
        raise ValidatieFout.single("zaaktype", "required",
                                   "Geef het integrale zaaktype op; de integrale catalogus heeft er niet precies één.")
    return ctx.type_url("zaaktypen", rows[0])


async def escalate(ctx: Ctx, zaak_uuid: str, body: schemas.EscalatieIn) -> str:
    """Open (or reuse) the household's integral hoofdzaak and hang the kolom zaken under it as deelzaken."""
    zaak = await access.zaak_by_uuid(ctx, zaak_uuid, lock=True)
    if not await access.granted(ctx, zaak.id, "zaken.lezen"):
        raise NotFound()
    await access.authorise_write(ctx, zaak, ("zaken.bijwerken",))
    kolom_zaken = [zaak]
    for i, url in enumerate(body.deelzaken):
        other = await access.zaak_by_url(ctx, url, f"deelzaken.{i}", lock=True)
        if other.huishouden != zaak.huishouden:
            raise ValidatieFout.single(f"deelzaken.{i}", "huishouden-mismatch",
                                       "Alleen zaken van hetzelfde huishouden gaan samen naar het integrale team.")
        await access.authorise_write(ctx, other, ("zaken.bijwerken",))
        if other.id not in {z.id for z in kolom_zaken}:
            kolom_zaken.append(other)
    if zaak.huishouden is None:
        raise ValidatieFout.single("zaak", "huishouden-onbekend", "Escaleren vraagt een zaak van een huishouden.")
    for z in kolom_zaken:
        if z.kolom in (None, INTEGRAAL):
            raise ValidatieFout.single("zaak", "geen-kolomzaak", "Alleen een kolomzaak kan escaleren.")
        if z.hoofdzaak_id is not None:
            raise Conflict("Deze zaak is al een deelzaak van een hoofdzaak.", code="al-geescaleerd")
    if (await ctx.session.execute(select(zaken.c.id).where(zaken.c.hoofdzaak_id.in_([z.id for z in kolom_zaken]))
                                  .limit(1))).first():
        raise ValidatieFout.single("zaak", "deelzaak-als-hoofdzaak", "Een hoofdzaak kan geen deelzaak worden.")
    kolommen = sorted({z.kolom for z in kolom_zaken})
    hoofd = (await ctx.session.execute(select(zaken).where(
        zaken.c.huishouden == zaak.huishouden, zaken.c.kolom == INTEGRAAL, zaken.c.einddatum.is_(None),
        zaken.c.hoofdzaak_id.is_(None)).order_by(zaken.c.id).limit(1).with_for_update())).first()
    if hoofd is None:
        zaaktype_url = await _integral_zaaktype(ctx, body.zaaktype)
        hoofd_uuid = await zaken_service.create_zaak(ctx, ZaakIn(
            bronorganisatie=zaak.bronorganisatie,
            verantwoordelijke_organisatie=zaak.gegevens["verantwoordelijkeOrganisatie"],
            zaaktype=zaaktype_url, startdatum=datetime.now(UTC).date(), huishouden=zaak.huishouden,
            omschrijving="Integrale aanpak huishouden"), Herkomst(kolommen=kolommen))
        hoofd = (await ctx.session.execute(select(zaken).where(zaken.c.uuid == hoofd_uuid))).one()
    else:
        merged = sorted(set(events.kolommen_of(hoofd)) | set(kolommen))
        await ctx.session.execute(update(zaken).where(zaken.c.id == hoofd.id).values(kolommen=",".join(merged)))
    hoofd_url = ctx.url("zaken", hoofd.uuid)
    for z in kolom_zaken:
        await ctx.session.execute(update(zaken).where(and_(zaken.c.id == z.id)).values(
            hoofdzaak_id=hoofd.id, gegevens={**z.gegevens, "hoofdzaak": hoofd_url}))
        url = ctx.url("zaken", z.uuid)
        await audit.record(ctx, zaak_uuid=z.uuid, actie="partial_update", resource="zaak",
                                         resource_url=url, weergave=z.identificatie,
                                         oud={"hoofdzaak": None}, nieuw={"hoofdzaak": hoofd_url})
        await events.record(ctx.uow, "nl.sociaal-domein.zaken.zaak-geescaleerd", {
            "zaak": url, "kolom": z.kolom, "hoofdzaak": hoofd_url, "huishouden": z.huishouden,
            "redenen": [r.model_dump(exclude_none=True) for r in body.redenen]}, subject=z.uuid, dataref=url)
    return str(hoofd.uuid)

