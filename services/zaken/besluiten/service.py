"""Use cases of a besluit: record, change and delete it, with the zaak's side of the relation kept in step.

ZGW rules applied here (Besluiten API 1.0.2, as Open Zaak applies them):
- ``besluittype`` is a besluittype of the Catalogi API beside it (``bad-url``), published (``not-published``),
  and does not change afterwards (``wijzigen-niet-toegelaten``), nor does ``verantwoordelijkeOrganisatie``;
- ``verantwoordelijkeOrganisatie`` passes the 11-proef; ``datum`` is not in the future (``future_not_allowed``);
- ``identificatie`` is generated when empty and unique per verantwoordelijke organisatie
  (``identificatie-niet-uniek``);
- a ``zaak`` is a zaak of the Zaken API beside it (``bad-url``) whose zaaktype has the besluittype among its
  besluittypen (``zaaktype-mismatch``); the zaak's ``besluiten`` follow in the same transaction;
- every change leaves an audittrail entry on the besluit and an event in the outbox.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Select, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from sds.runtime.errors import NotFound, PermissionDenied, ValidatieFout
from sds.runtime.scopes import BESLUITEN_AANMAKEN, BESLUITEN_BIJWERKEN, BESLUITEN_VERWIJDEREN
from services.zaken import events
from services.zaken.besluiten import authz, domain, schemas
from services.zaken.besluiten.models import besluit_audittrail, besluiten, besluitinformatieobjecten
from services.zaken.catalogi.models import besluittypen, catalogussen, zaaktype_besluittypen
from services.zaken.common import BESLUITEN_PREFIX, CATALOGI_PREFIX, base_url, check_rsin, uuid_from_url
from services.zaken.zaken import audit
from services.zaken.zaken import besluiten as zaakbesluiten
from services.zaken.zaken.access import zaak_by_url
from services.zaken.zaken.context import Ctx
from services.zaken.zaken.domain import changed_fields
from services.zaken.zaken.models import zaken

RESOURCE = "besluit"


def url(ctx: Ctx, collection: str, resource_uuid: str) -> str:
    return f"{base_url(ctx.request)}{BESLUITEN_PREFIX}/{collection}/{resource_uuid}"


def select_() -> Select[Any]:
    return (select(besluiten, besluittypen.c.uuid.label("besluittype_uuid"), zaken.c.uuid.label("zaak_uuid"))
            .join(besluittypen, besluittypen.c.id == besluiten.c.besluittype_id)
            .outerjoin(zaken, zaken.c.id == besluiten.c.zaak_id))


def serialize(ctx: Ctx, row: Any) -> dict[str, Any]:
    g = row.gegevens
    vervalreden = g.get("vervalreden", "")
    return {
        "url": url(ctx, "besluiten", row.uuid), "identificatie": row.identificatie,
        "verantwoordelijkeOrganisatie": row.verantwoordelijke_organisatie,
        "besluittype": ctx.type_url("besluittypen", row.besluittype_uuid),
        "zaak": ctx.url("zaken", row.zaak_uuid) if row.zaak_uuid else "",
        "datum": row.datum.isoformat(), "toelichting": g.get("toelichting", ""),
        "bestuursorgaan": g.get("bestuursorgaan", ""), "ingangsdatum": row.ingangsdatum.isoformat(),
        "vervaldatum": row.vervaldatum.isoformat() if row.vervaldatum else None, "vervalreden": vervalreden,
        "vervalredenWeergave": domain.vervalreden_weergave(vervalreden),
        "publicatiedatum": g.get("publicatiedatum"), "verzenddatum": g.get("verzenddatum"),
        "uiterlijkeReactiedatum": g.get("uiterlijkeReactiedatum"),
    }


async def stored(ctx: Ctx, besluit_uuid: str, scope: str, *, lock: bool = False) -> Any:
    """The besluit with this uuid: 404 when there is none, 403 when ``scope`` does not cover its besluittype."""
    stmt = select_().where(besluiten.c.uuid == besluit_uuid)
    row = (await ctx.session.execute(stmt.with_for_update(of=besluiten) if lock else stmt)).first()
    if row is None:
        raise NotFound()
    if not ctx.auth.heeft_alle_autorisaties and (await ctx.session.execute(select(besluiten.c.id).where(
            besluiten.c.id == row.id, authz.clause(ctx.request, ctx.auth, scope, besluiten.c.besluittype_id)))
            ).first() is None:
        raise PermissionDenied("Deze applicatie heeft geen rechten op besluiten van dit besluittype voor deze actie.")
    return row


async def _besluittype(ctx: Ctx, value: str) -> Any:
    found = uuid_from_url(ctx.request, value, CATALOGI_PREFIX, "besluittypen")
    row = (await ctx.session.execute(
        select(besluittypen.c.id, besluittypen.c.uuid, besluittypen.c.concept,
               catalogussen.c.uuid.label("catalogus_uuid"), catalogussen.c.kolom)
        .join(catalogussen, catalogussen.c.id == besluittypen.c.catalogus_id)
        .where(besluittypen.c.uuid == found))).first() if found else None
    if row is None:
        raise ValidatieFout.single("besluittype", "bad-url", "Het besluittype bestaat niet in de Catalogi API.")
    return row


async def _zaak(ctx: Ctx, value: str, besluittype_id: int) -> Any:
    """The zaak the besluit is the outcome of (locked: its besluiten change with this besluit), or None."""
    if not value:
        return None
    zaak = await zaak_by_url(ctx, value, lock=True)
    if (await ctx.session.execute(select(zaaktype_besluittypen.c.zaaktype_id).where(
            zaaktype_besluittypen.c.zaaktype_id == zaak.zaaktype_id,
            zaaktype_besluittypen.c.besluittype_id == besluittype_id))).first() is None:
        raise ValidatieFout.single("nonFieldErrors", "zaaktype-mismatch",
                                   "Het besluittype hoort niet bij de besluittypen van het zaaktype van de zaak.")
    return zaak


def _gegevens(body: schemas.BesluitIn) -> dict[str, Any]:
    """What the audittrail and the ``gegevens`` column keep: the body as the API shows it, without the
    references (kept as keys)."""
    return body.model_dump(mode="json", by_alias=True, exclude={"besluittype", "zaak"})


def _check(body: schemas.BesluitIn) -> None:
    check_rsin(body.verantwoordelijke_organisatie, "verantwoordelijkeOrganisatie")
    domain.check_datum(body.datum, date.today())


async def audit_entry(ctx: Ctx, besluit_id: int, besluit_uuid: str, actie: str, weergave: str,
                 oud: dict[str, Any] | None, nieuw: dict[str, Any] | None, *, resource: str = RESOURCE,
                 resource_url: str | None = None) -> None:
    hoofd = url(ctx, "besluiten", besluit_uuid)
    new_uuid, now, gegevens = audit.entry(ctx, bron="brc", hoofd_object=hoofd, actie=actie, resource=resource,
                                          resource_url=resource_url or hoofd, weergave=weergave, oud=oud, nieuw=nieuw)
    await ctx.session.execute(insert(besluit_audittrail).values(uuid=new_uuid, besluit_id=besluit_id,
                                                                aanmaakdatum=now, gegevens=gegevens))


def _event(ctx: Ctx, besluit_uuid: str, besluittype_uuid: str, zaak: Any, body: schemas.BesluitIn) -> dict[str, Any]:
    return {"besluit": url(ctx, "besluiten", besluit_uuid),
            "besluittype": ctx.type_url("besluittypen", besluittype_uuid),
            "zaak": ctx.url("zaken", zaak.uuid) if zaak is not None else None,
            "ingangsdatum": body.ingangsdatum.isoformat(),
            "vervaldatum": body.vervaldatum.isoformat() if body.vervaldatum else None,
            "vervalreden": body.vervalreden or None}


async def _write(ctx: Ctx, statement: Any) -> None:
    """Insert or update a besluit; the unique identificatie per organisation is the database's to hold."""
    try:
        async with ctx.session.begin_nested():
            await ctx.session.execute(statement)
    except IntegrityError:
        raise ValidatieFout.single("identificatie", "identificatie-niet-uniek",
                                   "Deze identificatie bestaat al voor deze verantwoordelijke organisatie.") from None


async def create(ctx: Ctx, body: schemas.BesluitIn) -> str:
    _check(body)
    besluittype = await _besluittype(ctx, body.besluittype)
    authz.require(ctx.request, ctx.auth, BESLUITEN_AANMAKEN, besluittype)
    if besluittype.concept:
        raise ValidatieFout.single("besluittype", "not-published", "Het besluittype is nog een concept.")
    zaak = await _zaak(ctx, body.zaak, besluittype.id)
    new_uuid = str(uuid.uuid4())
    identificatie = body.identificatie or domain.identificatie(date.today().year, new_uuid)
    await _unique(ctx, body.verantwoordelijke_organisatie, identificatie)
    gegevens = {**_gegevens(body), "identificatie": identificatie}
    await _write(ctx, insert(besluiten).values(
        uuid=new_uuid, identificatie=identificatie, verantwoordelijke_organisatie=body.verantwoordelijke_organisatie,
        besluittype_id=besluittype.id, zaak_id=zaak.id if zaak is not None else None, datum=body.datum,
        ingangsdatum=body.ingangsdatum, vervaldatum=body.vervaldatum, gegevens=gegevens))
    besluit_id = (await ctx.session.execute(select(besluiten.c.id).where(besluiten.c.uuid == new_uuid))).scalar_one()
    besluit_url = url(ctx, "besluiten", new_uuid)
    if zaak is not None:
        await zaakbesluiten.register(ctx, zaak, besluit_url)
    await audit_entry(ctx, besluit_id, new_uuid, "create", identificatie, None,
                 {**gegevens, "besluittype": body.besluittype, "zaak": body.zaak})
    await events.record(ctx.uow, "nl.overheid.zaken.besluit-aangemaakt", {
        **_event(ctx, new_uuid, besluittype.uuid, zaak, body), "datum": body.datum.isoformat()},
        subject=new_uuid, dataref=besluit_url)
    return new_uuid


async def _unique(ctx: Ctx, organisatie: str, identificatie: str, own_id: int | None = None) -> None:
    stmt = select(besluiten.c.id).where(besluiten.c.verantwoordelijke_organisatie == organisatie,
                                        besluiten.c.identificatie == identificatie)
    if own_id is not None:
        stmt = stmt.where(besluiten.c.id != own_id)
    if (await ctx.session.execute(stmt)).first():
        raise ValidatieFout.single("identificatie", "identificatie-niet-uniek",
                                   "Deze identificatie bestaat al voor deze verantwoordelijke organisatie.")


# What the client reads back and may send again unchanged on PUT; ignored as input (ZgwBody ignores them too).
_READ_ONLY = ("url", "vervalredenWeergave")


async def update_(ctx: Ctx, besluit_uuid: str, patch: dict[str, Any], *, partial: bool) -> None:
    row = await stored(ctx, besluit_uuid, BESLUITEN_BIJWERKEN, lock=True)
    old = serialize(ctx, row)
    given = {k: v for k, v in patch.items() if k not in _READ_ONLY}
    merged = {**old, **given} if partial else given
    # Not given (PUT without it): the identificatie stays, as it was generated or given at creation.
    if not merged.get("identificatie"):
        merged["identificatie"] = row.identificatie
    body = schemas.BesluitIn.model_validate(merged)
    _check(body)
    for field, changed in (("besluittype", uuid_from_url(ctx.request, body.besluittype, CATALOGI_PREFIX,
                                                         "besluittypen") != row.besluittype_uuid),
                           ("verantwoordelijkeOrganisatie",
                            body.verantwoordelijke_organisatie != row.verantwoordelijke_organisatie),
                           ("identificatie", body.identificatie != row.identificatie)):
        if changed:
            raise ValidatieFout.single(field, "wijzigen-niet-toegelaten", f"{field} mag niet gewijzigd worden.")
    besluittype = await _besluittype(ctx, body.besluittype)
    zaak = await _zaak(ctx, body.zaak, besluittype.id)
    besluit_url = url(ctx, "besluiten", row.uuid)
    zaak_id = zaak.id if zaak is not None else None
    if zaak_id != row.zaak_id:
        if row.zaak_id is not None:
            await zaakbesluiten.unregister(ctx, row.zaak_id, besluit_url)
        if zaak is not None:
            await zaakbesluiten.register(ctx, zaak, besluit_url)
    gegevens = _gegevens(body)
    await _write(ctx, update(besluiten).where(besluiten.c.id == row.id).values(
        zaak_id=zaak_id, datum=body.datum, ingangsdatum=body.ingangsdatum, vervaldatum=body.vervaldatum,
        gegevens=gegevens))
    new = {**old, **gegevens, "zaak": ctx.url("zaken", zaak.uuid) if zaak is not None else "",
           "vervalredenWeergave": domain.vervalreden_weergave(body.vervalreden)}
    await audit_entry(ctx, row.id, row.uuid, "partial_update" if partial else "update", row.identificatie, old, new)
    await events.record(ctx.uow, "nl.overheid.zaken.besluit-gewijzigd", {
        **_event(ctx, row.uuid, row.besluittype_uuid, zaak, body),
        "vorigeZaak": old["zaak"] if old["zaak"] and old["zaak"] != new["zaak"] else None,
        "velden": changed_fields(old, new)}, subject=row.uuid, dataref=besluit_url)


async def delete_(ctx: Ctx, besluit_uuid: str) -> list[str]:
    """The besluit goes with its besluitinformatieobjecten and its audittrail (the standard's "samen met alle
    gerelateerde resources binnen deze API"); the zaak it belonged to loses it from its besluiten. Returns the
    informatieobjecten it was related to, for the caller to remove the relations' other side from the Documenten
    API once this is committed."""
    row = await stored(ctx, besluit_uuid, BESLUITEN_VERWIJDEREN, lock=True)
    besluit_url = url(ctx, "besluiten", row.uuid)
    if row.zaak_id is not None:
        zaak = await zaak_by_url(ctx, ctx.url("zaken", row.zaak_uuid), lock=True)
        await zaakbesluiten.unregister(ctx, zaak.id, besluit_url)
    besluittype_url = ctx.type_url("besluittypen", row.besluittype_uuid)
    # Its besluitinformatieobjecten go with it (the foreign key cascades); each is announced as removed, so a
    # consumer that follows them does not keep one that is gone.
    bios = (await ctx.session.execute(select(besluitinformatieobjecten.c.uuid,
                                             besluitinformatieobjecten.c.informatieobject).where(
        besluitinformatieobjecten.c.besluit_id == row.id).order_by(besluitinformatieobjecten.c.id))).all()
    for bio in bios:
        bio_url = url(ctx, "besluitinformatieobjecten", bio.uuid)
        await events.record(ctx.uow, "nl.overheid.zaken.besluitinformatieobject-verwijderd", {
            "besluitinformatieobject": bio_url, "besluit": besluit_url, "besluittype": besluittype_url,
            "informatieobject": bio.informatieobject}, subject=bio.uuid, dataref=bio_url)
    await ctx.session.execute(delete(besluiten).where(besluiten.c.id == row.id))
    await events.record(ctx.uow, "nl.overheid.zaken.besluit-verwijderd", {
        "besluit": besluit_url, "besluittype": ctx.type_url("besluittypen", row.besluittype_uuid),
        "zaak": ctx.url("zaken", row.zaak_uuid) if row.zaak_uuid else None}, subject=row.uuid, dataref=besluit_url)
    return [bio.informatieobject for bio in bios]


async def zaak_deleted(ctx: Ctx, zaak: Any) -> None:
    """A deleted zaak leaves its besluiten without a zaak (they keep their own life, as Awb besluiten do): each
    gets an audittrail entry and a ``besluit-gewijzigd``, so a consumer does not keep a zaak that is gone.
    Called by the Zaken API in the transaction that deletes the zaak (its zaakbesluiten go with the zaak)."""
    zaak_url = ctx.url("zaken", zaak.uuid)
    rows = (await ctx.session.execute(select_().where(besluiten.c.zaak_id == zaak.id).order_by(besluiten.c.id))).all()
    for row in rows:
        old = serialize(ctx, row)
        await ctx.session.execute(update(besluiten).where(besluiten.c.id == row.id).values(zaak_id=None))
        await audit_entry(ctx, row.id, row.uuid, "partial_update", row.identificatie, old, {**old, "zaak": ""})
        besluit_url = url(ctx, "besluiten", row.uuid)
        await events.record(ctx.uow, "nl.overheid.zaken.besluit-gewijzigd", {
            "besluit": besluit_url, "besluittype": ctx.type_url("besluittypen", row.besluittype_uuid), "zaak": None,
            "vorigeZaak": zaak_url, "ingangsdatum": row.ingangsdatum.isoformat(),
            "vervaldatum": row.vervaldatum.isoformat() if row.vervaldatum else None,
            "vervalreden": row.gegevens.get("vervalreden") or None, "velden": ["zaak"]},
            subject=row.uuid, dataref=besluit_url)
