"""Use cases of a zaak itself: open, change and delete it (what hangs under it is in ``subresources``).

ZGW rules applied here (Zaken API 1.5.1, as Open Zaak applies them):
- ``identificatie`` is generated when absent and unique per ``bronorganisatie`` (``identificatie-niet-uniek``);
  ``bronorganisatie`` and ``verantwoordelijkeOrganisatie`` pass the 11-proef;
- the zaaktype must be published (``zaaktype-concept``); status-, rol-, resultaat- and eigenschap types
  must belong to the zaak's zaaktype (``zaaktype-mismatch``);
- a closed zaak changes only with ``zaken.geforceerd-bijwerken``.
"""

from __future__ import annotations

import uuid
import weakref
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    delete,
    insert,
    select,
    update,
)

from sds.runtime.auth import vertrouwelijkheid_rank
from sds.runtime.errors import ApiError, Conflict, PermissionDenied, ValidatieFout
from services.zaken import events
from services.zaken.catalogi.models import (
    catalogussen,
    zaaktypen,
)
from services.zaken.common import (
    CATALOGI_PREFIX,
    check_rsin,
    uuid_from_url,
)
from services.zaken.zaken import audit, authz, domain, geometrie, schemas, verwerking
from services.zaken.zaken.access import authorise_write, zaak_by_url, zaak_by_uuid, zaaktype_of_zaak
from services.zaken.zaken.context import Ctx
from services.zaken.zaken.counters import (
    count_zaak,
    give_back,
    insert_unless_taken,
    next_number,
    pop_reserved,
    take_reserved_number,
)
from services.zaken.zaken.models import (
    hoofd,
    klantcontacten,
    resultaten,
    rollen,
    statussen,
    zaakeigenschappen,
    zaakinformatieobjecten,
    zaakobjecten,
    zaken,
)

# --- opening and changing zaken -----------------------------------------------------------------------------


# Published zaaktypen per database (engine), by uuid. What a create reads of one (id, catalogus, kolom,
# vertrouwelijkheidaanduiding, productenOfDiensten) cannot change once it is published: only a concept may be
# changed or deleted, a published one only gets an eindeGeldigheid, and a catalogus keeps its kolom.
_PUBLISHED: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()
_PUBLISHED_MAX = 10_000


async def _zaaktype_for_zaak(ctx: Ctx, url: str) -> Any:
    found = uuid_from_url(ctx.request, url, CATALOGI_PREFIX, "zaaktypen")
    cache = _PUBLISHED.setdefault(ctx.session.get_bind(), {})
    if found and found in cache:
        return cache[found]
    row = None
    if found:
        row = (await ctx.session.execute(
            select(zaaktypen, catalogussen.c.uuid.label("catalogus_uuid"), catalogussen.c.kolom.label("kolom"))
            .join(catalogussen, catalogussen.c.id == zaaktypen.c.catalogus_id)
            .where(zaaktypen.c.uuid == found))).first()
    if found is None or row is None:
        raise ValidatieFout.single("zaaktype", "bad-url", "Het zaaktype bestaat niet.")
    if row.concept:
        raise ValidatieFout.single("zaaktype", "zaaktype-concept",
                                   "Het zaaktype is nog een concept; alleen een gepubliceerd zaaktype kan.")
    if len(cache) >= _PUBLISHED_MAX:
        cache.clear()
    cache[found] = row
    return row


async def _check_zaak_body(ctx: Ctx, body: schemas.ZaakIn, zaaktype: Any, own_id: int | None = None) -> Any:
    """Rules that read the database; returns the hoofdzaak row, if any."""
    check_rsin(body.bronorganisatie, "bronorganisatie")
    check_rsin(body.verantwoordelijke_organisatie, "verantwoordelijkeOrganisatie")
    if body.opdrachtgevende_organisatie:
        check_rsin(body.opdrachtgevende_organisatie, "opdrachtgevendeOrganisatie")
    allowed = set(zaaktype.gegevens.get("productenOfDiensten") or [])
    if not set(body.producten_of_diensten) <= allowed:
        raise ValidatieFout.single("productenOfDiensten", "invalid-products-services",
                                   "Niet alle producten/diensten komen voor in de producten/diensten op het zaaktype.")
    if body.archiefstatus != "nog_te_archiveren":
        if not body.archiefnominatie:
            raise ValidatieFout.single("archiefnominatie", "archiefnominatie-not-set",
                                       "Archiefnominatie moet gezet zijn om de zaak te archiveren.")
        if body.archiefactiedatum is None:
            raise ValidatieFout.single("archiefactiedatum", "archiefactiedatum-not-set",
                                       "Archiefactiedatum moet gezet zijn om de zaak te archiveren.")
    for i, relevant in enumerate(body.relevante_andere_zaken):
        await zaak_by_url(ctx, relevant.url, f"relevanteAndereZaken.{i}.url")
    if body.hoofdzaak is None:
        return None
    parent = await zaak_by_url(ctx, body.hoofdzaak, "hoofdzaak")
    if own_id is not None and parent.id == own_id:
        raise ValidatieFout.single("hoofdzaak", "self-forbidden", "Een zaak kan niet zijn eigen hoofdzaak zijn.")
    if parent.hoofdzaak_id is not None:
        raise ValidatieFout.single("hoofdzaak", "deelzaak-als-hoofdzaak",
                                   "Een deelzaak kan niet de hoofdzaak zijn van een andere zaak.")
    if own_id is not None and (await ctx.session.execute(
            select(zaken.c.id).where(zaken.c.hoofdzaak_id == own_id).limit(1))).first():
        raise ValidatieFout.single("hoofdzaak", "deelzaak-als-hoofdzaak",
                                   "Een hoofdzaak met deelzaken kan zelf geen deelzaak worden.")
    return parent


@dataclass(frozen=True)
class Herkomst:
    """Sociaal domein: where a zaak comes from when triage opened it."""

    bron_sleutel: str | None = None
    cluster: str | None = None
    kolommen: list[str] | None = None


async def create_zaak(ctx: Ctx, body: schemas.ZaakIn, herkomst: Herkomst = Herkomst()) -> str:
    registratiedatum = body.registratiedatum or datetime.now(UTC).date()
    reserved = None
    if not body.identificatie:
        # Taken first, while this request holds no connection (see take_reserved_number).
        reserved = await take_reserved_number(ctx.session, body.bronorganisatie, registratiedatum.year)
    try:
        return await _create_zaak(ctx, body, herkomst, registratiedatum, reserved)
    except ApiError:
        # Refused before anything was written (the rules are checked first): the number is still free.
        if reserved is not None:
            give_back(ctx.session, body.bronorganisatie, registratiedatum.year, reserved)
        raise


async def _create_zaak(ctx: Ctx, body: schemas.ZaakIn, herkomst: Herkomst, registratiedatum: date,
                       reserved: int | None) -> str:
    zaaktype = await _zaaktype_for_zaak(ctx, body.zaaktype)
    parent = await _check_zaak_body(ctx, body, zaaktype)
    vertrouwelijkheid = body.vertrouwelijkheidaanduiding or zaaktype.vertrouwelijkheidaanduiding
    authz.require_create(ctx.request, ctx.auth, zaaktype_uuid=zaaktype.uuid, catalogus_uuid=zaaktype.catalogus_uuid,
                         kolom=zaaktype.kolom, vertrouwelijkheidaanduiding=vertrouwelijkheid)
    if body.identificatie:
        taken = (await ctx.session.execute(select(zaken.c.id).where(
            zaken.c.bronorganisatie == body.bronorganisatie, zaken.c.identificatie == body.identificatie))).first()
        if taken:
            raise ValidatieFout.single("identificatie", "identificatie-niet-uniek",
                                       "Deze identificatie bestaat al voor deze bronorganisatie.")
        identificatie = body.identificatie
    else:
        number = reserved if reserved is not None else await next_number(ctx.session, body.bronorganisatie,
                                                                           registratiedatum.year)
        identificatie = domain.identificatie(registratiedatum.year, number)
    gegevens = body.model_dump(mode="json", by_alias=True)
    gegevens.update(identificatie=identificatie, registratiedatum=registratiedatum.isoformat(),
                    vertrouwelijkheidaanduiding=vertrouwelijkheid)
    new_uuid = str(uuid.uuid4())
    values = dict(
        uuid=new_uuid, identificatie=identificatie, bronorganisatie=body.bronorganisatie,
        zaaktype_id=zaaktype.id, catalogus_id=zaaktype.catalogus_id, kolom=zaaktype.kolom,
        vertrouwelijkheidaanduiding=vertrouwelijkheid, vertrouwelijkheid_rank=vertrouwelijkheid_rank(vertrouwelijkheid),
        registratiedatum=registratiedatum, startdatum=body.startdatum, einddatum=None,
        einddatum_gepland=body.einddatum_gepland, uiterlijke_einddatum_afdoening=body.uiterlijke_einddatum_afdoening,
        publicatiedatum=body.publicatiedatum, archiefnominatie=body.archiefnominatie or None,
        archiefstatus=body.archiefstatus, archiefactiedatum=body.archiefactiedatum,
        hoofdzaak_id=parent.id if parent is not None else None,
        huishouden=body.huishouden, aanvraag=body.aanvraag, cluster=herkomst.cluster,
        kolommen=",".join(herkomst.kolommen) if herkomst.kolommen else None, bron_sleutel=herkomst.bron_sleutel,
        gegevens=gegevens, **geometrie.kader(gegevens.get("zaakgeometrie")))
    if body.identificatie:
        await ctx.session.execute(insert(zaken), values)
    else:
        while (await ctx.session.execute(insert_unless_taken(ctx.session), values)).first() is None:
            # A client chose this identificatie itself: the next reserved number, or the counter moves on.
            again = (pop_reserved(ctx.session, body.bronorganisatie, registratiedatum.year)
                     if reserved is not None else None)
            if again is None:
                again = await next_number(ctx.session, body.bronorganisatie, registratiedatum.year)
            identificatie = domain.identificatie(registratiedatum.year, again)
            values["identificatie"] = gegevens["identificatie"] = identificatie
    url = ctx.url("zaken", new_uuid)
    await audit.record(ctx, zaak_uuid=new_uuid, actie="create", resource="zaak", resource_url=url,
                       weergave=identificatie, oud=None, nieuw=gegevens)
    if body.huishouden:
        await announce_opened(ctx, SimpleNamespace(**values), zaaktype_uuid=zaaktype.uuid,
                              catalogus_uuid=zaaktype.catalogus_uuid,
                              hoofdzaak_uuid=parent.uuid if parent is not None else None)
    # Last: the zaaktype's counter row stays locked until the commit, and every create of this zaaktype
    # waits for it, so it is taken as late as possible.
    await count_zaak(ctx.session, zaaktype.id, +1)
    return new_uuid


async def announce_opened(ctx: Ctx, zaak: Any, *, zaaktype_uuid: str, catalogus_uuid: str,
                          hoofdzaak_uuid: str | None) -> None:
    kolommen = events.kolommen_of(zaak)
    if not kolommen:
        return  # an integral zaak opened by hand names no kolom yet; escalation announces it with its deelzaken
    url = ctx.url("zaken", zaak.uuid)
    await events.record(ctx.uow, "nl.overheid.zaken.zaak-geopend", {
        "aanvraag": zaak.aanvraag, "zaak": url, "zaaktype": ctx.type_url("zaaktypen", zaaktype_uuid),
        "catalogus": ctx.type_url("catalogussen", catalogus_uuid), "kolommen": kolommen,
        "cluster": zaak.cluster, "integraal": zaak.kolom == "integraal", "huishouden": zaak.huishouden,
        "hoofdzaak": ctx.url("zaken", hoofdzaak_uuid) if hoofdzaak_uuid else None,
        "vertrouwelijkheidaanduiding": zaak.vertrouwelijkheidaanduiding,
        "registratiedatum": zaak.registratiedatum.isoformat(), "startdatum": zaak.startdatum.isoformat(),
        "bronorganisatie": zaak.bronorganisatie,
    }, subject=zaak.uuid, dataref=url)


async def announce_stored(ctx: Ctx, zaak: Any) -> None:
    """``announce_opened`` for a zaak already in the database (it became a household's zaak later)."""
    refs = (await ctx.session.execute(
        select(zaaktypen.c.uuid, catalogussen.c.uuid.label("catalogus_uuid"), hoofd.c.uuid.label("hoofdzaak_uuid"))
        .select_from(zaken).join(zaaktypen, zaaktypen.c.id == zaken.c.zaaktype_id)
        .join(catalogussen, catalogussen.c.id == zaaktypen.c.catalogus_id)
        .outerjoin(hoofd, hoofd.c.id == zaken.c.hoofdzaak_id).where(zaken.c.id == zaak.id))).one()
    await announce_opened(ctx, zaak, zaaktype_uuid=refs.uuid, catalogus_uuid=refs.catalogus_uuid,
                          hoofdzaak_uuid=refs.hoofdzaak_uuid)


# Fields a ZGW client may not change after creation.
_IMMUTABLE = ("identificatie", "zaaktype", "bronorganisatie")


async def update_zaak(ctx: Ctx, zaak_uuid: str, patch: dict[str, Any], *, partial: bool) -> None:
    zaak = await zaak_by_uuid(ctx, zaak_uuid, lock=True)
    await authorise_write(ctx, zaak, ("zaken.bijwerken",))
    old = dict(zaak.gegevens)
    merged = {**old, **patch} if partial else {**patch}
    if not partial:
        merged.setdefault("identificatie", old["identificatie"])
    body = schemas.ZaakIn.model_validate(merged)
    for field in _IMMUTABLE:
        if merged.get(field) != old.get(field):
            raise ValidatieFout.single(field, "wijzigen-niet-toegelaten", f"{field} kan niet gewijzigd worden.")
    zaaktype = await zaaktype_of_zaak(ctx, zaak)
    parent = await _check_zaak_body(ctx, body, zaaktype, own_id=zaak.id)
    hoofdzaak_id = parent.id if parent is not None else None
    vertrouwelijkheid = body.vertrouwelijkheidaanduiding or zaak.vertrouwelijkheidaanduiding
    if vertrouwelijkheid != zaak.vertrouwelijkheidaanduiding and not authz.may_create(
            ctx.request, ctx.auth, zaaktype_uuid=zaaktype.uuid, catalogus_uuid=zaaktype.catalogus_uuid,
            kolom=zaak.kolom, vertrouwelijkheidaanduiding=vertrouwelijkheid, scope="zaken.bijwerken"):
        raise PermissionDenied("Deze vertrouwelijkheidaanduiding gaat boven wat deze applicatie mag.")
    gegevens = body.model_dump(mode="json", by_alias=True)
    gegevens.update(registratiedatum=(body.registratiedatum or zaak.registratiedatum).isoformat(),
                    vertrouwelijkheidaanduiding=vertrouwelijkheid)
    await ctx.session.execute(update(zaken).where(zaken.c.id == zaak.id).values(
        vertrouwelijkheidaanduiding=vertrouwelijkheid, vertrouwelijkheid_rank=vertrouwelijkheid_rank(vertrouwelijkheid),
        registratiedatum=body.registratiedatum or zaak.registratiedatum, startdatum=body.startdatum,
        einddatum_gepland=body.einddatum_gepland, uiterlijke_einddatum_afdoening=body.uiterlijke_einddatum_afdoening,
        publicatiedatum=body.publicatiedatum, archiefnominatie=body.archiefnominatie or None,
        archiefstatus=body.archiefstatus, archiefactiedatum=body.archiefactiedatum, hoofdzaak_id=hoofdzaak_id,
        huishouden=body.huishouden, aanvraag=body.aanvraag, gegevens=gegevens,
        **geometrie.kader(gegevens.get("zaakgeometrie"))))
    url = ctx.url("zaken", zaak.uuid)
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="partial_update" if partial else "update", resource="zaak",
                       resource_url=url, weergave=zaak.identificatie, oud=old, nieuw=gegevens)
    await events.record(ctx.uow, "nl.overheid.zaken.zaak-gemuteerd", {
        "zaak": url, "zaaktype": ctx.type_url("zaaktypen", zaaktype.uuid), "actie": "bijgewerkt",
        "velden": domain.changed_fields(old, gegevens), "huishouden": body.huishouden,
        **events.kenmerken(zaak), "vertrouwelijkheidaanduiding": vertrouwelijkheid,
    }, subject=zaak.uuid, dataref=url)



async def delete_zaak(ctx: Ctx, zaak_uuid: str) -> list[str]:
    """Deletes the zaak and what hangs on it; returns the informatieobjecten of its zaakinformatieobjecten, for the
    caller to remove the relations' other side from the Documenten API once this is committed."""
    zaak = await zaak_by_uuid(ctx, zaak_uuid, lock=True)
    await authorise_write(ctx, zaak, ("zaken.verwijderen",))
    if (await ctx.session.execute(select(zaken.c.id).where(zaken.c.hoofdzaak_id == zaak.id).limit(1))).first():
        raise ValidatieFout.single("nonFieldErrors", "pending-relations",
                                   "Een zaak met deelzaken kan niet verwijderd worden.")
    from services.zaken.plannen.models import plan_regisseurs

    if (await ctx.session.execute(select(plan_regisseurs.c.id).where(
            plan_regisseurs.c.zaak_uuid == zaak.uuid, plan_regisseurs.c.tot.is_(None)))).first():
        raise Conflict("De regisseur van een plan is een rol op deze zaak; draag de regie eerst over.",
                       code="regisseur-in-plan")
    zaaktype = await zaaktype_of_zaak(ctx, zaak)
    await verwerking.zaak_verwijderd(ctx, zaak.id)
    relaties = list((await ctx.session.execute(select(zaakinformatieobjecten.c.informatieobject).where(
        zaakinformatieobjecten.c.zaak_id == zaak.id))).scalars())
    await ctx.session.execute(update(zaken).where(zaken.c.id == zaak.id).values(status_id=None))
    for table in (statussen, rollen, resultaten, zaakobjecten, klantcontacten, zaakeigenschappen,
                  zaakinformatieobjecten):
        await ctx.session.execute(delete(table).where(table.c.zaak_id == zaak.id))
    from services.zaken.plannen.models import plan_zaken

    await ctx.session.execute(delete(plan_zaken).where(plan_zaken.c.zaak_id == zaak.id))
    from services.zaken.besluiten import service as besluiten

    await besluiten.zaak_deleted(ctx, zaak)
    await ctx.session.execute(delete(zaken).where(zaken.c.id == zaak.id))
    await count_zaak(ctx.session, zaak.zaaktype_id, -1)
    url = ctx.url("zaken", zaak.uuid)
    await audit.record(ctx, zaak_uuid=zaak.uuid, actie="destroy", resource="zaak", resource_url=url,
                       weergave=zaak.identificatie, oud=dict(zaak.gegevens), nieuw=None)
    await events.record(ctx.uow, "nl.overheid.zaken.zaak-gemuteerd", {
        "zaak": url, "zaaktype": ctx.type_url("zaaktypen", zaaktype.uuid), "actie": "verwijderd", "velden": [],
        "huishouden": zaak.huishouden, **events.kenmerken(zaak)}, subject=zaak.uuid, dataref=url)
    return relaties
