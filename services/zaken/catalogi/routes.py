"""HTTP routes of the Catalogi API 1.3.1: catalogussen, zaaktypen and the types under a zaaktype, besluittypen and
informatieobjecttypen. Every read is narrowed to what the client's ``catalogi`` grants show (``catalogi.authz``)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from sds.runtime.app import Uow
from sds.runtime.auth import Auth, AuthContext
from sds.runtime.errors import PermissionDenied
from sds.runtime.pagination import Pagination, paginate
from sds.runtime.scopes import CATALOGI_GEFORCEERD_VERWIJDEREN, CATALOGI_LEZEN, CATALOGI_SCHRIJVEN, ZTC
from services.zaken.catalogi import authz, schemas, service, typen
from services.zaken.catalogi.models import catalogussen
from services.zaken.common import CATALOGI_PREFIX, PatchBody, refused_or_absent, resource_url, split_csv

router = APIRouter()


async def _can_read(auth: Auth) -> AuthContext:
    auth.require_scope(ZTC, CATALOGI_LEZEN)
    return auth


async def _can_write(auth: Auth) -> AuthContext:
    auth.require_scope(ZTC, CATALOGI_SCHRIJVEN)
    return auth


async def _can_delete(auth: Auth) -> AuthContext:
    # The standard's (catalogi.schrijven | catalogi.geforceerd-verwijderen); the object decides which it needs.
    if not auth.has_scope(ZTC, CATALOGI_GEFORCEERD_VERWIJDEREN):
        auth.require_scope(ZTC, CATALOGI_SCHRIJVEN)
    return auth


Reader = Annotated[AuthContext, Depends(_can_read)]
Writer = Annotated[AuthContext, Depends(_can_write)]
Deleter = Annotated[AuthContext, Depends(_can_delete)]
StatusFilter = Annotated[str | None, Query(pattern="^(alles|concept|definitief)$",
                                           description="alles, concept of definitief (standaard)")]
UrlFilter = Annotated[str | None, Query(max_length=1000)]


# --- catalogussen -------------------------------------------------------------------------------------


@router.get("/catalogussen", tags=["catalogussen"])
async def catalogus_list(
    request: Request, uow: Uow, pagination: Pagination, auth: Reader,
    domein: Annotated[str | None, Query(max_length=5)] = None,
    domein__in: Annotated[str | None, Query(max_length=1000)] = None,
    rsin: Annotated[str | None, Query(max_length=9)] = None,
    rsin__in: Annotated[str | None, Query(max_length=1000)] = None,
) -> dict[str, Any]:
    stmt = service.catalogus_query().where(authz.catalogus_clause(request, auth, catalogussen.c.id))
    if domein is not None:
        stmt = stmt.where(catalogussen.c.domein == domein)
    if (values := split_csv(domein__in, "domein__in")) is not None:
        stmt = stmt.where(catalogussen.c.domein.in_(values))
    if rsin is not None:
        stmt = stmt.where(catalogussen.c.rsin == rsin)
    if (values := split_csv(rsin__in, "rsin__in")) is not None:
        stmt = stmt.where(catalogussen.c.rsin.in_(values))
    async with uow:
        page = await paginate(uow.session, stmt, pagination, request, lambda row: row)
        children = await service.catalogus_children(uow.session, [r.id for r in page["results"]], request, auth)
    page["results"] = [service.serialize_catalogus(request, r, children[r.id]) for r in page["results"]]
    return page


@router.post("/catalogussen", status_code=201, tags=["catalogussen"])
async def catalogus_create(body: schemas.CatalogusIn, request: Request, response: Response, uow: Uow,
                           auth: Writer) -> dict[str, Any]:
    if not authz.covers_all(auth, "catalogi.schrijven"):
        # A grant narrowed to a catalogus or kolom covers what exists there, not a new catalogus.
        raise PermissionDenied("Alleen een applicatie met rechten op de hele catalogi mag een catalogus aanmaken.")
    async with uow:
        new_uuid = await service.create_catalogus(uow.session, body)
    out = await _catalogus(request, uow, auth, new_uuid)
    response.headers["Location"] = out["url"]
    return out


@router.get("/catalogussen/{uuid}", tags=["catalogussen"])
async def catalogus_read(uuid: uuid.UUID, request: Request, uow: Uow, auth: Reader) -> dict[str, Any]:
    return await _catalogus(request, uow, auth, str(uuid))


async def _catalogus(request: Request, uow: Uow, auth: AuthContext, catalogus_uuid: str) -> dict[str, Any]:
    async with uow:
        unfiltered = service.catalogus_query().where(catalogussen.c.uuid == catalogus_uuid)
        row = (await uow.session.execute(unfiltered.where(
            authz.catalogus_clause(request, auth, catalogussen.c.id)))).first()
        if row is None:
            raise await refused_or_absent(uow.session, unfiltered)
        children = await service.catalogus_children(uow.session, [row.id], request, auth)
    return service.serialize_catalogus(request, row, children[row.id])


# --- zaaktypen ----------------------------------------------------------------------------------------


@router.get("/zaaktypen", tags=["zaaktypen"])
async def zaaktype_list(
    request: Request, uow: Uow, pagination: Pagination, auth: Reader,
    catalogus: UrlFilter = None,
    identificatie: Annotated[str | None, Query(max_length=50)] = None,
    trefwoorden: Annotated[list[Annotated[str, Query(max_length=30)]] | None, Query(max_length=20)] = None,
    status: StatusFilter = None,
    datum_geldigheid: Annotated[date | None, Query(alias="datumGeldigheid")] = None,
) -> dict[str, Any]:
    stmt = service.zaaktype_list_query(request, catalogus=catalogus, identificatie=identificatie,
                                       trefwoorden=trefwoorden, status=status, datum_geldigheid=datum_geldigheid,
                                       auth=auth)
    async with uow:
        page = await paginate(uow.session, stmt, pagination, request, lambda row: row)
        children = await service.zaaktype_children(uow.session, [r.id for r in page["results"]])
    page["results"] = [service.serialize_zaaktype(request, r, children[r.id]) for r in page["results"]]
    return page


@router.post("/zaaktypen", status_code=201, tags=["zaaktypen"])
async def zaaktype_create(body: schemas.ZaakTypeIn, request: Request, response: Response, uow: Uow,
                          auth: Writer) -> dict[str, Any]:
    async with uow:
        new_uuid = await service.create_zaaktype(uow.session, request, body, auth)
    out = await _zaaktype(request, uow, auth, new_uuid)
    response.headers["Location"] = out["url"]
    return out


@router.get("/zaaktypen/{uuid}", tags=["zaaktypen"])
async def zaaktype_read(uuid: uuid.UUID, request: Request, uow: Uow, auth: Reader) -> dict[str, Any]:
    return await _zaaktype(request, uow, auth, str(uuid))


@router.put("/zaaktypen/{uuid}", tags=["zaaktypen"])
async def zaaktype_update(uuid: uuid.UUID, body: PatchBody, request: Request, uow: Uow,
                          auth: Writer) -> dict[str, Any]:
    async with uow:
        await service.update_zaaktype(uow.session, request, str(uuid), body, partial=False, auth=auth)
    return await _zaaktype(request, uow, auth, str(uuid))


@router.patch("/zaaktypen/{uuid}", tags=["zaaktypen"])
async def zaaktype_partial_update(uuid: uuid.UUID, body: PatchBody, request: Request, uow: Uow,
                                  auth: Writer) -> dict[str, Any]:
    async with uow:
        await service.update_zaaktype(uow.session, request, str(uuid), body, partial=True, auth=auth)
    return await _zaaktype(request, uow, auth, str(uuid))


@router.delete("/zaaktypen/{uuid}", status_code=204, tags=["zaaktypen"])
async def zaaktype_delete(uuid: uuid.UUID, request: Request, uow: Uow, auth: Deleter) -> Response:
    async with uow:
        await service.delete_zaaktype(uow.session, str(uuid), request, auth)
    return Response(status_code=204)


@router.post("/zaaktypen/{uuid}/publish", tags=["zaaktypen"])
async def zaaktype_publish(uuid: uuid.UUID, request: Request, uow: Uow, auth: Writer) -> dict[str, Any]:
    async with uow:
        await service.publish_zaaktype(uow.session, str(uuid), request, auth)
    return await _zaaktype(request, uow, auth, str(uuid))


async def _zaaktype(request: Request, uow: Uow, auth: AuthContext, zaaktype_uuid: str) -> dict[str, Any]:
    async with uow:
        row = await service.get_zaaktype_row(uow.session, zaaktype_uuid, request=request, auth=auth)
        children = await service.zaaktype_children(uow.session, [row.id])
    return service.serialize_zaaktype(request, row, children[row.id])


# --- statustypen, roltypen, resultaattypen, eigenschappen, zaakobjecttypen ---------------------------------


async def _subtype_page(request: Request, uow: Uow, kind: service.SubType, stmt: Any,
                        pagination: Any) -> dict[str, Any]:
    async with uow:
        page = await paginate(uow.session, stmt, pagination, request, lambda row: row)
        extras = await service.subtype_extras(uow.session, kind, page["results"])
    page["results"] = [service.serialize_subtype(request, kind, r, extras[r.id]) for r in page["results"]]
    return page


def _add_subtype_routes(kind: service.SubType) -> None:
    coll = kind.collection
    model = kind.model

    async def read_one(request: Request, uow: Uow, auth: AuthContext, sub_uuid: str) -> dict[str, Any]:
        async with uow:
            row = await service.get_subtype_row(uow.session, kind, sub_uuid, request, auth)
            extras = await service.subtype_extras(uow.session, kind, [row])
        return service.serialize_subtype(request, kind, row, extras[row.id])

    async def list_(
        request: Request, uow: Uow, pagination: Pagination, auth: Reader,
        zaaktype: UrlFilter = None,
        zaaktype_identificatie: Annotated[str | None, Query(alias="zaaktypeIdentificatie", max_length=50)] = None,
        status: StatusFilter = None,
        datum_geldigheid: Annotated[date | None, Query(alias="datumGeldigheid")] = None,
    ) -> dict[str, Any]:
        stmt = service.subtype_list_query(request, kind, zaaktype=zaaktype,
                                          zaaktype_identificatie=zaaktype_identificatie, status=status,
                                          datum_geldigheid=datum_geldigheid, auth=auth)
        return await _subtype_page(request, uow, kind, stmt, pagination)

    async def create(body: model, request: Request, response: Response, uow: Uow,  # type: ignore[valid-type]
                     auth: Writer) -> dict[str, Any]:
        async with uow:
            new_uuid = await service.create_subtype(uow.session, request, kind, body, auth)
        out = await read_one(request, uow, auth, new_uuid)
        response.headers["Location"] = resource_url(request, CATALOGI_PREFIX, coll, new_uuid)
        return out

    async def read(uuid: uuid.UUID, request: Request, uow: Uow, auth: Reader) -> dict[str, Any]:
        return await read_one(request, uow, auth, str(uuid))

    async def put(uuid: uuid.UUID, body: PatchBody, request: Request, uow: Uow, auth: Writer) -> dict[str, Any]:
        async with uow:
            await service.update_subtype(uow.session, request, kind, str(uuid), body, partial=False, auth=auth)
        return await read_one(request, uow, auth, str(uuid))

    async def patch(uuid: uuid.UUID, body: PatchBody, request: Request, uow: Uow, auth: Writer) -> dict[str, Any]:
        async with uow:
            await service.update_subtype(uow.session, request, kind, str(uuid), body, partial=True, auth=auth)
        return await read_one(request, uow, auth, str(uuid))

    async def remove(uuid: uuid.UUID, request: Request, uow: Uow, auth: Deleter) -> Response:
        async with uow:
            await service.delete_subtype(uow.session, request, kind, str(uuid), auth)
        return Response(status_code=204)

    # Annotations are strings here (postponed evaluation); the body model is a closure variable, so hand
    # FastAPI the class itself.
    create.__annotations__["body"] = model

    if coll == "roltypen":
        # The spec's extra filter on roltypen, declared so it is validated and documented.
        async def list_roltypen(
            request: Request, uow: Uow, pagination: Pagination, auth: Reader,
            zaaktype: UrlFilter = None,
            zaaktype_identificatie: Annotated[str | None, Query(alias="zaaktypeIdentificatie", max_length=50)] = None,
            omschrijving_generiek: Annotated[schemas.OmschrijvingGeneriek | None,
                                             Query(alias="omschrijvingGeneriek")] = None,
            status: StatusFilter = None,
            datum_geldigheid: Annotated[date | None, Query(alias="datumGeldigheid")] = None,
        ) -> dict[str, Any]:
            stmt = service.subtype_list_query(request, kind, zaaktype=zaaktype,
                                              zaaktype_identificatie=zaaktype_identificatie, status=status,
                                              datum_geldigheid=datum_geldigheid,
                                              omschrijving_generiek=omschrijving_generiek, auth=auth)
            return await _subtype_page(request, uow, kind, stmt, pagination)

        router.add_api_route(f"/{coll}", list_roltypen, methods=["GET"], tags=[coll], name=f"{coll}_list")
    elif coll == "resultaattypen":
        # Catalogi 1.3.1 spells these two filters in snake_case on resultaattypen only.
        async def list_resultaattypen(
            request: Request, uow: Uow, pagination: Pagination, auth: Reader,
            zaaktype: UrlFilter = None,
            zaaktype_identificatie: Annotated[str | None, Query(max_length=50)] = None,
            status: StatusFilter = None,
            datum_geldigheid: date | None = None,
        ) -> dict[str, Any]:
            stmt = service.subtype_list_query(request, kind, zaaktype=zaaktype,
                                              zaaktype_identificatie=zaaktype_identificatie, status=status,
                                              datum_geldigheid=datum_geldigheid, auth=auth)
            return await _subtype_page(request, uow, kind, stmt, pagination)

        router.add_api_route(f"/{coll}", list_resultaattypen, methods=["GET"], tags=[coll], name=f"{coll}_list")
    elif coll == "zaakobjecttypen":
        # No status filter here in the spec: the zaakobjecttypen of concept and published zaaktypen alike.
        async def list_zaakobjecttypen(
            request: Request, uow: Uow, pagination: Pagination, auth: Reader,
            ander_objecttype: Annotated[bool | None, Query(alias="anderObjecttype")] = None,
            catalogus: UrlFilter = None,
            datum_begin_geldigheid: Annotated[date | None, Query(alias="datumBeginGeldigheid")] = None,
            datum_einde_geldigheid: Annotated[date | None, Query(alias="datumEindeGeldigheid")] = None,
            datum_geldigheid: Annotated[date | None, Query(alias="datumGeldigheid")] = None,
            objecttype: UrlFilter = None,
            relatie_omschrijving: Annotated[str | None, Query(alias="relatieOmschrijving", max_length=80)] = None,
            zaaktype: UrlFilter = None,
            zaaktype_identificatie: Annotated[str | None, Query(alias="zaaktypeIdentificatie", max_length=50)] = None,
        ) -> dict[str, Any]:
            stmt = service.subtype_list_query(request, kind, zaaktype=zaaktype,
                                              zaaktype_identificatie=zaaktype_identificatie, status="alles",
                                              datum_geldigheid=datum_geldigheid, auth=auth)
            stmt = service.zaakobjecttype_filters(
                request, stmt, catalogus=catalogus, ander_objecttype=ander_objecttype,
                datum_begin_geldigheid=datum_begin_geldigheid, datum_einde_geldigheid=datum_einde_geldigheid,
                objecttype=objecttype, relatie_omschrijving=relatie_omschrijving)
            return await _subtype_page(request, uow, kind, stmt, pagination)

        router.add_api_route(f"/{coll}", list_zaakobjecttypen, methods=["GET"], tags=[coll], name=f"{coll}_list")
    elif coll == service.ZTIOT:
        async def list_ztiot(
            request: Request, uow: Uow, pagination: Pagination, auth: Reader,
            zaaktype: UrlFilter = None, informatieobjecttype: UrlFilter = None,
            richting: Annotated[Literal["inkomend", "intern", "uitgaand"] | None, Query()] = None,
            status: StatusFilter = None,
        ) -> dict[str, Any]:
            stmt = service.subtype_list_query(request, kind, zaaktype=zaaktype, zaaktype_identificatie=None,
                                              status=status, datum_geldigheid=None, auth=auth)
            stmt = service.ztiot_filters(request, stmt, informatieobjecttype=informatieobjecttype, richting=richting)
            return await _subtype_page(request, uow, kind, stmt, pagination)

        router.add_api_route(f"/{coll}", list_ztiot, methods=["GET"], tags=[coll], name=f"{coll}_list")
    else:
        router.add_api_route(f"/{coll}", list_, methods=["GET"], tags=[coll], name=f"{coll}_list")
    router.add_api_route(f"/{coll}", create, methods=["POST"], status_code=201, tags=[coll], name=f"{coll}_create")
    router.add_api_route(f"/{coll}/{{uuid}}", read, methods=["GET"], tags=[coll], name=f"{coll}_read")
    router.add_api_route(f"/{coll}/{{uuid}}", put, methods=["PUT"], tags=[coll], name=f"{coll}_update")
    router.add_api_route(f"/{coll}/{{uuid}}", patch, methods=["PATCH"], tags=[coll], name=f"{coll}_partial_update")
    router.add_api_route(f"/{coll}/{{uuid}}", remove, methods=["DELETE"], status_code=204, tags=[coll],
                         name=f"{coll}_delete")


for _kind in service.SUBTYPES.values():
    _add_subtype_routes(_kind)


# --- besluittypen, informatieobjecttypen -----------------------------------------------------------------


def _add_catalogus_type_routes(kind: typen.CatalogusType) -> None:
    coll = kind.collection

    async def read_one(request: Request, uow: Uow, auth: AuthContext, type_uuid: str) -> dict[str, Any]:
        async with uow:
            row = await typen.get_row(uow.session, request, auth, kind, type_uuid)
            return (await typen.serialize_many(uow.session, request, kind, [row]))[0]

    async def page(request: Request, uow: Uow, stmt: Any, pagination: Any) -> dict[str, Any]:
        async with uow:
            out = await paginate(uow.session, stmt, pagination, request, lambda row: row)
            out["results"] = await typen.serialize_many(uow.session, request, kind, out["results"])
        return out

    async def create(body: schemas.Geldigheid, request: Request, response: Response, uow: Uow,
                     auth: Writer) -> dict[str, Any]:
        async with uow:
            new_uuid = await typen.create(uow.session, request, auth, kind, body)
        out = await read_one(request, uow, auth, new_uuid)
        response.headers["Location"] = out["url"]
        return out

    async def read(uuid: uuid.UUID, request: Request, uow: Uow, auth: Reader) -> dict[str, Any]:
        return await read_one(request, uow, auth, str(uuid))

    async def put(uuid: uuid.UUID, body: PatchBody, request: Request, uow: Uow, auth: Writer) -> dict[str, Any]:
        async with uow:
            await typen.update_(uow.session, request, auth, kind, str(uuid), body, partial=False)
        return await read_one(request, uow, auth, str(uuid))

    async def patch(uuid: uuid.UUID, body: PatchBody, request: Request, uow: Uow, auth: Writer) -> dict[str, Any]:
        async with uow:
            await typen.update_(uow.session, request, auth, kind, str(uuid), body, partial=True)
        return await read_one(request, uow, auth, str(uuid))

    async def remove(uuid: uuid.UUID, request: Request, uow: Uow, auth: Deleter) -> Response:
        async with uow:
            await typen.delete_(uow.session, request, auth, kind, str(uuid))
        return Response(status_code=204)

    async def publish(uuid: uuid.UUID, request: Request, uow: Uow, auth: Writer) -> dict[str, Any]:
        async with uow:
            await typen.publish(uow.session, request, auth, kind, str(uuid))
        return await read_one(request, uow, auth, str(uuid))

    create.__annotations__["body"] = kind.model

    if kind is typen.BESLUITTYPEN:
        async def list_(
            request: Request, uow: Uow, pagination: Pagination, auth: Reader,
            catalogus: UrlFilter = None, zaaktypen: UrlFilter = None, informatieobjecttypen: UrlFilter = None,
            status: StatusFilter = None, omschrijving: Annotated[str | None, Query(max_length=80)] = None,
            datum_geldigheid: Annotated[date | None, Query(alias="datumGeldigheid")] = None,
        ) -> dict[str, Any]:
            stmt = typen.list_query(request, auth, kind, catalogus=catalogus, status=status, omschrijving=omschrijving,
                                    datum_geldigheid=datum_geldigheid, zaaktype=zaaktypen,
                                    informatieobjecttype=informatieobjecttypen)
            return await page(request, uow, stmt, pagination)
    else:
        async def list_(  # type: ignore[misc]
            request: Request, uow: Uow, pagination: Pagination, auth: Reader,
            catalogus: UrlFilter = None, status: StatusFilter = None,
            datum_geldigheid: Annotated[date | None, Query(alias="datumGeldigheid")] = None,
            omschrijving: Annotated[str | None, Query(max_length=80)] = None,
        ) -> dict[str, Any]:
            stmt = typen.list_query(request, auth, kind, catalogus=catalogus, status=status, omschrijving=omschrijving,
                                    datum_geldigheid=datum_geldigheid)
            return await page(request, uow, stmt, pagination)

    router.add_api_route(f"/{coll}", list_, methods=["GET"], tags=[coll], name=f"{coll}_list")
    router.add_api_route(f"/{coll}", create, methods=["POST"], status_code=201, tags=[coll], name=f"{coll}_create")
    router.add_api_route(f"/{coll}/{{uuid}}", read, methods=["GET"], tags=[coll], name=f"{coll}_read")
    router.add_api_route(f"/{coll}/{{uuid}}", put, methods=["PUT"], tags=[coll], name=f"{coll}_update")
    router.add_api_route(f"/{coll}/{{uuid}}", patch, methods=["PATCH"], tags=[coll], name=f"{coll}_partial_update")
    router.add_api_route(f"/{coll}/{{uuid}}", remove, methods=["DELETE"], status_code=204, tags=[coll],
                         name=f"{coll}_delete")
    router.add_api_route(f"/{coll}/{{uuid}}/publish", publish, methods=["POST"], tags=[coll],
                         name=f"{coll}_publish")


for _catalogus_kind in typen.KINDS.values():
    _add_catalogus_type_routes(_catalogus_kind)
