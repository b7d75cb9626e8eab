"""HTTP routes of the Zaken API 1.5.1: zaken, statussen, rollen, resultaten, zaakobjecten, klantcontacten,
zaakeigenschappen, zaakinformatieobjecten and the audittrail of a zaak."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from sqlalchemy import Select, select

from sds.runtime.app import Uow
from sds.runtime.auth import Auth
from sds.runtime.errors import ApiError, NotFound, ValidatieFout
from sds.runtime.pagination import Pagination, paginate
from sds.runtime.scopes import ZRC
from services.zaken.catalogi.models import resultaattypen, roltypen, statustypen
from services.zaken.common import CATALOGI_PREFIX, PatchBody, UrlQuery, refused_or_absent, split_csv, uuid_from_url
from services.zaken.zaken import (
    besluiten,
    counters,
    expand,
    informatieobjecten,
    queries,
    reading,
    schemas,
    service,
    subresources,
    updates,
    verwerking,
)
from services.zaken.zaken.context import Ctx, visible_zaak
from services.zaken.zaken.documenten import RelatieFout
from services.zaken.zaken.models import (
    audittrail,
    klantcontacten,
    resultaten,
    rollen,
    statussen,
    zaakbesluiten,
    zaakeigenschappen,
    zaakinformatieobjecten,
    zaakobjecten,
    zaken,
)

log = logging.getLogger("sds.zaken")
router = APIRouter()

CRS = "EPSG:4326"
# The spec lists zaakinformatieobjecten without pages; a zaak with more than this is not a list to send whole.
ZIO_LIST_MAX = 1000


async def crs(accept_crs: Annotated[str | None, Header(alias="Accept-Crs", max_length=50)] = None,
        content_crs: Annotated[str | None, Header(alias="Content-Crs", max_length=50)] = None) -> None:
    """Geometry is WGS84 only (EPSG:4326), as the spec offers; another CRS is refused, not converted."""
    if accept_crs is not None and accept_crs != CRS:
        raise ApiError(f"CRS '{accept_crs[:50]}' wordt niet ondersteund; gebruik {CRS}.", status=406,
                       code="not_acceptable")
    if content_crs is not None and content_crs != CRS:
        raise ApiError(f"CRS '{content_crs[:50]}' wordt niet ondersteund; gebruik {CRS}.", status=415,
                       code="unsupported_media_type")


Crs = Annotated[None, Depends(crs)]


async def context(request: Request, auth: Auth, uow: Uow) -> Ctx:
    return Ctx(request=request, auth=auth, uow=uow)


Context = Annotated[Ctx, Depends(context)]


def _crs_header(response: Response) -> None:
    response.headers["Content-Crs"] = CRS


def _require(ctx: Ctx, *scopes: str) -> None:
    """The scope check before any query: a client without it gets 403 on writes, whatever the zaak."""
    if not any(ctx.auth.has_scope(ZRC, s) for s in scopes):
        ctx.auth.require_scope(ZRC, scopes[0])


# --- zaken --------------------------------------------------------------------------------------------------


async def _zaak_page(ctx: Ctx, stmt: Select[Any], pagination: Any, filters: dict[str, Any],
                     expand_paths: set[str]) -> dict[str, Any]:
    async with ctx.uow:
        count = await counters.known_count(ctx.session, ctx.request, ctx.auth, filters)
        page = await paginate(ctx.session, stmt, pagination, ctx.request, lambda row: row, count=count)
        children = await reading.zaak_children(ctx.session, [r.id for r in page["results"]])
        await verwerking.zaken_gelezen(ctx, page["results"], children)
        page["results"] = [reading.serialize_zaak(ctx, r, children[r.id]) for r in page["results"]]
        await expand.apply(ctx, page["results"], expand_paths)
    return page


@router.get("/zaken", tags=["zaken"])
async def zaak_list(
    ctx: Context, pagination: Pagination, response: Response, _crs: Crs,
    identificatie: Annotated[str | None, Query(max_length=40)] = None,
    bronorganisatie: Annotated[str | None, Query(max_length=9)] = None,
    bronorganisatie__in: Annotated[str | None, Query(max_length=1000)] = None,
    zaaktype: UrlQuery = None,
    archiefnominatie: schemas.Archiefnominatie | None = None,
    archiefnominatie__in: Annotated[str | None, Query(max_length=200)] = None,
    archiefactiedatum: date | None = None,
    archiefactiedatum__lt: date | None = None,
    archiefactiedatum__gt: date | None = None,
    archiefactiedatum__isnull: bool | None = None,
    archiefstatus: schemas.Archiefstatus | None = None,
    archiefstatus__in: Annotated[str | None, Query(max_length=200)] = None,
    startdatum: date | None = None,
    startdatum__gt: date | None = None,
    startdatum__gte: date | None = None,
    startdatum__lt: date | None = None,
    startdatum__lte: date | None = None,
    registratiedatum: date | None = None,
    registratiedatum__gt: date | None = None,
    registratiedatum__lt: date | None = None,
    einddatum: date | None = None,
    einddatum__gt: date | None = None,
    einddatum__lt: date | None = None,
    einddatum__isnull: bool | None = None,
    einddatum_gepland: Annotated[date | None, Query(alias="einddatumGepland")] = None,
    einddatum_gepland__gt: Annotated[date | None, Query(alias="einddatumGepland__gt")] = None,
    einddatum_gepland__lt: Annotated[date | None, Query(alias="einddatumGepland__lt")] = None,
    uiterlijke_einddatum_afdoening: Annotated[date | None, Query(alias="uiterlijkeEinddatumAfdoening")] = None,
    uiterlijke_einddatum_afdoening__gt: Annotated[date | None, Query(alias="uiterlijkeEinddatumAfdoening__gt")] = None,
    uiterlijke_einddatum_afdoening__lt: Annotated[date | None, Query(alias="uiterlijkeEinddatumAfdoening__lt")] = None,
    rol__betrokkene_type: Annotated[schemas.BetrokkeneType | None, Query(alias="rol__betrokkeneType")] = None,
    rol__betrokkene: UrlQuery = None,
    rol__omschrijving_generiek: Annotated[schemas.OmschrijvingGeneriek | None,
                                          Query(alias="rol__omschrijvingGeneriek")] = None,
    maximale_vertrouwelijkheidaanduiding: Annotated[
        schemas.Vertrouwelijkheidaanduiding | None, Query(alias="maximaleVertrouwelijkheidaanduiding")] = None,
    rol__medewerker: Annotated[str | None, Query(
        alias="rol__betrokkeneIdentificatie__medewerker__identificatie", max_length=255)] = None,
    ordering: Annotated[str | None, Query(max_length=200)] = None,
    expand_: Annotated[str | None, Query(alias="expand", max_length=300)] = None,
) -> dict[str, Any]:
    _require(ctx, "zaken.lezen")
    expand_paths = expand.parse(expand_)
    filters = {
        "identificatie": identificatie, "bronorganisatie": bronorganisatie,
        "bronorganisatie__in": split_csv(bronorganisatie__in, "bronorganisatie__in"), "zaaktype": zaaktype,
        "archiefnominatie": archiefnominatie,
        "archiefnominatie__in": split_csv(archiefnominatie__in, "archiefnominatie__in",
                                          allowed=("blijvend_bewaren", "vernietigen")),
        "archiefactiedatum": archiefactiedatum, "archiefactiedatum__lt": archiefactiedatum__lt,
        "archiefactiedatum__gt": archiefactiedatum__gt, "archiefactiedatum__isnull": archiefactiedatum__isnull,
        "archiefstatus": archiefstatus,
        "archiefstatus__in": split_csv(archiefstatus__in, "archiefstatus__in", allowed=(
            "nog_te_archiveren", "gearchiveerd", "gearchiveerd_procestermijn_onbekend", "overgedragen")),
        "startdatum": startdatum, "startdatum__gt": startdatum__gt, "startdatum__gte": startdatum__gte,
        "startdatum__lt": startdatum__lt, "startdatum__lte": startdatum__lte, "registratiedatum": registratiedatum,
        "registratiedatum__gt": registratiedatum__gt, "registratiedatum__lt": registratiedatum__lt,
        "einddatum": einddatum, "einddatum__gt": einddatum__gt, "einddatum__lt": einddatum__lt,
        "einddatum__isnull": einddatum__isnull, "einddatumGepland": einddatum_gepland,
        "einddatumGepland__gt": einddatum_gepland__gt, "einddatumGepland__lt": einddatum_gepland__lt,
        "uiterlijkeEinddatumAfdoening": uiterlijke_einddatum_afdoening,
        "uiterlijkeEinddatumAfdoening__gt": uiterlijke_einddatum_afdoening__gt,
        "uiterlijkeEinddatumAfdoening__lt": uiterlijke_einddatum_afdoening__lt,
        "rol__betrokkeneType": rol__betrokkene_type, "rol__betrokkene": rol__betrokkene,
        "rol__omschrijvingGeneriek": rol__omschrijving_generiek,
        "maximaleVertrouwelijkheidaanduiding": maximale_vertrouwelijkheidaanduiding,
        "rol__betrokkeneIdentificatie__medewerker__identificatie": rol__medewerker,
    }
    stmt = reading.zaak_select().where(visible_zaak(ctx))
    stmt = queries.apply_ordering(queries.apply_filters(ctx.request, stmt, filters), ordering)
    _crs_header(response)
    return await _zaak_page(ctx, stmt, pagination, filters, expand_paths)


@router.post("/zaken/_zoek", tags=["zaken"])
async def zaak_search(body: schemas.ZaakZoek, ctx: Context, pagination: Pagination, response: Response,
                      _crs: Crs) -> dict[str, Any]:
    """Search in a POST body, so that a BSN never appears in a URL or an access log."""
    _require(ctx, "zaken.lezen")
    expand_paths = expand.parse(body.expand)
    filters = body.model_dump(by_alias=True, exclude={"ordering", "expand", "zaakgeometrie"})
    stmt = reading.zaak_select().where(visible_zaak(ctx))
    stmt = queries.apply_ordering(queries.apply_filters(ctx.request, stmt, filters), body.ordering)
    if body.zaakgeometrie is not None:
        stmt = await reading.binnen(ctx, stmt, body.zaakgeometrie)
        filters["zaakgeometrie"] = body.zaakgeometrie  # no stored count knows this filter
    _crs_header(response)
    return await _zaak_page(ctx, stmt, pagination, filters, expand_paths)


@router.post("/zaken", status_code=201, tags=["zaken"])
async def zaak_create(body: schemas.ZaakIn, ctx: Context, response: Response, _crs: Crs) -> dict[str, Any]:
    _require(ctx, "zaken.aanmaken")
    async with ctx.uow:
        new_uuid = await service.create_zaak(ctx, body)
    # Read back after the commit, so the identificatie counter is not held while the answer is built.
    async with ctx.uow:
        out = await reading.read_zaak(ctx, new_uuid, scope=None, activiteit="zaak-registreren", handeling="schrijven")
    response.headers["Location"] = out["url"]
    _crs_header(response)
    return out


@router.get("/zaken/{uuid}", tags=["zaken"])
async def zaak_read(uuid: uuid.UUID, ctx: Context, response: Response, _crs: Crs,
                    expand_: Annotated[str | None, Query(alias="expand", max_length=300)] = None) -> dict[str, Any]:
    _require(ctx, "zaken.lezen")
    expand_paths = expand.parse(expand_)
    async with ctx.uow:
        out = await reading.read_zaak(ctx, str(uuid))
        await expand.apply(ctx, [out], expand_paths)
    _crs_header(response)
    return out


@router.put("/zaken/{uuid}", tags=["zaken"])
async def zaak_update(uuid: uuid.UUID, body: PatchBody, ctx: Context, response: Response, _crs: Crs) -> dict[str, Any]:
    _require(ctx, "zaken.bijwerken")
    async with ctx.uow:
        await service.update_zaak(ctx, str(uuid), body, partial=False)
        out = await reading.read_zaak(ctx, str(uuid), scope=None, activiteit="zaak-bijwerken", handeling="schrijven")
    _crs_header(response)
    return out


@router.patch("/zaken/{uuid}", tags=["zaken"])
async def zaak_partial_update(uuid: uuid.UUID, body: PatchBody, ctx: Context, response: Response,
                              _crs: Crs) -> dict[str, Any]:
    _require(ctx, "zaken.bijwerken")
    async with ctx.uow:
        await service.update_zaak(ctx, str(uuid), body, partial=True)
        out = await reading.read_zaak(ctx, str(uuid), scope=None, activiteit="zaak-bijwerken", handeling="schrijven")
    _crs_header(response)
    return out


@router.delete("/zaken/{uuid}", status_code=204, tags=["zaken"])
async def zaak_delete(uuid: uuid.UUID, ctx: Context) -> Response:
    _require(ctx, "zaken.verwijderen")
    async with ctx.uow:
        relaties = await service.delete_zaak(ctx, str(uuid))
    # Its zaakinformatieobjecten went with it; their side in the Documenten API goes now.
    for informatieobject in relaties:
        try:
            await informatieobjecten.documenten(ctx.request).delete_oio(informatieobject, ctx.url("zaken", str(uuid)))
        except RelatieFout as exc:
            log.warning("the relation of deleted zaak %s to %s stays in the Documenten API: %s", uuid,
                        informatieobject, exc)
    return Response(status_code=204)


# --- the resources under a zaak ----------------------------------------------------------------------------


# What a read of rows records in the verwerkingenlog (zaken.verwerking), in the read's own transaction.
Vastleggen = Callable[[Ctx, list[Any]], Awaitable[None]]


async def _one(ctx: Ctx, stmt: Select[Any], serialize: Callable[[Ctx, Any], dict[str, Any]],
               scope: str | None = "zaken.lezen", vastleggen: Vastleggen | None = None) -> dict[str, Any]:
    unfiltered = stmt
    if scope is not None:
        stmt = stmt.where(visible_zaak(ctx, scope))
    async with ctx.uow:
        row = (await ctx.session.execute(stmt)).first()
        if row is None:
            raise await refused_or_absent(ctx.session, unfiltered)
        if vastleggen is not None:
            await vastleggen(ctx, [row])
    return serialize(ctx, row)


async def _list(ctx: Ctx, stmt: Select[Any], pagination: Any, serialize: Callable[[Ctx, Any], dict[str, Any]],
                vastleggen: Vastleggen | None = None) -> dict[str, Any]:
    _require(ctx, "zaken.lezen")
    stmt = stmt.where(visible_zaak(ctx))
    shown: list[Any] = []

    def out(row: Any) -> dict[str, Any]:
        shown.append(row)
        return serialize(ctx, row)

    async with ctx.uow:
        page = await paginate(ctx.session, stmt, pagination, ctx.request, out)
        if vastleggen is not None:
            await vastleggen(ctx, shown)
    return page


def _type_filter(request: Request, stmt: Select[Any], value: str | None, table: Any, collection: str) -> Select[Any]:
    if value is None:
        return stmt
    found = uuid_from_url(request, value, CATALOGI_PREFIX, collection)
    return stmt.where(table.c.uuid == found) if found else stmt.where(table.c.id.is_(None))


@router.get("/statussen", tags=["statussen"])
async def status_list(ctx: Context, pagination: Pagination, zaak: UrlQuery = None, statustype: UrlQuery = None,
                      indicatie_laatst: Annotated[bool | None, Query(alias="indicatieLaatstGezetteStatus")] = None,
                      ) -> dict[str, Any]:
    stmt = queries.zaak_url_filter(ctx.request, zaak, zaken.c.uuid, subresources.status_select())
    stmt = _type_filter(ctx.request, stmt, statustype, statustypen, "statustypen")
    if indicatie_laatst is not None:
        stmt = stmt.where(statussen.c.id == zaken.c.status_id if indicatie_laatst
                          else (zaken.c.status_id != statussen.c.id))
    return await _list(ctx, stmt.order_by(statussen.c.id), pagination, subresources.serialize_status)


@router.post("/statussen", status_code=201, tags=["statussen"])
async def status_create(body: schemas.StatusIn, ctx: Context, response: Response) -> dict[str, Any]:
    _require(ctx, "zaken.statussen.toevoegen", "zaken.bijwerken", "zaken.aanmaken")
    async with ctx.uow:
        new_uuid = await subresources.create_status(ctx, body)
        row = (await ctx.session.execute(subresources.status_select().where(statussen.c.uuid == new_uuid))).one()
    out = subresources.serialize_status(ctx, row)
    response.headers["Location"] = out["url"]
    return out


@router.get("/statussen/{uuid}", tags=["statussen"])
async def status_read(uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    _require(ctx, "zaken.lezen")
    return await _one(ctx, subresources.status_select().where(statussen.c.uuid == str(uuid)),
                      subresources.serialize_status)


@router.get("/rollen", tags=["rollen"])
async def rol_list(
    ctx: Context, pagination: Pagination, zaak: UrlQuery = None, betrokkene: UrlQuery = None,
    betrokkene_type: Annotated[schemas.BetrokkeneType | None, Query(alias="betrokkeneType")] = None,
    roltype: UrlQuery = None, omschrijving: Annotated[str | None, Query(max_length=100)] = None,
    omschrijving_generiek: Annotated[schemas.OmschrijvingGeneriek | None, Query(alias="omschrijvingGeneriek")] = None,
    # The standard gives this filter no length (the field has 24): a longer value finds nothing, it is no error.
    medewerker: Annotated[str | None, Query(alias="betrokkeneIdentificatie__medewerker__identificatie",
                                            max_length=255)] = None,
) -> dict[str, Any]:
    stmt = queries.zaak_url_filter(ctx.request, zaak, zaken.c.uuid, subresources.rol_select())
    stmt = _type_filter(ctx.request, stmt, roltype, roltypen, "roltypen")
    for value, column in ((betrokkene, rollen.c.betrokkene), (betrokkene_type, rollen.c.betrokkene_type),
                          (omschrijving, rollen.c.omschrijving),
                          (omschrijving_generiek, rollen.c.omschrijving_generiek),
                          (medewerker, rollen.c.medewerker_identificatie)):
        if value is not None:
            stmt = stmt.where(column == value)
    return await _list(ctx, stmt.order_by(rollen.c.id), pagination, subresources.serialize_rol,
                       verwerking.rollen_gelezen)


@router.post("/rollen", status_code=201, tags=["rollen"])
async def rol_create(body: schemas.RolIn, ctx: Context, response: Response) -> dict[str, Any]:
    _require(ctx, "zaken.bijwerken", "zaken.aanmaken")
    async with ctx.uow:
        new_uuid = await subresources.create_rol(ctx, body)
        row = (await ctx.session.execute(subresources.rol_select().where(rollen.c.uuid == new_uuid))).one()
        await verwerking.rollen_gelezen(ctx, [row], activiteit="rol-toevoegen", handeling="schrijven")
    out = subresources.serialize_rol(ctx, row)
    response.headers["Location"] = out["url"]
    return out


@router.get("/rollen/{uuid}", tags=["rollen"])
async def rol_read(uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    _require(ctx, "zaken.lezen")
    return await _one(ctx, subresources.rol_select().where(rollen.c.uuid == str(uuid)), subresources.serialize_rol,
                      vastleggen=verwerking.rollen_gelezen)


@router.delete("/rollen/{uuid}", status_code=204, tags=["rollen"])
async def rol_delete(uuid: uuid.UUID, ctx: Context) -> Response:
    _require(ctx, "zaken.bijwerken")
    async with ctx.uow:
        await subresources.delete_rol(ctx, str(uuid))
    return Response(status_code=204)


@router.get("/resultaten", tags=["resultaten"])
async def resultaat_list(ctx: Context, pagination: Pagination, zaak: UrlQuery = None,
                         resultaattype: UrlQuery = None) -> dict[str, Any]:
    stmt = queries.zaak_url_filter(ctx.request, zaak, zaken.c.uuid, subresources.resultaat_select())
    stmt = _type_filter(ctx.request, stmt, resultaattype, resultaattypen, "resultaattypen")
    return await _list(ctx, stmt.order_by(resultaten.c.id), pagination, subresources.serialize_resultaat)


@router.post("/resultaten", status_code=201, tags=["resultaten"])
async def resultaat_create(body: schemas.ResultaatIn, ctx: Context, response: Response) -> dict[str, Any]:
    _require(ctx, "zaken.bijwerken")
    async with ctx.uow:
        new_uuid = await subresources.create_resultaat(ctx, body)
        row = (await ctx.session.execute(subresources.resultaat_select().where(resultaten.c.uuid == new_uuid))).one()
    out = subresources.serialize_resultaat(ctx, row)
    response.headers["Location"] = out["url"]
    return out


@router.get("/resultaten/{uuid}", tags=["resultaten"])
async def resultaat_read(uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    _require(ctx, "zaken.lezen")
    return await _one(ctx, subresources.resultaat_select().where(resultaten.c.uuid == str(uuid)),
                      subresources.serialize_resultaat)


async def _write_resultaat(ctx: Ctx, resultaat_uuid: str, body: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    _require(ctx, "zaken.bijwerken")
    async with ctx.uow:
        await updates.update_resultaat(ctx, resultaat_uuid, body, partial=partial)
        stmt = subresources.resultaat_select().where(resultaten.c.uuid == resultaat_uuid)
        row = (await ctx.session.execute(stmt)).one()
    return subresources.serialize_resultaat(ctx, row)


@router.put("/resultaten/{uuid}", tags=["resultaten"])
async def resultaat_update(uuid: uuid.UUID, body: PatchBody, ctx: Context) -> dict[str, Any]:
    return await _write_resultaat(ctx, str(uuid), body, partial=False)


@router.patch("/resultaten/{uuid}", tags=["resultaten"])
async def resultaat_partial_update(uuid: uuid.UUID, body: PatchBody, ctx: Context) -> dict[str, Any]:
    return await _write_resultaat(ctx, str(uuid), body, partial=True)


@router.delete("/resultaten/{uuid}", status_code=204, tags=["resultaten"])
async def resultaat_delete(uuid: uuid.UUID, ctx: Context) -> Response:
    _require(ctx, "zaken.bijwerken")
    async with ctx.uow:
        await subresources.delete_resultaat(ctx, str(uuid))
    return Response(status_code=204)


@router.get("/zaakobjecten", tags=["zaakobjecten"])
async def zaakobject_list(ctx: Context, pagination: Pagination, zaak: UrlQuery = None, object: UrlQuery = None,
                          object_type: Annotated[schemas.ObjectType | None, Query(alias="objectType")] = None,
                          ) -> dict[str, Any]:
    stmt = queries.zaak_url_filter(ctx.request, zaak, zaken.c.uuid, subresources.zaakobject_select())
    if object is not None:
        stmt = stmt.where(zaakobjecten.c.object == object)
    if object_type is not None:
        stmt = stmt.where(zaakobjecten.c.object_type == object_type)
    return await _list(ctx, stmt.order_by(zaakobjecten.c.id), pagination, subresources.serialize_zaakobject)


@router.post("/zaakobjecten", status_code=201, tags=["zaakobjecten"])
async def zaakobject_create(body: schemas.ZaakObjectIn, ctx: Context, response: Response) -> dict[str, Any]:
    _require(ctx, "zaken.bijwerken", "zaken.aanmaken")
    async with ctx.uow:
        new_uuid = await subresources.create_zaakobject(ctx, body)
        row = (await ctx.session.execute(subresources.zaakobject_select().where(zaakobjecten.c.uuid == new_uuid))).one()
    out = subresources.serialize_zaakobject(ctx, row)
    response.headers["Location"] = out["url"]
    return out


@router.get("/zaakobjecten/{uuid}", tags=["zaakobjecten"])
async def zaakobject_read(uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    _require(ctx, "zaken.lezen")
    return await _one(ctx, subresources.zaakobject_select().where(zaakobjecten.c.uuid == str(uuid)),
                      subresources.serialize_zaakobject)


async def _write_zaakobject(ctx: Ctx, zaakobject_uuid: str, body: dict[str, Any], *, partial: bool
                            ) -> dict[str, Any]:
    _require(ctx, "zaken.bijwerken")
    async with ctx.uow:
        await updates.update_zaakobject(ctx, zaakobject_uuid, body, partial=partial)
        row = (await ctx.session.execute(subresources.zaakobject_select().where(
            zaakobjecten.c.uuid == zaakobject_uuid))).one()
    return subresources.serialize_zaakobject(ctx, row)


@router.put("/zaakobjecten/{uuid}", tags=["zaakobjecten"])
async def zaakobject_update(uuid: uuid.UUID, body: PatchBody, ctx: Context) -> dict[str, Any]:
    return await _write_zaakobject(ctx, str(uuid), body, partial=False)


@router.patch("/zaakobjecten/{uuid}", tags=["zaakobjecten"])
async def zaakobject_partial_update(uuid: uuid.UUID, body: PatchBody, ctx: Context) -> dict[str, Any]:
    return await _write_zaakobject(ctx, str(uuid), body, partial=True)


@router.delete("/zaakobjecten/{uuid}", status_code=204, tags=["zaakobjecten"])
async def zaakobject_delete(uuid: uuid.UUID, ctx: Context) -> Response:
    _require(ctx, "zaken.bijwerken")
    async with ctx.uow:
        await subresources.delete_zaakobject(ctx, str(uuid))
    return Response(status_code=204)


@router.get("/klantcontacten", tags=["klantcontacten"])
async def klantcontact_list(ctx: Context, pagination: Pagination, zaak: UrlQuery = None) -> dict[str, Any]:
    stmt = queries.zaak_url_filter(ctx.request, zaak, zaken.c.uuid, subresources.klantcontact_select())
    return await _list(ctx, stmt.order_by(klantcontacten.c.id), pagination, subresources.serialize_klantcontact)


@router.post("/klantcontacten", status_code=201, tags=["klantcontacten"])
async def klantcontact_create(body: schemas.KlantContactIn, ctx: Context, response: Response) -> dict[str, Any]:
    _require(ctx, "zaken.bijwerken", "zaken.aanmaken")
    async with ctx.uow:
        new_uuid = await subresources.create_klantcontact(ctx, body)
        row = (await ctx.session.execute(subresources.klantcontact_select()
                                         .where(klantcontacten.c.uuid == new_uuid))).one()
    out = subresources.serialize_klantcontact(ctx, row)
    response.headers["Location"] = out["url"]
    return out


@router.get("/klantcontacten/{uuid}", tags=["klantcontacten"])
async def klantcontact_read(uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    _require(ctx, "zaken.lezen")
    return await _one(ctx, subresources.klantcontact_select().where(klantcontacten.c.uuid == str(uuid)),
                      subresources.serialize_klantcontact)


@router.get("/zaakinformatieobjecten", tags=["zaakinformatieobjecten"])
async def zaakinformatieobject_list(ctx: Context, zaak: UrlQuery = None,
                                    informatieobject: UrlQuery = None) -> list[dict[str, Any]]:
    """Not paginated, as the spec has it."""
    _require(ctx, "zaken.lezen")
    stmt = queries.zaak_url_filter(ctx.request, zaak, zaken.c.uuid, informatieobjecten.select_())
    if informatieobject is not None:
        stmt = stmt.where(zaakinformatieobjecten.c.informatieobject == informatieobject)
    stmt = stmt.where(visible_zaak(ctx)).order_by(zaakinformatieobjecten.c.id).limit(ZIO_LIST_MAX)
    async with ctx.uow:
        rows = (await ctx.session.execute(stmt)).all()
    return [informatieobjecten.serialize(ctx, row) for row in rows]


@router.post("/zaakinformatieobjecten", status_code=201, tags=["zaakinformatieobjecten"])
async def zaakinformatieobject_create(body: schemas.ZaakInformatieObjectIn, ctx: Context,
                                      response: Response) -> dict[str, Any]:
    _require(ctx, "zaken.aanmaken", "zaken.bijwerken", "zaken.geforceerd-bijwerken")
    async with ctx.uow:
        new_uuid = await informatieobjecten.create(ctx, body)
    # Committed first: the Documenten API checks that this side of the relation exists.
    try:
        await informatieobjecten.documenten(ctx.request).create_oio(body.informatieobject, body.zaak, "zaak")
    except RelatieFout as exc:
        async with ctx.uow:
            await informatieobjecten.forget(ctx, new_uuid)
        raise ValidatieFout.single("informatieobject", "pending-relations", str(exc)) from None
    async with ctx.uow:
        await informatieobjecten.registered(ctx, new_uuid)
        row = (await ctx.session.execute(informatieobjecten.select_().where(
            zaakinformatieobjecten.c.uuid == new_uuid))).one()
    out = informatieobjecten.serialize(ctx, row)
    response.headers["Location"] = out["url"]
    return out


@router.get("/zaakinformatieobjecten/{uuid}", tags=["zaakinformatieobjecten"])
async def zaakinformatieobject_read(uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    _require(ctx, "zaken.lezen")
    return await _one(ctx, informatieobjecten.select_().where(zaakinformatieobjecten.c.uuid == str(uuid)),
                      informatieobjecten.serialize)


async def _write_zaakinformatieobject(ctx: Ctx, zio_uuid: str, body: dict[str, Any], *, partial: bool
                                      ) -> dict[str, Any]:
    _require(ctx, "zaken.bijwerken", "zaken.geforceerd-bijwerken")
    async with ctx.uow:
        await informatieobjecten.update_(ctx, zio_uuid, body, partial=partial)
        row = (await ctx.session.execute(informatieobjecten.select_().where(
            zaakinformatieobjecten.c.uuid == zio_uuid))).one()
    return informatieobjecten.serialize(ctx, row)


@router.put("/zaakinformatieobjecten/{uuid}", tags=["zaakinformatieobjecten"])
async def zaakinformatieobject_update(uuid: uuid.UUID, body: PatchBody, ctx: Context) -> dict[str, Any]:
    return await _write_zaakinformatieobject(ctx, str(uuid), body, partial=False)


@router.patch("/zaakinformatieobjecten/{uuid}", tags=["zaakinformatieobjecten"])
async def zaakinformatieobject_partial_update(uuid: uuid.UUID, body: PatchBody, ctx: Context) -> dict[str, Any]:
    return await _write_zaakinformatieobject(ctx, str(uuid), body, partial=True)


@router.delete("/zaakinformatieobjecten/{uuid}", status_code=204, tags=["zaakinformatieobjecten"])
async def zaakinformatieobject_delete(uuid: uuid.UUID, ctx: Context) -> Response:
    _require(ctx, "zaken.bijwerken", "zaken.geforceerd-bijwerken", "zaken.verwijderen")
    async with ctx.uow:
        row = await informatieobjecten.delete_(ctx, str(uuid))
    try:
        await informatieobjecten.documenten(ctx.request).delete_oio(row.informatieobject,
                                                                    ctx.url("zaken", row.zaak_uuid))
    except RelatieFout as exc:
        async with ctx.uow:
            await informatieobjecten.restore(ctx, row)
        raise ValidatieFout.single("informatieobject", "pending-relations", str(exc)) from None
    async with ctx.uow:
        await informatieobjecten.removed(ctx, row)
    return Response(status_code=204)


@router.get("/zaken/{zaak_uuid}/zaakeigenschappen", tags=["zaken"])
async def zaakeigenschap_list(zaak_uuid: uuid.UUID, ctx: Context) -> list[dict[str, Any]]:
    _require(ctx, "zaken.lezen")
    async with ctx.uow:
        await reading.read_zaak(ctx, str(zaak_uuid), activiteit="zaakeigenschappen-raadplegen")
        rows = (await ctx.session.execute(subresources.zaakeigenschap_select().where(
            zaken.c.uuid == str(zaak_uuid)).order_by(zaakeigenschappen.c.id))).all()
    return [subresources.serialize_zaakeigenschap(ctx, r) for r in rows]


@router.post("/zaken/{zaak_uuid}/zaakeigenschappen", status_code=201, tags=["zaken"])
async def zaakeigenschap_create(zaak_uuid: uuid.UUID, body: schemas.ZaakEigenschapIn, ctx: Context,
                                response: Response) -> dict[str, Any]:
    _require(ctx, "zaken.bijwerken")
    async with ctx.uow:
        new_uuid = await subresources.create_zaakeigenschap(ctx, str(zaak_uuid), body)
        row = (await ctx.session.execute(subresources.zaakeigenschap_select()
                                         .where(zaakeigenschappen.c.uuid == new_uuid))).one()
    out = subresources.serialize_zaakeigenschap(ctx, row)
    response.headers["Location"] = out["url"]
    return out


@router.get("/zaken/{zaak_uuid}/zaakeigenschappen/{uuid}", tags=["zaken"])
async def zaakeigenschap_read(zaak_uuid: uuid.UUID, uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    _require(ctx, "zaken.lezen")
    return await _one(ctx, subresources.zaakeigenschap_select().where(
        zaken.c.uuid == str(zaak_uuid), zaakeigenschappen.c.uuid == str(uuid)), subresources.serialize_zaakeigenschap)


async def _write_zaakeigenschap(ctx: Ctx, zaak_uuid: str, eigenschap_uuid: str, body: dict[str, Any], *,
                                partial: bool) -> dict[str, Any]:
    _require(ctx, "zaken.bijwerken")
    async with ctx.uow:
        await updates.update_zaakeigenschap(ctx, zaak_uuid, eigenschap_uuid, body, partial=partial)
        row = (await ctx.session.execute(subresources.zaakeigenschap_select().where(
            zaakeigenschappen.c.uuid == eigenschap_uuid))).one()
    return subresources.serialize_zaakeigenschap(ctx, row)


@router.put("/zaken/{zaak_uuid}/zaakeigenschappen/{uuid}", tags=["zaken"])
async def zaakeigenschap_update(zaak_uuid: uuid.UUID, uuid: uuid.UUID, body: PatchBody,
                                ctx: Context) -> dict[str, Any]:
    return await _write_zaakeigenschap(ctx, str(zaak_uuid), str(uuid), body, partial=False)


@router.patch("/zaken/{zaak_uuid}/zaakeigenschappen/{uuid}", tags=["zaken"])
async def zaakeigenschap_partial_update(zaak_uuid: uuid.UUID, uuid: uuid.UUID, body: PatchBody,
                                        ctx: Context) -> dict[str, Any]:
    return await _write_zaakeigenschap(ctx, str(zaak_uuid), str(uuid), body, partial=True)


@router.delete("/zaken/{zaak_uuid}/zaakeigenschappen/{uuid}", status_code=204, tags=["zaken"])
async def zaakeigenschap_delete(zaak_uuid: uuid.UUID, uuid: uuid.UUID, ctx: Context) -> Response:
    _require(ctx, "zaken.bijwerken")
    async with ctx.uow:
        await updates.delete_zaakeigenschap(ctx, str(zaak_uuid), str(uuid))
    return Response(status_code=204)


@router.get("/zaken/{zaak_uuid}/besluiten", tags=["zaken"])
async def zaakbesluit_list(zaak_uuid: uuid.UUID, ctx: Context) -> list[dict[str, Any]]:
    """Not paginated, as the spec has it."""
    _require(ctx, "zaken.lezen")
    async with ctx.uow:
        await reading.read_zaak(ctx, str(zaak_uuid), activiteit="zaakbesluiten-raadplegen")
        rows = (await ctx.session.execute(besluiten.select_().where(
            zaken.c.uuid == str(zaak_uuid)).order_by(zaakbesluiten.c.id))).all()
    return [besluiten.serialize(ctx, r) for r in rows]


@router.post("/zaken/{zaak_uuid}/besluiten", status_code=201, tags=["zaken"])
async def zaakbesluit_create(zaak_uuid: uuid.UUID, body: schemas.ZaakBesluitIn, ctx: Context,
                             response: Response) -> dict[str, Any]:
    _require(ctx, *besluiten.WRITE_SCOPES)
    async with ctx.uow:
        new_uuid = await besluiten.create(ctx, str(zaak_uuid), body)
        row = (await ctx.session.execute(besluiten.select_().where(zaakbesluiten.c.uuid == new_uuid))).one()
    out = besluiten.serialize(ctx, row)
    response.headers["Location"] = out["url"]
    return out


@router.get("/zaken/{zaak_uuid}/besluiten/{uuid}", tags=["zaken"])
async def zaakbesluit_read(zaak_uuid: uuid.UUID, uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    _require(ctx, "zaken.lezen")
    return await _one(ctx, besluiten.select_().where(zaken.c.uuid == str(zaak_uuid),
                                                     zaakbesluiten.c.uuid == str(uuid)), besluiten.serialize)


@router.delete("/zaken/{zaak_uuid}/besluiten/{uuid}", status_code=204, tags=["zaken"])
async def zaakbesluit_delete(zaak_uuid: uuid.UUID, uuid: uuid.UUID, ctx: Context) -> Response:
    _require(ctx, *besluiten.WRITE_SCOPES)
    async with ctx.uow:
        await besluiten.delete_(ctx, str(zaak_uuid), str(uuid))
    return Response(status_code=204)


@router.get("/zaken/{zaak_uuid}/audittrail", tags=["zaken"])
async def audittrail_list(zaak_uuid: uuid.UUID, ctx: Context) -> list[dict[str, Any]]:
    _require(ctx, "audittrails.lezen")
    async with ctx.uow:
        await reading.read_zaak(ctx, str(zaak_uuid), scope="audittrails.lezen", activiteit="audittrail-raadplegen")
        rows = (await ctx.session.execute(select(audittrail.c.gegevens).where(
            audittrail.c.zaak_uuid == str(zaak_uuid)).order_by(audittrail.c.id))).all()
    return [r.gegevens for r in rows]


@router.get("/zaken/{zaak_uuid}/audittrail/{uuid}", tags=["zaken"])
async def audittrail_read(zaak_uuid: uuid.UUID, uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    _require(ctx, "audittrails.lezen")
    async with ctx.uow:
        await reading.read_zaak(ctx, str(zaak_uuid), scope="audittrails.lezen", activiteit="audittrail-raadplegen")
        row = (await ctx.session.execute(select(audittrail.c.gegevens).where(
            audittrail.c.zaak_uuid == str(zaak_uuid), audittrail.c.uuid == str(uuid)))).first()
    if row is None:
        raise NotFound()
    return row.gegevens
