"""HTTP routes of enkelvoudiginformatieobjecten: the documents, their download, lock, audittrail and bestandsdelen."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import AwareDatetime, NaiveDatetime
from sqlalchemy import select

from sds.runtime.errors import ApiError, NotFound, PermissionDenied, ValidatieFout
from sds.runtime.faults import crash_point
from sds.runtime.pagination import Pagination, paginate
from sds.runtime.scopes import (
    AUDITTRAILS_LEZEN,
    DOCUMENTEN_AANMAKEN,
    DOCUMENTEN_BIJWERKEN,
    DOCUMENTEN_LEZEN,
    DOCUMENTEN_LOCK,
    DOCUMENTEN_VERWIJDEREN,
)
from services.documenten import authz
from services.documenten.common import Context, Ctx
from services.documenten.informatieobjecten import domain, schemas, service, upload
from services.documenten.informatieobjecten.models import audittrail, bestandsdelen, informatieobjecten
from services.documenten.storage import Blob

router = APIRouter()
# Where a test can have the process killed (``SDS_CRASH_AT``): the content in the store, no row naming it yet.
CRASH_AFTER_STORE = "documenten-after-store"
COLLECTION = service.COLLECTION
PatchBody = Annotated[dict[str, Any], Body()]


async def peildatum(versie: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
                    registratie_op: Annotated[AwareDatetime | NaiveDatetime | None,
                                              Query(alias="registratieOp")] = None) -> domain.Peildatum:
    if isinstance(registratie_op, datetime) and registratie_op.tzinfo is None:
        registratie_op = registratie_op.replace(tzinfo=UTC)
    return domain.Peildatum(versie=versie, registratie_op=registratie_op)


Peildatum = Annotated[domain.Peildatum, Depends(peildatum)]


async def _page(ctx: Ctx, conditions: list[Any], pagination: Any, *, unfiltered: bool = False) -> dict[str, Any]:
    """A page of documents: ``conditions`` are on the documents' own columns only, so the count reads that one
    table (or the counts kept per informatieobjecttype, ``unfiltered``) and the page joins only its own rows to
    their versions."""
    count = await service.count(ctx, conditions, unfiltered)
    page = await paginate(ctx.session, service.select_(), pagination, ctx.request, lambda row: row, count=count,
                          page_query=service.page_of(conditions))
    delen = await service.delen_of(ctx, [r.id for r in page["results"] if r.lock])
    page["results"] = [service.serialize(ctx, r, delen.get(r.id)) for r in page["results"]]
    return page


@router.get("/enkelvoudiginformatieobjecten", tags=["enkelvoudiginformatieobjecten"])
async def informatieobject_list(
    ctx: Context, pagination: Pagination,
    identificatie: Annotated[str | None, Query(max_length=40)] = None,
    bronorganisatie: Annotated[str | None, Query(max_length=9)] = None,
    trefwoorden: Annotated[str | None, Query(max_length=1000)] = None,
) -> dict[str, Any]:
    authz.require_scope(ctx.auth, DOCUMENTEN_LEZEN)
    conditions = [authz.clause(ctx.auth, DOCUMENTEN_LEZEN)]
    if identificatie is not None:
        conditions.append(informatieobjecten.c.identificatie == identificatie)
    if bronorganisatie is not None:
        conditions.append(informatieobjecten.c.bronorganisatie == bronorganisatie)
    for woord in [w.strip() for w in (trefwoorden or "").split(",") if w.strip()]:
        escaped = woord.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(informatieobjecten.c.trefwoorden.like(f"%,{escaped},%", escape="\\"))
    async with ctx.uow:
        return await _page(ctx, conditions, pagination, unfiltered=len(conditions) == 1)


@router.post("/enkelvoudiginformatieobjecten/_zoek", tags=["enkelvoudiginformatieobjecten"])
async def informatieobject_zoek(body: schemas.ZoekIn, ctx: Context, pagination: Pagination) -> dict[str, Any]:
    authz.require_scope(ctx.auth, DOCUMENTEN_LEZEN)
    uuids = []
    for value in body.uuid__in:
        try:
            uuids.append(str(uuid.UUID(value)))
        except ValueError:
            raise ValidatieFout.single("uuid__in", "invalid", f"Geen geldige uuid: {value[:40]}") from None
    conditions = [authz.clause(ctx.auth, DOCUMENTEN_LEZEN), informatieobjecten.c.uuid.in_(uuids)]
    async with ctx.uow:
        return await _page(ctx, conditions, pagination)


@router.post("/enkelvoudiginformatieobjecten", status_code=201, tags=["enkelvoudiginformatieobjecten"])
async def informatieobject_create(body: schemas.InformatieObjectIn, ctx: Context,
                                  response: Response) -> dict[str, Any]:
    authz.require_scope(ctx.auth, DOCUMENTEN_AANMAKEN)
    if body.lock:
        raise ValidatieFout.single("lock", "invalid", "Bij het aanmaken heeft een document nog geen lock.")
    service.prepare(body)
    iotype = await service.zaken(ctx.request).informatieobjecttype(body.informatieobjecttype)
    blob, omvang = await service.content(ctx, body)
    crash_point(CRASH_AFTER_STORE)
    async with ctx.uow:
        new_uuid, lock = await service.create(ctx, body, blob, omvang, iotype)
        out = await service.read(ctx, new_uuid, DOCUMENTEN_AANMAKEN, with_lock=lock)
    response.headers["Location"] = out["url"]
    return out


@router.get("/enkelvoudiginformatieobjecten/{uuid}", tags=["enkelvoudiginformatieobjecten"])
async def informatieobject_read(uuid: uuid.UUID, ctx: Context, when: Peildatum) -> dict[str, Any]:
    authz.require_scope(ctx.auth, DOCUMENTEN_LEZEN)
    async with ctx.uow:
        return await service.read(ctx, str(uuid), DOCUMENTEN_LEZEN, when)


@router.head("/enkelvoudiginformatieobjecten/{uuid}", tags=["enkelvoudiginformatieobjecten"])
async def informatieobject_head(uuid: uuid.UUID, ctx: Context) -> Response:
    authz.require_scope(ctx.auth, DOCUMENTEN_LEZEN)
    async with ctx.uow:
        await service.stored(ctx, str(uuid), DOCUMENTEN_LEZEN)
    return Response(status_code=200)


async def _write(ctx: Ctx, document_uuid: str, patch: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    authz.require_scope(ctx.auth, DOCUMENTEN_BIJWERKEN)
    async with ctx.uow:
        row = await service.stored(ctx, document_uuid, DOCUMENTEN_BIJWERKEN)
        body, keeps_content = service.merged_body(ctx, row, patch, partial=partial)
        domain.check_lock(row.lock, body.lock)
        service.check(body)
    blob: Blob | None = None
    omvang = body.bestandsomvang
    if not keeps_content:
        blob, omvang = await service.content(ctx, body)
    async with ctx.uow:
        await service.update_(ctx, document_uuid, body, blob, omvang, partial=partial, keeps_content=keeps_content)
        return await service.read(ctx, document_uuid, DOCUMENTEN_BIJWERKEN)


@router.put("/enkelvoudiginformatieobjecten/{uuid}", tags=["enkelvoudiginformatieobjecten"])
async def informatieobject_update(uuid: uuid.UUID, body: PatchBody, ctx: Context) -> dict[str, Any]:
    return await _write(ctx, str(uuid), body, partial=False)


@router.patch("/enkelvoudiginformatieobjecten/{uuid}", tags=["enkelvoudiginformatieobjecten"])
async def informatieobject_partial_update(uuid: uuid.UUID, body: PatchBody, ctx: Context) -> dict[str, Any]:
    return await _write(ctx, str(uuid), body, partial=True)


@router.delete("/enkelvoudiginformatieobjecten/{uuid}", status_code=204, tags=["enkelvoudiginformatieobjecten"])
async def informatieobject_delete(uuid: uuid.UUID, ctx: Context) -> Response:
    authz.require_scope(ctx.auth, DOCUMENTEN_VERWIJDEREN)
    async with ctx.uow:
        await service.delete_(ctx, str(uuid))
    # Its content goes with the store's collection of blobs no row names (services.documenten.opruimen).
    return Response(status_code=204)


@router.get("/enkelvoudiginformatieobjecten/{uuid}/download", tags=["enkelvoudiginformatieobjecten"],
            response_class=StreamingResponse)
async def informatieobject_download(uuid: uuid.UUID, ctx: Context, when: Peildatum) -> StreamingResponse:
    """The content, streamed from the store and checked against its SHA-256 as it goes: a blob the disk changed
    breaks off the answer before its end (the client sees a short body), never passes as the document."""
    authz.require_scope(ctx.auth, DOCUMENTEN_LEZEN)
    async with ctx.uow:
        row = await service.stored(ctx, str(uuid), DOCUMENTEN_LEZEN, peildatum=when)
    if row.inhoud is None:
        raise NotFound("Dit document heeft (nog) geen inhoud.")
    chunks = service.store(ctx.request).read(row.inhoud)
    name = row.gegevens.get("bestandsnaam") or row.gegevens.get("titel") or "document"
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    if row.bestandsomvang is not None:
        headers["Content-Length"] = str(row.bestandsomvang)
    return StreamingResponse(chunks, media_type=row.gegevens.get("formaat") or "application/octet-stream",
                             headers=headers)


@router.post("/enkelvoudiginformatieobjecten/{uuid}/lock", tags=["enkelvoudiginformatieobjecten"])
async def informatieobject_lock(uuid: uuid.UUID, ctx: Context) -> dict[str, Any]:
    authz.require_scope(ctx.auth, DOCUMENTEN_LOCK)
    async with ctx.uow:
        return {"lock": await service.lock(ctx, str(uuid))}


@router.post("/enkelvoudiginformatieobjecten/{uuid}/unlock", status_code=204, tags=["enkelvoudiginformatieobjecten"])
async def informatieobject_unlock(uuid: uuid.UUID, request: Request, ctx: Context) -> Response:
    """Unlocked with the lock (or by a client with ``documenten.geforceerd-unlock``); the bestandsdelen of an
    upload in parts, once all are in, become the document's content — merged in the store (``Store.concat``)
    outside any transaction, then named by the latest version in one."""
    authz.require_scope(ctx.auth, DOCUMENTEN_LOCK)
    body = schemas.LockIn.model_validate(await _json(request))
    async with ctx.uow:
        row, delen = await service.unlock_check(ctx, str(uuid), body.lock)
    complete = bool(delen) and all(d.inhoud is not None for d in delen)
    blob = await service.store(ctx.request).concat([d.inhoud for d in delen]) if complete else None
    async with ctx.uow:
        again, delen_nu = await service.unlock_check(ctx, str(uuid), body.lock)
        if again.versie != row.versie or [d.inhoud for d in delen_nu] != [d.inhoud for d in delen]:
            raise ApiError("Het document is intussen gewijzigd; probeer het opnieuw.", status=409)
        await service.unlock(ctx, again, delen_nu, blob)
    return Response(status_code=204)


async def _json(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        raise ValidatieFout.single("nonFieldErrors", "parse_error", "De body is geen geldige JSON.") from None


@router.get("/enkelvoudiginformatieobjecten/{enkelvoudiginformatieobject_uuid}/audittrail",
            tags=["enkelvoudiginformatieobjecten"])
async def audittrail_list(enkelvoudiginformatieobject_uuid: uuid.UUID, ctx: Context) -> list[dict[str, Any]]:
    authz.require_scope(ctx.auth, AUDITTRAILS_LEZEN)
    async with ctx.uow:
        row = await service.stored(ctx, str(enkelvoudiginformatieobject_uuid), AUDITTRAILS_LEZEN)
        rows = (await ctx.session.execute(select(audittrail.c.gegevens).where(
            audittrail.c.informatieobject_id == row.id).order_by(audittrail.c.id))).all()
    return [r.gegevens for r in rows]


@router.get("/enkelvoudiginformatieobjecten/{enkelvoudiginformatieobject_uuid}/audittrail/{uuid}",
            tags=["enkelvoudiginformatieobjecten"])
async def audittrail_read(enkelvoudiginformatieobject_uuid: uuid.UUID, uuid: uuid.UUID,
                          ctx: Context) -> dict[str, Any]:
    authz.require_scope(ctx.auth, AUDITTRAILS_LEZEN)
    async with ctx.uow:
        row = await service.stored(ctx, str(enkelvoudiginformatieobject_uuid), AUDITTRAILS_LEZEN)
        found = (await ctx.session.execute(select(audittrail.c.gegevens).where(
            audittrail.c.informatieobject_id == row.id, audittrail.c.uuid == str(uuid)))).first()
    if found is None:
        raise NotFound()
    return found.gegevens  # type: ignore[no-any-return]


@router.put("/bestandsdelen/{uuid}", tags=["bestandsdelen"])
async def bestandsdeel_upload(uuid: uuid.UUID, request: Request, ctx: Context) -> dict[str, Any]:
    """One part of a document's content (multipart/form-data: ``inhoud`` the bytes, ``lock`` the document's
    lock), parsed as it streams in and passed straight into the store, never held whole (``upload``)."""
    authz.require_scope(ctx.auth, DOCUMENTEN_BIJWERKEN, DOCUMENTEN_AANMAKEN)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ValidatieFout.single("inhoud", "invalid", "Een bestandsdeel wordt als multipart/form-data gestuurd.")
    async with ctx.uow:
        deel = await _deel(ctx, str(uuid))
    lock = ""

    async def check_lock(given: str) -> None:
        nonlocal lock
        async with ctx.uow:
            await _deel(ctx, str(uuid), given)
        lock = given

    blob = await upload.receive(request, service.store(ctx.request), deel.omvang, check_lock)
    async with ctx.uow:
        deel = await _deel(ctx, str(uuid), lock)
        await ctx.session.execute(bestandsdelen.update().where(bestandsdelen.c.id == deel.id).values(
            inhoud=blob.sha256))
        row = (await ctx.session.execute(select(bestandsdelen).where(bestandsdelen.c.id == deel.id))).one()
    out = service.deel_json(ctx, row)
    out["lock"] = lock
    return out


async def _deel(ctx: Ctx, deel_uuid: str, lock: str | None = None) -> Any:
    """The bestandsdeel with this uuid (404 when there is none, 403 when the client may not change its
    document), and, when ``lock`` is given, only if it is the document's lock."""
    deel = (await ctx.session.execute(select(bestandsdelen, informatieobjecten.c.uuid.label("document_uuid"))
                                      .join(informatieobjecten,
                                            informatieobjecten.c.id == bestandsdelen.c.informatieobject_id)
                                      .where(bestandsdelen.c.uuid == deel_uuid))).first()
    if deel is None:
        raise NotFound()
    try:
        row = await service.stored(ctx, deel.document_uuid, DOCUMENTEN_BIJWERKEN)
    except PermissionDenied:
        row = await service.stored(ctx, deel.document_uuid, DOCUMENTEN_AANMAKEN)
    if lock is not None and (not row.lock or not lock or lock != row.lock):
        raise ValidatieFout.single("lock", "incorrect-lock-id", "Het lock is niet juist.")
    return deel
