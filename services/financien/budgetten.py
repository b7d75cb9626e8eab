"""Budgetten per kolom or cluster per year, a taakbudget per aanbieder for taakgericht contracten, and the
monitor: budget, verplichtingen and realisatie side by side."""

from __future__ import annotations

import uuid as uuidlib
from datetime import date
from typing import Any

from fastapi import Request
from sqlalchemy import ColumnElement, Select, false, func, insert, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import CloudEvent
from contracts.events import make_event
from contracts.events.financien import BudgetDrempelBereikt
from sds.runtime.auth import AuthContext
from sds.runtime.errors import PermissionDenied, ValidatieFout, refused_or_absent
from sds.runtime.pagination import PageParams, paginate
from services.financien import schemas, verplichtingen, verwerking
from services.financien.context import SOURCE, Bereik, base_url, gemeente, lees_bereik, url
from services.financien.domain import GOEDGEKEURD, Post, euro, indeling_fouten, nieuwe_drempel, stand
from services.financien.inkoop import aanbieder_by_uuid
from services.financien.models import (
    aanbieders,
    budgetten,
    contracten,
    declaratie_regels,
    realisatie_per_jaar,
    toewijzingen,
    verplichtingen_per_jaar,
)

BUDGET_DREMPEL = "nl.sociaal-domein.financien.budget-drempel-bereikt"


def budget_select() -> Select[Any]:
    return (select(budgetten, aanbieders.c.uuid.label("aanbieder_uuid"))
            .outerjoin(aanbieders, aanbieders.c.id == budgetten.c.aanbieder_id))


def budget_in(reach: Bereik, request: Request) -> ColumnElement[bool]:
    """The budgetten in reach: of a kolom in reach, or of a cluster wholly in it."""
    clusters = reach.clusters(request.app.state.indeling)
    if clusters is None:
        return true()
    return or_(reach.kolom_in(budgetten.c.kolom), budgetten.c.cluster.in_(clusters) if clusters else false())


def _budget(base: str, row: Any) -> dict[str, Any]:
    return {"url": url(base, "budgetten", row.uuid), "jaar": row.jaar, "kolom": row.kolom, "cluster": row.cluster,
            "aanbieder": url(base, "aanbieders", row.aanbieder_uuid) if row.aanbieder_uuid else None,
            "bedrag": euro(row.bedrag)}


def sleutel(jaar: int, kolom: str | None, cluster: str | None, aanbieder_id: int | None) -> str:
    return f"{jaar}|{kolom or ''}|{cluster or ''}|{aanbieder_id or ''}"


async def maak_budget(session: AsyncSession, request: Request, ctx: AuthContext,
                      body: schemas.NieuwBudget) -> dict[str, Any]:
    await gemeente(session, ctx)
    if (body.kolom is None) == (body.cluster is None):
        raise ValidatieFout([{"name": name, "code": "invalid", "reason": "Een budget geldt voor een kolom óf een "
                              "cluster."} for name in ("kolom", "cluster")])
    if invalid := indeling_fouten(request.app.state.indeling, [body.kolom] if body.kolom else [], body.cluster):
        raise ValidatieFout([{**p, "name": "kolom" if p["name"] == "kolommen" else p["name"]} for p in invalid])
    reach = await lees_bereik(session, ctx)
    clusters = reach.clusters(request.app.state.indeling)
    if not (reach.ziet(body.kolom) if body.kolom is not None else clusters is None or body.cluster in clusters):
        raise PermissionDenied("Deze applicatie beheert geen budget buiten haar kolommen.", code="permission_denied")
    aanbieder_id = None
    if body.aanbieder is not None:
        aanbieder = await aanbieder_by_uuid(session, body.aanbieder, "aanbieder")
        aanbieder_id = aanbieder.id
        taakgericht = (await session.execute(select(contracten.c.id).where(
            contracten.c.aanbieder_id == aanbieder_id, contracten.c.uitvoeringsvariant == "taakgericht"))).first()
        if taakgericht is None:
            raise ValidatieFout.single("aanbieder", "invalid",
                                       "Een taakbudget is er alleen voor een aanbieder met een taakgericht contract.")
    key = sleutel(body.jaar, body.kolom, body.cluster, aanbieder_id)
    if (await session.execute(select(budgetten.c.id).where(budgetten.c.sleutel == key))).first():
        raise ValidatieFout.single("jaar", "unique", "Er is al een budget voor dit jaar en deze kolom of cluster.")
    new = str(uuidlib.uuid4())
    await session.execute(insert(budgetten).values(uuid=new, jaar=body.jaar, kolom=body.kolom, cluster=body.cluster,
                                                   aanbieder_id=aanbieder_id, sleutel=key, bedrag=body.bedrag))
    row = (await session.execute(budget_select().where(budgetten.c.uuid == new))).first()
    return _budget(base_url(request), row)


async def _gemeente_leest(session: AsyncSession, ctx: AuthContext) -> Bereik:
    reach = await lees_bereik(session, ctx)
    if reach.aanbieder_id is not None:
        raise PermissionDenied("De budgetten zijn van de gemeente.", code="permission_denied")
    return reach


async def lees_budget(session: AsyncSession, request: Request, ctx: AuthContext, uuid: str) -> dict[str, Any]:
    # A budget is the municipality's: outside an aanbieder's reach (403, as every detail outside a client's rights).
    reach = await lees_bereik(session, ctx)
    row = (await session.execute(budget_select().where(budgetten.c.uuid == uuid))).first()
    if row is None or reach.aanbieder_id is not None or not (await session.execute(
            select(budgetten.c.id).where(budgetten.c.id == row.id, budget_in(reach, request)))).first():
        raise refused_or_absent(row is not None)
    return _budget(base_url(request), row)


async def lijst_budgetten(session: AsyncSession, request: Request, ctx: AuthContext, params: PageParams,
                          jaar: int | None) -> dict[str, Any]:
    reach = await _gemeente_leest(session, ctx)
    stmt = budget_select().where(budget_in(reach, request)).order_by(budgetten.c.id)
    if jaar is not None:
        stmt = stmt.where(budgetten.c.jaar == jaar)
    base = base_url(request)
    return await paginate(session, stmt, params, request, lambda r: _budget(base, r))


async def monitor(session: AsyncSession, request: Request, ctx: AuthContext, jaar: int) -> dict[str, Any]:
    """Budget, verplichtingen and realisatie of a year. A toewijzing's verplichting counts in the year it begins;
    a declared line in the year its ProductPeriode begins."""
    reach = await _gemeente_leest(session, ctx)
    base = base_url(request)
    # Summed as the toewijzingen are written (verplichtingen.boek): a few rows a year, however many toewijzingen.
    v = verplichtingen_per_jaar
    verplicht = [Post(r.kolom, r.cluster, r.aanbieder_uuid, int(r.bedrag)) for r in (await session.execute(
        select(v.c.kolom, v.c.cluster, aanbieders.c.uuid.label("aanbieder_uuid"), v.c.bedrag)
        .join(aanbieders, aanbieders.c.id == v.c.aanbieder_id)
        .where(v.c.jaar == jaar, v.c.bedrag != 0, reach.kolom_in(v.c.kolom)))).all()]
    r_ = realisatie_per_jaar
    gerealiseerd = [Post(r.kolom, r.cluster, r.aanbieder_uuid, int(r.bedrag)) for r in (await session.execute(
        select(r_.c.kolom, r_.c.cluster, aanbieders.c.uuid.label("aanbieder_uuid"), r_.c.bedrag)
        .join(aanbieders, aanbieders.c.id == r_.c.aanbieder_id)
        .where(r_.c.jaar == jaar, r_.c.bedrag != 0, reach.kolom_in(r_.c.kolom)))).all()]
    budget_posten = [Post(b.kolom, b.cluster, b.aanbieder_uuid, b.bedrag) for b in (await session.execute(
        budget_select().where(budgetten.c.jaar == jaar, budget_in(reach, request)))).all()]
    out = stand(budget_posten, verplicht, gerealiseerd)

    def shown(line: dict[str, Any]) -> dict[str, Any]:
        if "aanbieder" in line:
            line = {**line, "aanbieder": url(base, "aanbieders", line["aanbieder"])}
        return {**line, "budget": euro(line["budget"]) if line["budget"] is not None else None,
                "verplicht": euro(line["verplicht"]), "gerealiseerd": euro(line["gerealiseerd"])}

    totaal = out.pop("totaal")
    return {"jaar": jaar, "totaal": shown(totaal), **{k: [shown(line) for line in v] for k, v in out.items()}}


async def huishouden(session: AsyncSession, request: Request, ctx: AuthContext, huishouden_url: str,
                     jaar: int) -> dict[str, Any]:
    """What one household's support costs in a year over all kolommen: the verplichtingen of its toewijzingen
    (that begin in the year) and what was declared and accepted on them (lines whose ProductPeriode begins in
    it), per kolom and in all. Personal data: the read is in the verwerkingenlog."""
    reach = await _gemeente_leest(session, ctx)
    t, r_ = toewijzingen, declaratie_regels
    jaar_van = (date(jaar, 1, 1), date(jaar, 12, 31))
    per: dict[str, dict[str, int]] = {}
    for kolom, bedrag in (await session.execute(
            select(t.c.kolom, func.sum(t.c.verplichting)).where(
                t.c.huishouden == huishouden_url, t.c.status.in_(verplichtingen.LOPEND), reach.kolom_in(t.c.kolom),
                t.c.begindatum.between(*jaar_van)).group_by(t.c.kolom))).all():
        per.setdefault(kolom, {"verplicht": 0, "gerealiseerd": 0})["verplicht"] = int(bedrag)
    for kolom, bedrag in (await session.execute(
            select(t.c.kolom, func.sum(r_.c.bedrag)).join(r_, r_.c.toewijzing_id == t.c.id).where(
                t.c.huishouden == huishouden_url, r_.c.retourcode == GOEDGEKEURD, reach.kolom_in(t.c.kolom),
                r_.c.begindatum.between(*jaar_van)).group_by(t.c.kolom))).all():
        per.setdefault(kolom, {"verplicht": 0, "gerealiseerd": 0})["gerealiseerd"] = int(bedrag)
    await verwerking.vastleggen(request, session, ctx, ((kolom, huishouden_url) for kolom in sorted(per)),
                                activiteit="huishoudkosten-raadplegen", handeling="lezen")
    return {"huishouden": huishouden_url, "jaar": jaar,
            "totaal": {"verplicht": euro(sum(v["verplicht"] for v in per.values())),
                       "gerealiseerd": euro(sum(v["gerealiseerd"] for v in per.values()))},
            "perKolom": [{"kolom": k, "verplicht": euro(v["verplicht"]), "gerealiseerd": euro(v["gerealiseerd"])}
                         for k, v in sorted(per.items())]}


async def drempels(session: AsyncSession, base: str, jaar: int, kolom: str, cluster: str | None,
                   aanbieder_id: int | None) -> list[CloudEvent]:
    """budget-drempel-bereikt for each budget of this year the verplichtingen of a kolom, cluster or aanbieder
    now bring past a threshold not reported before; run in the transaction that changed them."""
    b = budgetten
    scopes: list[ColumnElement[bool]] = [(b.c.kolom == kolom) & b.c.cluster.is_(None) & b.c.aanbieder_id.is_(None)]
    if cluster is not None:
        scopes.append((b.c.cluster == cluster) & b.c.kolom.is_(None) & b.c.aanbieder_id.is_(None))
    if aanbieder_id is not None:
        scopes.append(b.c.aanbieder_id == aanbieder_id)
    out = []
    for scope in scopes:
        budget = (await session.execute(select(b).where(b.c.jaar == jaar, scope).with_for_update())).first()
        if budget is None:
            continue
        v, r_ = verplichtingen_per_jaar, realisatie_per_jaar
        if budget.aanbieder_id is not None:
            v_where = v.c.aanbieder_id == budget.aanbieder_id
            r_where = r_.c.aanbieder_id == budget.aanbieder_id
        elif budget.cluster is not None:
            v_where, r_where = v.c.cluster == budget.cluster, r_.c.cluster == budget.cluster
        else:
            v_where, r_where = v.c.kolom == budget.kolom, r_.c.kolom == budget.kolom
        verplicht = int((await session.execute(select(func.coalesce(func.sum(v.c.bedrag), 0)).where(
            v_where, v.c.jaar == jaar))).scalar_one())
        drempel = nieuwe_drempel(budget.bedrag, verplicht, budget.gemelde_drempel)
        if drempel is None:
            continue
        gerealiseerd = int((await session.execute(select(func.coalesce(func.sum(r_.c.bedrag), 0)).where(
            r_where, r_.c.jaar == jaar))).scalar_one())
        await session.execute(update(b).where(b.c.id == budget.id).values(gemelde_drempel=drempel))
        own = url(base, "budgetten", budget.uuid)
        data = BudgetDrempelBereikt.model_validate({
            "budget": own, "kolom": budget.kolom, "cluster": budget.cluster, "jaar": jaar,
            "drempelPercentage": drempel, "budgetBedrag": budget.bedrag, "verplichtBedrag": verplicht,
            "gerealiseerdBedrag": gerealiseerd})
        out.append(make_event(BUDGET_DREMPEL, data, source=SOURCE, subject=budget.uuid, dataref=own))
    return out
