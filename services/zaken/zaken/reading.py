"""Reading zaken: a page of zaken with what each refers to in one query, and the serialised zaak."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    false,
    literal,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.verwerkingenlog import Handeling
from services.zaken.catalogi.models import (
    zaaktypen,
)
from services.zaken.common import (
    refused_or_absent,
    without_blank,
)
from services.zaken.zaken import authz, geometrie, schemas, verwerking
from services.zaken.zaken.context import Ctx, visible_zaak
from services.zaken.zaken.models import (
    hoofd,
    resultaten,
    rollen,
    statussen,
    zaakeigenschappen,
    zaakinformatieobjecten,
    zaakobjecten,
    zaken,
)


def zaak_select() -> Select[Any]:
    """The zaken table alone: lists filter, count and page on it, so the count is an index-only scan."""
    return select(zaken)


_REFS = ("zaaktype", "hoofdzaak", "status", "resultaat")
_CHILDREN_QUERY: dict[str, Select[Any]] = {}


def _children_query(dialect: str) -> Select[Any]:
    """The query of ``zaak_children``, built once per dialect: the page's zaak ids are its one parameter
    ``ids`` (``= ANY(array)`` on PostgreSQL, an expanding ``IN`` elsewhere)."""
    if dialect not in _CHILDREN_QUERY:
        if dialect == "postgresql":
            from sqlalchemy import BigInteger, any_
            from sqlalchemy.dialects.postgresql import ARRAY

            param = bindparam("ids", type_=ARRAY(BigInteger))

            def match(column: Any) -> ColumnElement[bool]:
                return column == any_(param)  # type: ignore[no-any-return]
        else:
            expanding: Any = bindparam("ids", expanding=True)

            def match(column: Any) -> ColumnElement[bool]:
                return column.in_(expanding)  # type: ignore[no-any-return]

        def branch(kind: str, parent: Any, order: Any, ref: Any, *joins: tuple[Any, Any]) -> Select[Any]:
            stmt = select(parent.label("parent"), literal(kind).label("kind"), order.label("rang"), ref.label("ref"))
            for table, on in joins:
                stmt = stmt.join(table, on)
            return stmt.where(match(parent))

        union = union_all(
            branch("zaaktype", zaken.c.id, zaken.c.id, zaaktypen.c.uuid,
                   (zaaktypen, zaaktypen.c.id == zaken.c.zaaktype_id)),
            branch("hoofdzaak", zaken.c.id, zaken.c.id, hoofd.c.uuid, (hoofd, hoofd.c.id == zaken.c.hoofdzaak_id)),
            branch("status", zaken.c.id, zaken.c.id, statussen.c.uuid,
                   (statussen, statussen.c.id == zaken.c.status_id)),
            branch("resultaat", resultaten.c.zaak_id, resultaten.c.id, resultaten.c.uuid),
            branch("rollen", rollen.c.zaak_id, rollen.c.id, rollen.c.uuid),
            # The persons its rollen name, for the verwerkingenlog: in this query, so a read logs without a
            # round trip of its own.
            branch("betrokkenen", rollen.c.zaak_id, rollen.c.id, verwerking.betrokkene()).where(
                rollen.c.betrokkene_type == verwerking.NATUURLIJK_PERSOON, verwerking.betrokkene().is_not(None)),
            branch("eigenschappen", zaakeigenschappen.c.zaak_id, zaakeigenschappen.c.id, zaakeigenschappen.c.uuid),
            branch("zaakobjecten", zaakobjecten.c.zaak_id, zaakobjecten.c.id, zaakobjecten.c.uuid),
            branch("zaakinformatieobjecten", zaakinformatieobjecten.c.zaak_id, zaakinformatieobjecten.c.id,
                   zaakinformatieobjecten.c.uuid),
            branch("deelzaken", zaken.c.hoofdzaak_id, zaken.c.id, zaken.c.uuid),
        ).subquery()
        _CHILDREN_QUERY[dialect] = select(union).order_by(union.c.kind, union.c.rang)
    return _CHILDREN_QUERY[dialect]


async def zaak_children(session: AsyncSession, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """What a page of zaken refers to, in one query for any page size: the single references (zaaktype,
    hoofdzaak, status, resultaat) and the rollen, eigenschappen, zaakobjecten and deelzaken, as one
    ``UNION ALL`` of (zaak id, kind, order, uuid) rows; ``betrokkenen`` are the BSNs (or URLs) of the persons its
    rollen name, for the verwerkingenlog only."""
    out: dict[int, dict[str, Any]] = {}
    refs: dict[int, dict[str, Any]] = {}
    for i in ids:
        out[i] = {"rollen": [], "betrokkenen": [], "eigenschappen": [], "zaakobjecten": [], "deelzaken": [],
                  "zaakinformatieobjecten": []}
        refs[i] = dict.fromkeys(_REFS)
    if not ids:
        return out
    rows = (await session.execute(_children_query(session.get_bind().dialect.name), {"ids": list(ids)})).all()
    for parent, kind, _rang, ref in rows:
        found = refs[parent]
        if kind in found:
            found[kind] = ref
        else:
            out[parent][kind].append(ref)
    for i in ids:
        found = refs[i]
        out[i]["refs"] = SimpleNamespace(zaaktype_uuid=found["zaaktype"], hoofdzaak_uuid=found["hoofdzaak"],
                                         status_uuid=found["status"], resultaat_uuid=found["resultaat"])
    return out


def serialize_zaak(ctx: Ctx, row: Any, children: dict[str, Any]) -> dict[str, Any]:
    # Run for every zaak of a page: the URL bases are read once, and no helper is called per field.
    base = ctx.zaken_base
    refs = children["refs"]
    gegevens = row.gegevens
    out = dict(gegevens)
    zaak_uuid = row.uuid
    einddatum, archiefactiedatum = row.einddatum, row.archiefactiedatum
    out.update({
        "url": f"{base}zaken/{zaak_uuid}", "uuid": zaak_uuid, "identificatie": row.identificatie,
        "zaaktype": f"{ctx.catalogi_base}zaaktypen/{refs.zaaktype_uuid}",
        "registratiedatum": row.registratiedatum.isoformat(), "startdatum": row.startdatum.isoformat(),
        "einddatum": einddatum.isoformat() if einddatum is not None else None,
        "vertrouwelijkheidaanduiding": row.vertrouwelijkheidaanduiding,
        "archiefnominatie": row.archiefnominatie, "archiefstatus": row.archiefstatus,
        "archiefactiedatum": archiefactiedatum.isoformat() if archiefactiedatum is not None else None,
        "hoofdzaak": f"{base}zaken/{refs.hoofdzaak_uuid}" if refs.hoofdzaak_uuid else None,
        "status": f"{base}statussen/{refs.status_uuid}" if refs.status_uuid else None,
        "resultaat": f"{base}resultaten/{refs.resultaat_uuid}" if refs.resultaat_uuid else None,
        "deelzaken": [f"{base}zaken/{u}" for u in children["deelzaken"]],
        "rollen": [f"{base}rollen/{u}" for u in children["rollen"]],
        "zaakobjecten": [f"{base}zaakobjecten/{u}" for u in children["zaakobjecten"]],
        "eigenschappen": [f"{base}zaken/{zaak_uuid}/zaakeigenschappen/{u}" for u in children["eigenschappen"]],
        "zaakinformatieobjecten": [f"{base}zaakinformatieobjecten/{u}" for u in children["zaakinformatieobjecten"]],
        "betalingsindicatieWeergave": _BETALING.get(gegevens.get("betalingsindicatie") or "", ""),
        "huishouden": row.huishouden, "aanvraag": row.aanvraag,
    })
    return without_blank(out, "communicatiekanaal", "selectielijstklasse")


_BETALING = {"nvt": "Er is geen sprake van te betalen, met de zaak gemoeide, kosten.",
             "nog_niet": "De met de zaak gemoeide kosten zijn (nog) niet betaald.",
             "gedeeltelijk": "De met de zaak gemoeide kosten zijn gedeeltelijk betaald.",
             "geheel": "De met de zaak gemoeide kosten zijn geheel betaald."}


async def read_zaak(ctx: Ctx, zaak_uuid: str, scope: str | None = "zaken.lezen", *,
                    activiteit: str = "zaak-raadplegen", handeling: Handeling = "lezen") -> dict[str, Any]:
    """A zaak the client may see with ``scope``: 403 for one outside its autorisaties, 404 for one that is not there;
    recorded in the verwerkingenlog as ``activiteit`` when its rollen name a person.

    ``scope=None`` reads without that check: the answer to a write the client was allowed to make.
    """
    unfiltered = zaak_select().where(zaken.c.uuid == zaak_uuid)
    stmt = unfiltered if scope is None else unfiltered.where(authz.visible_clause(ctx.request, ctx.auth, scope))
    row = (await ctx.session.execute(stmt)).first()
    if row is None:
        raise await refused_or_absent(ctx.session, unfiltered)
    children = await zaak_children(ctx.session, [row.id])
    await verwerking.zaken_gelezen(ctx, [row], children, activiteit=activiteit, handeling=handeling)
    return serialize_zaak(ctx, row, children[row.id])


async def binnen(ctx: Ctx, stmt: Select[Any], zoek: schemas.GeometrieZoek) -> Select[Any]:
    """``stmt`` narrowed to the zaken whose zaakgeometrie lies within ``zoek.within``: the bounding boxes in SQL,
    then ``within`` exactly on the zaken left (geometrie)."""
    zoekvorm = geometrie.vorm(zoek.within.model_dump())
    xmin, ymin, xmax, ymax = zoekvorm.bounds
    z = zaken.c
    kandidaten = select(z.id, z.gegevens).where(visible_zaak(ctx), z.geo_xmin >= xmin, z.geo_ymin >= ymin,
                                                z.geo_xmax <= xmax, z.geo_ymax <= ymax)
    async with ctx.uow:
        rows = (await ctx.session.execute(kandidaten)).all()
    ids = [r.id for r in rows if geometrie.ligt_binnen(r.gegevens.get("zaakgeometrie"), zoekvorm)]
    if not ids:
        return stmt.where(false())
    # Inlined integers: a search may match more zaken than a statement takes bind parameters.
    return stmt.where(z.id.in_(bindparam("geo_ids", ids, expanding=True, literal_execute=True)))
