"""What hangs under a zaak: statussen, rollen, resultaten, zaakobjecten, klantcontacten and
zaakeigenschappen (create, read, delete; changes are in ``updates``).

ZGW rules applied here (Zaken API 1.5.1, as Open Zaak applies them):
- status-, rol-, resultaat- and eigenschap types must belong to the zaak's zaaktype (``zaaktype-mismatch``);
- the end status needs a resultaat (``resultaat-does-not-exist``), sets ``einddatum`` and closes the zaak;
- a non-end status on a closed zaak reopens it and needs ``zaken.heropenen``."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Select,
    delete,
    func,
    insert,
    select,
    update,
)

from sds.runtime.errors import Conflict, NotFound, PermissionDenied, ValidatieFout
from services.zaken import events
from services.zaken.catalogi.models import (
    eigenschappen,
    resultaattypen,
    roltypen,
    statustypen,
    zaakobjecttypen,
)
from services.zaken.catalogi.service import uitkomst_of
from services.zaken.common import (
    CATALOGI_PREFIX,
    uuid_from_url,
    without_blank,
)
from services.zaken.zaken import archiving, audit, domain, schemas, service, verwerking
from services.zaken.zaken.access import authorise_write, granted, type_of, zaak_by_url, zaak_by_uuid, zaaktype_of_zaak
from services.zaken.zaken.context import Ctx, aware
from services.zaken.zaken.models import (
    klantcontacten,
    resultaten,
    rollen,
    statussen,
    zaakeigenschappen,
    zaakobjecten,
    zaken,
)


async def create_status(ctx: Ctx, body: schemas.StatusIn) -> str:
    zaak = await zaak_by_url(ctx, body.zaak, lock=True)
    statustype = await type_of(ctx, statustypen, body.statustype, "statustypen", "statustype", zaak)
    hoogste = (await ctx.session.execute(select(func.max(statustypen.c.volgnummer)).where(
        statustypen.c.zaaktype_id == zaak.zaaktype_id))).scalar_one()
    is_eind = statustype.volgnummer == hoogste
    first = zaak.status_id is None
    scopes = ("zaken.statussen.toevoegen", "zaken.bijwerken", *(("zaken.aanmaken",) if first else ()))
    if zaak.einddatum is not None and not is_eind:
        # Reopening is its own right in ZGW: a client that may close a zaak may not necessarily reopen it.
        await authorise_write(ctx, zaak, scopes, closed_ok=True)
        if not await granted(ctx, zaak.id, "zaken.heropenen"):
            raise PermissionDenied("Het heropenen van een afgesloten zaak vraagt de scope zaken.heropenen.")
    else:
        await authorise_write(ctx, zaak, scopes)
    # Stored in UTC: SQLite keeps a datetime's wall-clock time and drops its offset.
    gezet = aware(body.datum_status_gezet).astimezone(UTC)
    resultaat = None
    if is_eind:
        resultaat = (await ctx.session.execute(
            select(resultaten, resultaattypen.c.uuid.label("resultaattype_uuid"),
                   resultaattypen.c.archiefnominatie.label("type_archiefnominatie"),
                   resultaattypen.c.gegevens.label("type_gegevens"))
            .join(resultaattypen, resultaattypen.c.id == resultaten.c.resultaattype_id)
            .where(resultaten.c.zaak_id == zaak.id))).first()
        if resultaat is None:
            raise ValidatieFout.single("statustype", "resultaat-does-not-exist",
                                       "De zaak heeft nog geen resultaat; zet dat eerst voor de eindstatus.")
    current = None
    if zaak.status_id is not None:
        current = (await ctx.session.execute(select(statussen.c.datum_status_gezet).where(
            statussen.c.id == zaak.status_id))).scalar_one()
        if current.tzinfo is None:
            current = current.replace(tzinfo=UTC)
    new_uuid = str(uuid.uuid4())
    gegevens = body.model_dump(mode="json", by_alias=True)
    gegevens["datumStatusGezet"] = gezet.isoformat()
    inserted = await ctx.session.execute(insert(statussen).values(
        uuid=new_uuid, zaak_id=zaak.id, statustype_id=statustype.id, datum_status_gezet=gezet, gegevens=gegevens)
        .returning(statussen.c.id))
    status_id = inserted.scalar_one()
    becomes_current = current is None or gezet >= current
    changes: dict[str, Any] = {}
    if becomes_current:
        changes["status_id"] = status_id
        if is_eind:
            # The date as the client stated it, not the UTC date (a status at 00:30 CET is that day).
            einddatum = aware(body.datum_status_gezet).date()
            assert resultaat is not None  # an end status without a resultaat was refused above
            changes["einddatum"] = einddatum
            changes.update(await archiving.on_close(ctx, zaak, resultaat.type_gegevens,
                                                    resultaat.type_archiefnominatie, einddatum))
        elif zaak.einddatum is not None:
            changes.update(einddatum=None, archiefnominatie=None, archiefactiedatum=None)
        await ctx.session.execute(update(zaken).where(zaken.c.id == zaak.id).values(**changes))
    url = ctx.url("statussen", new_uuid)
    zaak_url = ctx.url("zaken", zaak.uuid)
    zaaktype_url = ctx.type_url("zaaktypen", (await zaaktype_of_zaak(ctx, zaak)).uuid)
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="create", resource="status", resource_url=url,
                       weergave=statustype.omschrijving, oud=None, nieuw=gegevens)
    await events.record(ctx.uow, "nl.overheid.zaken.status-gezet", {
        "zaak": zaak_url, "zaaktype": zaaktype_url, "status": url,
        "statustype": ctx.type_url("statustypen", statustype.uuid), "datumStatusGezet": gezet.isoformat(),
        "isEindstatus": is_eind, **events.kenmerken(zaak)}, subject=zaak.uuid, dataref=url)
    kolommen = events.kolommen_of(zaak)
    if becomes_current and is_eind and zaak.huishouden and kolommen and resultaat is not None:
        await events.record(ctx.uow, "nl.overheid.zaken.zaak-afgesloten", {
            "zaak": zaak_url, "zaaktype": zaaktype_url, "huishouden": zaak.huishouden,
            "resultaattype": ctx.type_url("resultaattypen", resultaat.resultaattype_uuid),
            "einddatum": changes["einddatum"].isoformat(), **events.kenmerken(zaak), "kolommen": kolommen},
            subject=zaak.uuid, dataref=zaak_url)
    return new_uuid


def status_select() -> Select[Any]:
    return (select(statussen, zaken.c.uuid.label("zaak_uuid"), zaken.c.status_id.label("huidige_status_id"),
                   statustypen.c.uuid.label("statustype_uuid"))
            .join(zaken, zaken.c.id == statussen.c.zaak_id)
            .join(statustypen, statustypen.c.id == statussen.c.statustype_id))


def serialize_status(ctx: Ctx, row: Any) -> dict[str, Any]:
    return {**without_blank(dict(row.gegevens), "gezetdoor"), "url": ctx.url("statussen", row.uuid), "uuid": row.uuid,
            "zaak": ctx.url("zaken", row.zaak_uuid), "statustype": ctx.type_url("statustypen", row.statustype_uuid),
            "datumStatusGezet": aware(row.datum_status_gezet).isoformat(),
            "indicatieLaatstGezetteStatus": row.id == row.huidige_status_id, "zaakinformatieobjecten": []}


# --- rollen -------------------------------------------------------------------------------------------------


async def create_rol(ctx: Ctx, body: schemas.RolIn) -> str:
    zaak = await zaak_by_url(ctx, body.zaak, lock=True)
    roltype = await type_of(ctx, roltypen, body.roltype, "roltypen", "roltype", zaak)
    await authorise_write(ctx, zaak, ("zaken.bijwerken", "zaken.aanmaken"))
    if domain.is_regisseur(roltype.omschrijving):
        await _refuse_second_regisseur(ctx, zaak)
    return await insert_rol(ctx, zaak, roltype, body)


async def _refuse_second_regisseur(ctx: Ctx, zaak: Any) -> None:
    """Eén gezin, één plan, één regisseur: a zaak, and the plan it is part of, have at most one."""
    from services.zaken.plannen.models import plan_regisseurs, plan_zaken

    on_zaak = (await ctx.session.execute(select(rollen.c.id).join(roltypen, roltypen.c.id == rollen.c.roltype_id)
                                         .where(rollen.c.zaak_id == zaak.id,
                                                func.lower(roltypen.c.omschrijving) == "regisseur"))).first()
    in_plan = (await ctx.session.execute(select(plan_regisseurs.c.id).join(
        plan_zaken, plan_zaken.c.plan_id == plan_regisseurs.c.plan_id).where(
        plan_zaken.c.zaak_id == zaak.id, plan_regisseurs.c.tot.is_(None)))).first()
    if on_zaak or in_plan:
        raise Conflict("Er is al een regisseur; draag de regie over in plaats van een tweede toe te voegen.",
                       code="regisseur-bestaat-al")


async def insert_rol(ctx: Ctx, zaak: Any, roltype: Any, body: schemas.RolIn, *,
                     zaaktype_uuid: str | None = None) -> str:
    """Add the rol; ``zaaktype_uuid``: the zaak's zaaktype when the caller read it already (else it is read)."""
    new_uuid = str(uuid.uuid4())
    gegevens = body.model_dump(mode="json", by_alias=True, exclude_none=False)
    ident = body.betrokkene_identificatie
    registratiedatum = datetime.now(UTC)
    await ctx.session.execute(insert(rollen).values(
        uuid=new_uuid, zaak_id=zaak.id, roltype_id=roltype.id, betrokkene=body.betrokkene or None,
        betrokkene_type=body.betrokkene_type, omschrijving=roltype.omschrijving,
        omschrijving_generiek=roltype.omschrijving_generiek,
        medewerker_identificatie=ident.identificatie if ident and body.betrokkene_type == "medewerker" else None,
        bsn=ident.inp_bsn if ident and body.betrokkene_type == "natuurlijk_persoon" else None,
        registratiedatum=registratiedatum, gegevens=gegevens))
    url = ctx.url("rollen", new_uuid)
    # The trail names the roltype, not the person: a BSN or a name does not belong in a weergave.
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="create", resource="rol", resource_url=url,
                       weergave=roltype.omschrijving, oud=None, nieuw={"roltype": body.roltype,
                                                                       "betrokkeneType": body.betrokkene_type})
    if zaaktype_uuid is None:
        zaaktype_uuid = (await zaaktype_of_zaak(ctx, zaak)).uuid
    await events.record(ctx.uow, "nl.overheid.zaken.rol-toegevoegd", {
        "zaak": ctx.url("zaken", zaak.uuid), "zaaktype": ctx.type_url("zaaktypen", zaaktype_uuid), "rol": url,
        "roltype": ctx.type_url("roltypen", roltype.uuid), "omschrijving": roltype.omschrijving,
        "omschrijvingGeneriek": roltype.omschrijving_generiek, "betrokkeneType": body.betrokkene_type,
        "huishouden": zaak.huishouden, **events.kenmerken(zaak)}, subject=zaak.uuid, dataref=url)
    return new_uuid


def rol_select() -> Select[Any]:
    return (select(rollen, zaken.c.uuid.label("zaak_uuid"), roltypen.c.uuid.label("roltype_uuid"),
                   zaken.c.kolom.label("zaak_kolom"), zaken.c.kolommen.label("zaak_kolommen"))
            .join(zaken, zaken.c.id == rollen.c.zaak_id).join(roltypen, roltypen.c.id == rollen.c.roltype_id))


def serialize_rol(ctx: Ctx, row: Any) -> dict[str, Any]:
    out = {k: v for k, v in row.gegevens.items() if v is not None or k == "contactpersoonRol"}
    if out.get("betrokkeneIdentificatie"):
        out["betrokkeneIdentificatie"] = {k: v for k, v in out["betrokkeneIdentificatie"].items() if v is not None}
    out.update({"url": ctx.url("rollen", row.uuid), "uuid": row.uuid, "zaak": ctx.url("zaken", row.zaak_uuid),
                "roltype": ctx.type_url("roltypen", row.roltype_uuid), "omschrijving": row.omschrijving,
                "omschrijvingGeneriek": row.omschrijving_generiek,
                "registratiedatum": aware(row.registratiedatum).isoformat(), "statussen": []})
    return without_blank(out, "betrokkene")


async def delete_rol(ctx: Ctx, rol_uuid: str) -> None:
    from services.zaken.plannen.models import plan_regisseurs

    row = (await ctx.session.execute(rol_select().where(rollen.c.uuid == rol_uuid))).first()
    if row is None:
        raise NotFound()
    zaak = await zaak_by_uuid(ctx, row.zaak_uuid, lock=True)
    await authorise_write(ctx, zaak, ("zaken.bijwerken",))
    if (await ctx.session.execute(select(plan_regisseurs.c.id).where(
            plan_regisseurs.c.rol_uuid == rol_uuid, plan_regisseurs.c.tot.is_(None)))).first():
        raise Conflict("Deze rol is de regisseur van een plan; draag de regie over.", code="regisseur-in-plan")
    await ctx.session.execute(delete(rollen).where(rollen.c.id == row.id))
    await verwerking.rollen_gelezen(ctx, [row], activiteit="rol-verwijderen", handeling="schrijven")
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="destroy", resource="rol",
                       resource_url=ctx.url("rollen", rol_uuid), weergave=row.omschrijving, oud={}, nieuw=None)


# --- resultaten ----------------------------------------------------------------------------------------------


async def create_resultaat(ctx: Ctx, body: schemas.ResultaatIn) -> str:
    zaak = await zaak_by_url(ctx, body.zaak, lock=True)
    resultaattype = await type_of(ctx, resultaattypen, body.resultaattype, "resultaattypen", "resultaattype", zaak)
    await authorise_write(ctx, zaak, ("zaken.bijwerken",))
    if (await ctx.session.execute(select(resultaten.c.id).where(resultaten.c.zaak_id == zaak.id))).first():
        raise ValidatieFout.single("zaak", "unique", "Deze zaak heeft al een resultaat.")
    uitkomst = uitkomst_van(resultaattype, body)
    new_uuid = str(uuid.uuid4())
    gegevens = body.model_dump(mode="json", by_alias=True)
    await ctx.session.execute(insert(resultaten).values(uuid=new_uuid, zaak_id=zaak.id,
                                                        resultaattype_id=resultaattype.id, gegevens=gegevens))
    url = ctx.url("resultaten", new_uuid)
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="create", resource="resultaat", resource_url=url,
                       weergave=resultaattype.omschrijving, oud=None, nieuw=gegevens)
    await resultaat_vastgesteld(ctx, zaak, url, resultaattype, uitkomst, gegevens["toekenningen"])
    return new_uuid


def uitkomst_van(resultaattype: Any, body: schemas.ResultaatIn) -> str | None:
    """The resultaattype's uitkomst; only a toekenning carries toekenningen."""
    uitkomst = uitkomst_of(resultaattype.gegevens)
    if body.toekenningen and uitkomst not in ("toegekend", "gedeeltelijk-toegekend"):
        raise ValidatieFout.single("toekenningen", "invalid",
                                   "Alleen een toekenning (resultaat toegekend) kent toekenningen.")
    return uitkomst


async def resultaat_vastgesteld(ctx: Ctx, zaak: Any, url: str, resultaattype: Any, uitkomst: str | None,
                                toekenningen: list[Any]) -> None:
    """``resultaat-vastgesteld`` for a zaak of a household whose resultaattype has an uitkomst: what financien
    makes its toewijzingen from."""
    kolommen = events.kolommen_of(zaak)
    if zaak.huishouden and uitkomst and kolommen:
        zaaktype_uuid = (await zaaktype_of_zaak(ctx, zaak)).uuid
        await events.record(ctx.uow, "nl.overheid.zaken.resultaat-vastgesteld", {
            "zaak": ctx.url("zaken", zaak.uuid), "zaaktype": ctx.type_url("zaaktypen", zaaktype_uuid),
            "huishouden": zaak.huishouden, "kolom": kolommen[0], "resultaat": url,
            "resultaattype": ctx.type_url("resultaattypen", resultaattype.uuid), "uitkomst": uitkomst,
            "toekenningen": toekenningen, "bronorganisatie": zaak.bronorganisatie,
            "vertrouwelijkheidaanduiding": zaak.vertrouwelijkheidaanduiding}, subject=zaak.uuid, dataref=url)


def resultaat_select() -> Select[Any]:
    return (select(resultaten, zaken.c.uuid.label("zaak_uuid"), resultaattypen.c.uuid.label("resultaattype_uuid"))
            .join(zaken, zaken.c.id == resultaten.c.zaak_id)
            .join(resultaattypen, resultaattypen.c.id == resultaten.c.resultaattype_id))


def serialize_resultaat(ctx: Ctx, row: Any) -> dict[str, Any]:
    return {**row.gegevens, "url": ctx.url("resultaten", row.uuid), "uuid": row.uuid,
            "zaak": ctx.url("zaken", row.zaak_uuid), "resultaattype": ctx.type_url("resultaattypen",
                                                                                   row.resultaattype_uuid)}


async def delete_resultaat(ctx: Ctx, resultaat_uuid: str) -> None:
    row = (await ctx.session.execute(resultaat_select().where(resultaten.c.uuid == resultaat_uuid))).first()
    if row is None:
        raise NotFound()
    zaak = await zaak_by_uuid(ctx, row.zaak_uuid, lock=True)
    await authorise_write(ctx, zaak, ("zaken.bijwerken",))
    await ctx.session.execute(delete(resultaten).where(resultaten.c.id == row.id))
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="destroy", resource="resultaat",
                       resource_url=ctx.url("resultaten", resultaat_uuid), weergave="resultaat", oud=row.gegevens,
                       nieuw=None)


# --- zaakobjecten, klantcontacten, zaakeigenschappen -------------------------------------------------------------


async def create_zaakobject(ctx: Ctx, body: schemas.ZaakObjectIn) -> str:
    zaak = await zaak_by_url(ctx, body.zaak, lock=True)
    await authorise_write(ctx, zaak, ("zaken.bijwerken", "zaken.aanmaken"))
    if body.zaakobjecttype:
        await check_zaakobjecttype(ctx, body.zaakobjecttype, zaak)
    new_uuid = str(uuid.uuid4())
    gegevens = body.model_dump(mode="json", by_alias=True)
    await ctx.session.execute(insert(zaakobjecten).values(uuid=new_uuid, zaak_id=zaak.id, object=body.object or None,
                                                          object_type=body.object_type, gegevens=gegevens))
    url = ctx.url("zaakobjecten", new_uuid)
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="create", resource="zaakobject", resource_url=url,
                       weergave=body.object_type, oud=None, nieuw={"objectType": body.object_type})
    if body.object_type == "huishouden" and body.object and zaak.huishouden is None:
        # The zaak becomes a household's zaak now; that is when the social domain hears it was opened.
        await ctx.session.execute(update(zaken).where(zaken.c.id == zaak.id).values(huishouden=body.object))
        stored = (await ctx.session.execute(select(zaken).where(zaken.c.id == zaak.id))).one()
        await service.announce_stored(ctx, stored)
    return new_uuid


def zaakobject_select() -> Select[Any]:
    return select(zaakobjecten, zaken.c.uuid.label("zaak_uuid")).join(zaken, zaken.c.id == zaakobjecten.c.zaak_id)


def serialize_zaakobject(ctx: Ctx, row: Any) -> dict[str, Any]:
    out = dict(row.gegevens)
    if out.get("objectIdentificatie"):
        out["objectIdentificatie"] = {k: v for k, v in out["objectIdentificatie"].items() if v is not None}
    out.update({"url": ctx.url("zaakobjecten", row.uuid), "uuid": row.uuid, "zaak": ctx.url("zaken", row.zaak_uuid)})
    return without_blank(out, "object", "zaakobjecttype", "objectTypeOverige")


async def delete_zaakobject(ctx: Ctx, zaakobject_uuid: str) -> None:
    row = (await ctx.session.execute(zaakobject_select().where(zaakobjecten.c.uuid == zaakobject_uuid))).first()
    if row is None:
        raise NotFound()
    zaak = await zaak_by_uuid(ctx, row.zaak_uuid, lock=True)
    await authorise_write(ctx, zaak, ("zaken.bijwerken",))
    await ctx.session.execute(delete(zaakobjecten).where(zaakobjecten.c.id == row.id))
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="destroy", resource="zaakobject",
                       resource_url=ctx.url("zaakobjecten", zaakobject_uuid), weergave=row.object_type, oud={},
                       nieuw=None)


async def create_klantcontact(ctx: Ctx, body: schemas.KlantContactIn) -> str:
    zaak = await zaak_by_url(ctx, body.zaak, lock=True)
    await authorise_write(ctx, zaak, ("zaken.bijwerken", "zaken.aanmaken"))
    new_uuid = str(uuid.uuid4())
    datumtijd = aware(body.datumtijd).astimezone(UTC)
    identificatie = body.identificatie or f"KC-{new_uuid.replace('-', '')[:11].upper()}"
    gegevens = body.model_dump(mode="json", by_alias=True)
    gegevens.update(identificatie=identificatie, datumtijd=datumtijd.isoformat())
    await ctx.session.execute(insert(klantcontacten).values(uuid=new_uuid, zaak_id=zaak.id, identificatie=identificatie,
                                                            datumtijd=datumtijd, gegevens=gegevens))
    url = ctx.url("klantcontacten", new_uuid)
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="create", resource="klantcontact", resource_url=url,
                       weergave=identificatie, oud=None, nieuw={"kanaal": body.kanaal})
    return new_uuid


def klantcontact_select() -> Select[Any]:
    return select(klantcontacten, zaken.c.uuid.label("zaak_uuid")).join(zaken, zaken.c.id == klantcontacten.c.zaak_id)


def serialize_klantcontact(ctx: Ctx, row: Any) -> dict[str, Any]:
    return {**row.gegevens, "url": ctx.url("klantcontacten", row.uuid), "uuid": row.uuid,
            "zaak": ctx.url("zaken", row.zaak_uuid), "datumtijd": aware(row.datumtijd).isoformat()}


async def create_zaakeigenschap(ctx: Ctx, zaak_uuid: str, body: schemas.ZaakEigenschapIn) -> str:
    zaak = await zaak_by_url(ctx, body.zaak, lock=True)
    if zaak.uuid != zaak_uuid:
        raise ValidatieFout.single("zaak", "invalid", "De zaak in de body is niet de zaak in het pad.")
    eigenschap = await type_of(ctx, eigenschappen, body.eigenschap, "eigenschappen", "eigenschap", zaak)
    await authorise_write(ctx, zaak, ("zaken.bijwerken",))
    new_uuid = str(uuid.uuid4())
    await ctx.session.execute(insert(zaakeigenschappen).values(uuid=new_uuid, zaak_id=zaak.id,
                                                               eigenschap_id=eigenschap.id, waarde=body.waarde))
    url = ctx.url(f"zaken/{zaak.uuid}/zaakeigenschappen", new_uuid)
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="create", resource="zaakeigenschap", resource_url=url,
                       weergave=eigenschap.naam, oud=None, nieuw={"eigenschap": body.eigenschap})
    return new_uuid


def zaakeigenschap_select() -> Select[Any]:
    return (select(zaakeigenschappen, zaken.c.uuid.label("zaak_uuid"), eigenschappen.c.uuid.label("eigenschap_uuid"),
                   eigenschappen.c.naam.label("naam"))
            .join(zaken, zaken.c.id == zaakeigenschappen.c.zaak_id)
            .join(eigenschappen, eigenschappen.c.id == zaakeigenschappen.c.eigenschap_id))


def serialize_zaakeigenschap(ctx: Ctx, row: Any) -> dict[str, Any]:
    return {"url": ctx.url(f"zaken/{row.zaak_uuid}/zaakeigenschappen", row.uuid), "uuid": row.uuid,
            "zaak": ctx.url("zaken", row.zaak_uuid), "eigenschap": ctx.type_url("eigenschappen", row.eigenschap_uuid),
            "naam": row.naam, "waarde": row.waarde}


async def check_zaakobjecttype(ctx: Ctx, url: str, zaak: Any) -> None:
    found = uuid_from_url(ctx.request, url, CATALOGI_PREFIX, "zaakobjecttypen")
    row = None
    if found:
        row = (await ctx.session.execute(select(zaakobjecttypen.c.zaaktype_id).where(
            zaakobjecttypen.c.uuid == found))).first()
    if row is None:
        raise ValidatieFout.single("zaakobjecttype", "bad-url", "Het zaakobjecttype bestaat niet.")
    if row.zaaktype_id != zaak.zaaktype_id:
        raise ValidatieFout.single("zaakobjecttype", "zaaktype-mismatch",
                                   "Het zaakobjecttype hoort niet bij het zaaktype van de zaak.")
