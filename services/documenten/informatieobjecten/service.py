"""Use cases of an enkelvoudiginformatieobject: create, read a version, change (a new version), delete, lock.

Every change is a new version of the document (the standard's ``versie`` and ``beginRegistratie``), and needs the
document's lock. The content goes to the store before the transaction that names it, so an answered 201 or 200
never points at content that is not there; a crash before the commit leaves a blob no row names, never a row
without its blob.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from fastapi import Request
from sqlalchemy import Select, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from sds.runtime import audittrail as zgw_audittrail
from sds.runtime.auth import vertrouwelijkheid_rank
from sds.runtime.bsn import elfproef
from sds.runtime.errors import NotFound, PermissionDenied, ValidatieFout
from sds.runtime.scopes import (
    DOCUMENTEN_AANMAKEN,
    DOCUMENTEN_BIJWERKEN,
    DOCUMENTEN_GEFORCEERD_UNLOCK,
    DOCUMENTEN_LOCK,
    DOCUMENTEN_VERWIJDEREN,
)
from services.documenten import authz
from services.documenten.common import Ctx
from services.documenten.gebruiksrechten.models import gebruiksrechten
from services.documenten.informatieobjecten import domain, schemas
from services.documenten.informatieobjecten.models import (
    audittrail,
    bestandsdelen,
    informatieobjecten,
    tellingen,
    versies,
)
from services.documenten.objectinformatieobjecten.models import objectinformatieobjecten
from services.documenten.storage import Blob, Store, put_bytes
from services.documenten.zaken import zaken

RESOURCE = "enkelvoudiginformatieobject"
COLLECTION = "enkelvoudiginformatieobjecten"
EVENT = "nl.overheid.documenten.enkelvoudiginformatieobject"
# What the client reads back and may send again unchanged on PUT; ignored as input.
_DERIVED = ("url", "versie", "beginRegistratie", "locked", "bestandsdelen", "inhoud")


def store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def select_(peildatum: domain.Peildatum | None = None) -> Select[Any]:
    """Documents with the version asked for: the latest, or the one ``peildatum`` names."""
    if peildatum is None or (peildatum.versie is None and peildatum.registratie_op is None):
        on = and_(versies.c.informatieobject_id == informatieobjecten.c.id,
                  versies.c.versie == informatieobjecten.c.versie)
    else:
        conditions = [versies.c.informatieobject_id == informatieobjecten.c.id]
        if peildatum.versie is not None:
            conditions.append(versies.c.versie == peildatum.versie)
        if peildatum.registratie_op is not None and peildatum.versie is not None:
            # That version, if it was registered by then.
            conditions.append(versies.c.begin_registratie <= peildatum.registratie_op)
        elif peildatum.registratie_op is not None:
            # The version that was the latest at that moment: the highest registered by then.
            inner = versies.alias("v2")
            conditions.append(versies.c.versie == select(func.max(inner.c.versie)).where(
                inner.c.informatieobject_id == informatieobjecten.c.id,
                inner.c.begin_registratie <= peildatum.registratie_op).correlate(informatieobjecten)
                .scalar_subquery())
        on = and_(*conditions)
    return select(informatieobjecten.c.id, informatieobjecten.c.uuid, informatieobjecten.c.lock,
                  informatieobjecten.c.informatieobjecttype, informatieobjecten.c.catalogus,
                  informatieobjecten.c.kolom, informatieobjecten.c.vertrouwelijkheid_rank,
                  informatieobjecten.c.versie.label("laatste_versie"),
                  versies.c.versie, versies.c.begin_registratie, versies.c.gegevens, versies.c.inhoud,
                  versies.c.bestandsomvang).select_from(informatieobjecten).join(versies, on)


def page_of(conditions: list[Any]) -> Callable[[int, int], Select[Any]]:
    """The page query of a list of documents (latest versions), ``conditions`` on the documents' own columns: the
    page's ids are taken from the documents alone, and only those are joined to their versions (an offset of
    9,900 then skips index entries, not 9,900 joined rows)."""
    def page(limit: int, offset: int) -> Select[Any]:
        ids = (select(informatieobjecten.c.id).where(*conditions).order_by(informatieobjecten.c.id)
               .limit(limit).offset(offset).subquery("page"))
        return select_().join(ids, ids.c.id == informatieobjecten.c.id).order_by(informatieobjecten.c.id)

    return page


async def count(ctx: Ctx, conditions: list[Any], unfiltered: bool) -> int:
    """The number of documents in a list: for a client that sees every document and a list without filters the
    sum of the counts kept per informatieobjecttype; otherwise a COUNT over the documents' own table."""
    if unfiltered and ctx.auth.heeft_alle_autorisaties:
        return int((await ctx.session.execute(_COUNT_ALL)).scalar_one())
    return int((await ctx.session.execute(select(func.count()).select_from(informatieobjecten).where(
        *conditions))).scalar_one())


_COUNT_ALL = select(func.coalesce(func.sum(tellingen.c.aantal), 0))


async def _tel(ctx: Ctx, informatieobjecttype: str, delta: int) -> None:
    """The count of this informatieobjecttype moved in the caller's transaction (the row is made at its first
    document): the last statement of a create or delete, so the row is locked only until its commit."""
    if ctx.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    stmt = upsert(tellingen).values(informatieobjecttype=informatieobjecttype, aantal=delta)
    await ctx.session.execute(stmt.on_conflict_do_update(index_elements=[tellingen.c.informatieobjecttype],
                                                         set_={"aantal": tellingen.c.aantal + delta}))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def serialize(ctx: Ctx, row: Any, delen: list[Any] | None = None) -> dict[str, Any]:
    url = ctx.url(COLLECTION, row.uuid)
    g = row.gegevens
    return {
        "url": url, "identificatie": g["identificatie"], "bronorganisatie": g["bronorganisatie"],
        "creatiedatum": g["creatiedatum"], "titel": g["titel"],
        "vertrouwelijkheidaanduiding": g["vertrouwelijkheidaanduiding"], "auteur": g["auteur"],
        "status": g.get("status", ""), "formaat": g.get("formaat", ""), "taal": g["taal"], "versie": row.versie,
        "beginRegistratie": _aware(row.begin_registratie).isoformat(), "bestandsnaam": g.get("bestandsnaam", ""),
        "inhoud": f"{url}/download?versie={row.versie}" if row.inhoud else None,
        "bestandsomvang": row.bestandsomvang, "link": g.get("link", ""), "beschrijving": g.get("beschrijving", ""),
        "ontvangstdatum": g.get("ontvangstdatum"), "verzenddatum": g.get("verzenddatum"),
        "indicatieGebruiksrecht": g.get("indicatieGebruiksrecht"), "verschijningsvorm": g.get("verschijningsvorm", ""),
        "ondertekening": g.get("ondertekening") or {"soort": "", "datum": None},
        "integriteit": g.get("integriteit") or {"algoritme": "", "waarde": "", "datum": None},
        "informatieobjecttype": row.informatieobjecttype, "locked": bool(row.lock),
        "bestandsdelen": [deel_json(ctx, d) for d in delen or []],
        "trefwoorden": g.get("trefwoorden") or [],
    }


def deel_json(ctx: Ctx, deel: Any) -> dict[str, Any]:
    return {"url": ctx.url("bestandsdelen", deel.uuid), "volgnummer": deel.volgnummer, "omvang": deel.omvang,
            "voltooid": deel.inhoud is not None, "lock": ""}


async def delen_of(ctx: Ctx, document_ids: list[int]) -> dict[int, list[Any]]:
    """The bestandsdelen of these documents (only a document being uploaded in parts has any)."""
    if not document_ids:
        return {}
    rows = (await ctx.session.execute(select(bestandsdelen).where(
        bestandsdelen.c.informatieobject_id.in_(document_ids)).order_by(bestandsdelen.c.volgnummer))).all()
    out: dict[int, list[Any]] = {}
    for row in rows:
        out.setdefault(row.informatieobject_id, []).append(row)
    return out


async def stored(ctx: Ctx, document_uuid: str, scope: str, *, peildatum: domain.Peildatum | None = None,
                 lock: bool = False) -> Any:
    """The document with this uuid (in the version asked for): 404 when there is none, 403 when ``scope`` does
    not cover it."""
    stmt = select_(peildatum).where(informatieobjecten.c.uuid == document_uuid)
    row = (await ctx.session.execute(stmt.with_for_update(of=informatieobjecten) if lock else stmt)).first()
    if row is None:
        raise NotFound()
    if not authz.may(ctx.auth, scope, informatieobjecttype=row.informatieobjecttype, catalogus=row.catalogus,
                     kolom=row.kolom, rank=row.vertrouwelijkheid_rank):
        raise PermissionDenied("Deze applicatie heeft geen rechten op dit document voor deze actie.")
    return row


async def read(ctx: Ctx, document_uuid: str, scope: str, peildatum: domain.Peildatum | None = None,
               *, with_lock: str | None = None) -> dict[str, Any]:
    row = await stored(ctx, document_uuid, scope, peildatum=peildatum)
    out = serialize(ctx, row, (await delen_of(ctx, [row.id])).get(row.id))
    if with_lock is not None:
        out["lock"] = with_lock
    return out


async def _type_of(ctx: Ctx, url: str) -> dict[str, Any]:
    return await zaken(ctx.request).informatieobjecttype(url)


def check(body: schemas.InformatieObjectIn) -> None:
    if not elfproef(body.bronorganisatie):
        raise ValidatieFout.single("bronorganisatie", "invalid", "Voer een geldig RSIN in (9 cijfers, 11-proef).")
    if body.creatiedatum > date.today():
        raise ValidatieFout.single("creatiedatum", "future_not_allowed", "De creatiedatum ligt niet in de toekomst.")


async def content(ctx: Ctx, body: schemas.InformatieObjectIn) -> tuple[Blob | None, int | None]:
    """The inline content of ``body`` in the store (before any transaction), and the document's bestandsomvang."""
    if body.inhoud is None:
        if body.bestandsomvang == 0:
            return await put_bytes(store(ctx.request), b""), 0
        return None, body.bestandsomvang
    data = domain.decode_inhoud(body.inhoud)
    if len(data) > ctx.settings.inhoud_inline_max:
        raise ValidatieFout.single("inhoud", "file-size", "De inhoud is te groot om in de body mee te sturen; "
                                   "stuur haar in bestandsdelen (inhoud null, bestandsomvang gezet).")
    omvang = domain.check_omvang(len(data), body.bestandsomvang)
    return await put_bytes(store(ctx.request), data), omvang


def _gegevens(body: schemas.InformatieObjectIn, identificatie: str, vertrouwelijkheid: str) -> dict[str, Any]:
    data = body.model_dump(mode="json", by_alias=True, exclude={"inhoud", "bestandsomvang", "lock",
                                                                "informatieobjecttype"})
    return {**data, "identificatie": identificatie, "vertrouwelijkheidaanduiding": vertrouwelijkheid}


def _trefwoorden(body: schemas.InformatieObjectIn) -> str:
    return "," + "".join(f"{t.replace(',', ' ')}," for t in body.trefwoorden or [])


async def audit(ctx: Ctx, document_id: int, document_uuid: str, actie: str, weergave: str,
                 oud: dict[str, Any] | None, nieuw: dict[str, Any] | None, *, resource: str = RESOURCE,
                 resource_url: str | None = None) -> None:
    hoofd = ctx.url(COLLECTION, document_uuid)
    new_uuid, now, gegevens = zgw_audittrail.entry(
        ctx.auth, ctx.request, bron="drc", hoofd_object=hoofd, actie=actie, resource=resource,
        resource_url=resource_url or hoofd, weergave=weergave, oud=oud, nieuw=nieuw)
    await ctx.session.execute(insert(audittrail).values(uuid=new_uuid, informatieobject_id=document_id,
                                                        aanmaakdatum=now, gegevens=gegevens))


def _event(ctx: Ctx, document_uuid: str, iotype: str, versie: int, vertrouwelijkheid: str) -> dict[str, Any]:
    return {"informatieobject": ctx.url(COLLECTION, document_uuid), "informatieobjecttype": iotype,
            "versie": versie, "vertrouwelijkheidaanduiding": vertrouwelijkheid}


async def _unique(ctx: Ctx, bronorganisatie: str, identificatie: str, own_id: int | None = None) -> None:
    stmt = select(informatieobjecten.c.id).where(informatieobjecten.c.bronorganisatie == bronorganisatie,
                                                 informatieobjecten.c.identificatie == identificatie)
    if own_id is not None:
        stmt = stmt.where(informatieobjecten.c.id != own_id)
    if (await ctx.session.execute(stmt)).first():
        raise ValidatieFout.single("identificatie", "identificatie-niet-uniek",
                                   "Deze identificatie bestaat al voor deze bronorganisatie.")


async def _delen(ctx: Ctx, document_id: int, omvang: int) -> None:
    for volgnummer, size in enumerate(domain.delen(omvang, ctx.settings.bestandsdeel_omvang), start=1):
        await ctx.session.execute(insert(bestandsdelen).values(
            uuid=str(uuid.uuid4()), informatieobject_id=document_id, volgnummer=volgnummer, omvang=size))


def prepare(body: schemas.InformatieObjectIn) -> None:
    """What is checked before any content is stored."""
    check(body)
    if body.indicatie_gebruiksrecht:
        domain.check_gebruiksrecht(body.indicatie_gebruiksrecht, False)


async def create(ctx: Ctx, body: schemas.InformatieObjectIn, blob: Blob | None, omvang: int | None,
                 iotype: dict[str, Any]) -> tuple[str, str | None]:
    """A new document (versie 1); with a bestandsomvang and no inline content it is created locked, with the
    bestandsdelen its content is to be uploaded in. Returns its uuid and that lock."""
    vertrouwelijkheid = body.vertrouwelijkheidaanduiding or iotype["vertrouwelijkheidaanduiding"]
    kolom = await zaken(ctx.request).kolom_van(str(iotype.get("catalogus") or ""))
    authz.require(ctx.auth, DOCUMENTEN_AANMAKEN, informatieobjecttype=body.informatieobjecttype,
                  catalogus=iotype.get("catalogus", ""), kolom=kolom, rank=vertrouwelijkheid_rank(vertrouwelijkheid))
    new_uuid = str(uuid.uuid4())
    ident = body.identificatie or domain.identificatie(date.today().year, new_uuid)
    await _unique(ctx, body.bronorganisatie, ident)
    in_delen = blob is None and bool(omvang)
    lock = domain.new_lock() if in_delen else None
    try:
        async with ctx.session.begin_nested():
            await ctx.session.execute(insert(informatieobjecten).values(
                uuid=new_uuid, bronorganisatie=body.bronorganisatie, identificatie=ident,
                informatieobjecttype=body.informatieobjecttype, catalogus=iotype.get("catalogus", ""), kolom=kolom,
                vertrouwelijkheid_rank=vertrouwelijkheid_rank(vertrouwelijkheid), versie=1, lock=lock or "",
                trefwoorden=_trefwoorden(body)))
    except IntegrityError:
        raise ValidatieFout.single("identificatie", "identificatie-niet-uniek",
                                   "Deze identificatie bestaat al voor deze bronorganisatie.") from None
    document_id = (await ctx.session.execute(select(informatieobjecten.c.id).where(
        informatieobjecten.c.uuid == new_uuid))).scalar_one()
    gegevens = _gegevens(body, ident, vertrouwelijkheid)
    await ctx.session.execute(insert(versies).values(
        informatieobject_id=document_id, versie=1, begin_registratie=datetime.now(UTC), gegevens=gegevens,
        inhoud=blob.sha256 if blob else None, bestandsomvang=omvang))
    if in_delen and omvang:
        await _delen(ctx, document_id, omvang)
    await audit(ctx, document_id, new_uuid, "create", body.titel, None,
                 {**gegevens, "informatieobjecttype": body.informatieobjecttype, "bestandsomvang": omvang})
    url = ctx.url(COLLECTION, new_uuid)
    await ctx.record(f"{EVENT}-aangemaakt", _event(ctx, new_uuid, body.informatieobjecttype, 1, vertrouwelijkheid),
                     subject=new_uuid, dataref=url)
    await _tel(ctx, body.informatieobjecttype, +1)
    return new_uuid, lock


def merged_body(ctx: Ctx, row: Any, patch: dict[str, Any], *,
                partial: bool) -> tuple[schemas.InformatieObjectIn, bool]:
    """The new version as sent (PUT) or merged onto the latest (PATCH), and whether it keeps the content of the
    latest: it does unless ``inhoud`` is sent (base64, or null to upload it anew in bestandsdelen). A download URL
    sent back as ``inhoud`` is what the client read, not new content."""
    given = {k: v for k, v in patch.items() if k not in _DERIVED}
    inhoud = patch.get("inhoud", ...)
    keeps_content = inhoud is ... or (isinstance(inhoud, str) and inhoud.startswith(("http://", "https://")))
    if not keeps_content:
        given["inhoud"] = inhoud
    merged = {**{k: v for k, v in serialize(ctx, row).items() if k not in _DERIVED}, **given} if partial else given
    return schemas.InformatieObjectIn.model_validate(merged), keeps_content


async def update_(ctx: Ctx, document_uuid: str, body: schemas.InformatieObjectIn, blob: Blob | None,
                  omvang: int | None, *, partial: bool, keeps_content: bool) -> None:
    """A new version of the document. ``keeps_content``: no new content was sent (a PATCH without ``inhoud``), so
    the new version has the content of the one before."""
    row = await stored(ctx, document_uuid, DOCUMENTEN_BIJWERKEN, lock=True)
    domain.check_lock(row.lock, body.lock)
    if body.informatieobjecttype != row.informatieobjecttype:
        raise ValidatieFout.single("informatieobjecttype", "wijzigen-niet-toegelaten",
                                   "Het informatieobjecttype mag niet gewijzigd worden.")
    heeft = (await ctx.session.execute(select(gebruiksrechten.c.id).where(
        gebruiksrechten.c.informatieobject_id == row.id).limit(1))).first() is not None
    domain.check_gebruiksrecht(body.indicatie_gebruiksrecht, heeft)
    vertrouwelijkheid = body.vertrouwelijkheidaanduiding or row.gegevens["vertrouwelijkheidaanduiding"]
    rank = vertrouwelijkheid_rank(vertrouwelijkheid)
    authz.require(ctx.auth, DOCUMENTEN_BIJWERKEN, informatieobjecttype=row.informatieobjecttype,
                  catalogus=row.catalogus, kolom=row.kolom, rank=rank)
    ident = body.identificatie or row.gegevens["identificatie"]
    await _unique(ctx, body.bronorganisatie, ident, row.id)
    if keeps_content:
        blob_sha, omvang = row.inhoud, row.bestandsomvang if omvang is None else omvang
        if blob_sha is not None and omvang != row.bestandsomvang:
            raise ValidatieFout.single("nonFieldErrors", "file-size",
                                       "De grootte van de inhoud wijkt af van het veld 'bestandsomvang'.")
    else:
        blob_sha = blob.sha256 if blob else None
    versie = row.laatste_versie + 1
    gegevens = _gegevens(body, ident, vertrouwelijkheid)
    await ctx.session.execute(update(informatieobjecten).where(informatieobjecten.c.id == row.id).values(
        bronorganisatie=body.bronorganisatie, identificatie=ident, vertrouwelijkheid_rank=rank, versie=versie,
        trefwoorden=_trefwoorden(body)))
    await ctx.session.execute(insert(versies).values(
        informatieobject_id=row.id, versie=versie, begin_registratie=datetime.now(UTC), gegevens=gegevens,
        inhoud=blob_sha, bestandsomvang=omvang))
    # A new version starts its upload afresh: the parts of an earlier one are not its content.
    await ctx.session.execute(delete(bestandsdelen).where(bestandsdelen.c.informatieobject_id == row.id))
    if blob_sha is None and omvang:
        await _delen(ctx, row.id, omvang)
    await audit(ctx, row.id, row.uuid, "partial_update" if partial else "update", body.titel,
                 {**row.gegevens, "versie": row.versie}, {**gegevens, "versie": versie, "bestandsomvang": omvang})
    await ctx.record(f"{EVENT}-gewijzigd", _event(ctx, row.uuid, row.informatieobjecttype, versie,
                                                  vertrouwelijkheid),
                     subject=row.uuid, dataref=ctx.url(COLLECTION, row.uuid))


async def delete_(ctx: Ctx, document_uuid: str) -> None:
    """The document goes with its versions, gebruiksrechten and audittrail; not while a zaak or besluit still
    relates to it (``pending-relations``). Its content goes when the store's blobs are next collected."""
    row = await stored(ctx, document_uuid, DOCUMENTEN_VERWIJDEREN, lock=True)
    if (await ctx.session.execute(select(objectinformatieobjecten.c.id).where(
            objectinformatieobjecten.c.informatieobject_id == row.id).limit(1))).first():
        raise ValidatieFout.single("nonFieldErrors", "pending-relations",
                                   "Alle relaties met zaken en besluiten moeten verwijderd zijn voor het document "
                                   "verwijderd kan worden.")
    await ctx.session.execute(delete(informatieobjecten).where(informatieobjecten.c.id == row.id))
    await ctx.record(f"{EVENT}-verwijderd", _event(ctx, row.uuid, row.informatieobjecttype, row.versie,
                                                   row.gegevens["vertrouwelijkheidaanduiding"]),
                     subject=row.uuid, dataref=ctx.url(COLLECTION, row.uuid))
    await _tel(ctx, row.informatieobjecttype, -1)


async def lock(ctx: Ctx, document_uuid: str) -> str:
    row = await stored(ctx, document_uuid, DOCUMENTEN_LOCK, lock=True)
    if row.lock:
        raise ValidatieFout.single("nonFieldErrors", "existing-lock", "Het document is al vergrendeld.")
    new = domain.new_lock()
    await ctx.session.execute(update(informatieobjecten).where(informatieobjecten.c.id == row.id).values(lock=new))
    return new


async def unlock_check(ctx: Ctx, document_uuid: str, given: str) -> tuple[Any, list[Any]]:
    """The document to unlock and its bestandsdelen, once the lock is right (or the client may force it) and the
    parts are complete."""
    row = await stored(ctx, document_uuid, DOCUMENTEN_LOCK, lock=True)
    force = ctx.auth.has_scope(authz.COMPONENT, DOCUMENTEN_GEFORCEERD_UNLOCK)
    if not force:
        if not row.lock:
            raise ValidatieFout.single("nonFieldErrors", "unlocked", "Het document is niet vergrendeld.")
        domain.check_lock(row.lock, given)
    delen = (await delen_of(ctx, [row.id])).get(row.id, [])
    if delen and not force and any(d.inhoud is None for d in delen):
        raise ValidatieFout.single("nonFieldErrors", "incomplete-upload", "Niet alle bestandsdelen zijn ontvangen.")
    if not delen and row.inhoud is None and row.bestandsomvang and not force:
        raise ValidatieFout.single("nonFieldErrors", "file-size",
                                   "Er is geen inhoud ontvangen en de bestandsomvang is niet 0.")
    return row, delen


async def unlock(ctx: Ctx, row: Any, delen: list[Any], blob: Blob | None) -> None:
    """Unlocked; the content merged from complete bestandsdelen (``blob``) becomes that of the latest version."""
    await ctx.session.execute(update(informatieobjecten).where(informatieobjecten.c.id == row.id).values(lock=""))
    if blob is not None:
        await ctx.session.execute(update(versies).where(versies.c.informatieobject_id == row.id,
                                                        versies.c.versie == row.versie).values(inhoud=blob.sha256))
    if delen:
        await ctx.session.execute(delete(bestandsdelen).where(bestandsdelen.c.informatieobject_id == row.id))
