"""Use cases on contactmomenten (kept per cluster) and toestemmingen (consent per purpose and kolom/cluster)."""

from __future__ import annotations

import uuid as uuidlib
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Row, insert, select, update

from sds.runtime.app import UnitOfWork
from sds.runtime.auth import AuthContext
from sds.runtime.bsn import inwoner_bsn
from sds.runtime.doelbinding import Zicht
from sds.runtime.errors import NotFound, PermissionDenied, ValidatieFout, refused_or_absent
from services.klantgegevens import store
from services.klantgegevens.context import Klantgegevens
from services.klantgegevens.domain import SCOPE_INWONER, Bereik, toestemming_geldig
from services.klantgegevens.models import contactmomenten, personen, toestemmingen
from services.klantgegevens.personen import toegang
from services.klantgegevens.schemas import CONTACTMOMENT, TOESTEMMING, NieuwContactmoment, NieuweToestemming


async def _zichtbare_persoon(uow: UnitOfWork, reach: Bereik, uuid: str) -> tuple[Row[Any], str] | None:
    row = await store.persoon_by_uuid(uow.session, reach, uuid, date.today())
    grond = toegang(reach, row) if row is not None else None
    return (row, grond) if row is not None and grond is not None else None


def _clusters(ctx: AuthContext) -> list[str] | None:
    """The clusters whose contactmomenten this client sees; None: all (a client with every authorisation)."""
    return None if ctx.heeft_alle_autorisaties else list(ctx.clusters)


def _zicht_contactmomenten(ctx: AuthContext) -> Zicht:
    clusters = _clusters(ctx)
    return Zicht.alles() if clusters is None else Zicht(frozenset(clusters))


def _zicht_toestemmingen(reach: Bereik | None) -> Zicht:
    """What a client sees of consents: those of its kolommen and clusters (None: a resident, all of their own)."""
    if reach is None or reach.alles:
        return Zicht.alles()
    return Zicht(reach.kolommen | reach.clusters)


# --- contactmomenten -------------------------------------------------------------------------------------

def contactmoment_out(kg: Klantgegevens, row: Row[Any], persoon_uuid: str) -> dict[str, Any]:
    return {"url": kg.url("contactmomenten", row.uuid), "uuid": row.uuid,
            "persoon": kg.url("personen", persoon_uuid), "cluster": row.cluster, "kanaal": row.kanaal,
            "onderwerp": row.onderwerp, "medewerker": row.medewerker, "tijdstip": row.tijdstip}


async def registreer_contactmoment(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext,
                                   body: NieuwContactmoment) -> dict[str, Any]:
    reach = kg.schrijf_bereik(ctx)
    clusters = _clusters(ctx)
    if clusters is not None and body.cluster not in clusters:
        raise PermissionDenied("Deze applicatie registreert geen contactmomenten voor dit cluster.")
    found = await _zichtbare_persoon(uow, reach, body.persoon)
    if found is None:
        raise ValidatieFout.single("persoon", "does_not_exist", "Deze persoon bestaat niet.")
    persoon, grond = found
    uuid = str(uuidlib.uuid4())
    await uow.session.execute(insert(contactmomenten).values(
        uuid=uuid, persoon_id=persoon.id, cluster=body.cluster, kanaal=body.kanaal, onderwerp=body.onderwerp,
        medewerker=body.medewerker, tijdstip=body.tijdstip, client_id=ctx.client_id))
    await kg.log.vastleggen(uow.session, ctx, activiteit="contactmoment-registreren", handeling="schrijven",
                            grondslag=grond, betrokkenen=[persoon.pseudoniem])
    row = (await uow.session.execute(select(contactmomenten).where(contactmomenten.c.uuid == uuid))).one()
    return contactmoment_out(kg, row, persoon.uuid)


async def contactmomenten_van(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext,
                              persoon_uuid: str) -> list[dict[str, Any]]:
    found = await _zichtbare_persoon(uow, kg.lees_bereik(ctx), persoon_uuid)
    if found is None:
        return []
    persoon, grond = found
    stmt = select(contactmomenten).where(contactmomenten.c.persoon_id == persoon.id)
    clusters = _clusters(ctx)
    if clusters is not None:
        stmt = stmt.where(contactmomenten.c.cluster.in_(clusters))
    rows = (await uow.session.execute(stmt.order_by(contactmomenten.c.tijdstip.desc()).limit(500))).all()
    await kg.log.vastleggen(uow.session, ctx, activiteit="contactmomenten-raadplegen", handeling="lezen",
                            grondslag=grond, betrokkenen=[persoon.pseudoniem])
    return _zicht_contactmomenten(ctx).toon(CONTACTMOMENT, [contactmoment_out(kg, row, persoon.uuid) for row in rows])


async def lees_contactmoment(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext, uuid: str) -> dict[str, Any]:
    reach = kg.lees_bereik(ctx)
    stmt = (select(contactmomenten, personen.c.uuid.label("persoon_uuid"))
            .join(personen, personen.c.id == contactmomenten.c.persoon_id).where(contactmomenten.c.uuid == uuid))
    row = (await uow.session.execute(stmt)).first()
    clusters = _clusters(ctx)
    if row is None or (clusters is not None and row.cluster not in clusters):
        raise refused_or_absent(row is not None)
    found = await _zichtbare_persoon(uow, reach, row.persoon_uuid)
    if found is None:
        raise refused_or_absent(True)
    await kg.log.vastleggen(uow.session, ctx, activiteit="contactmomenten-raadplegen", handeling="lezen",
                            grondslag=found[1], betrokkenen=[found[0].pseudoniem])
    return _zicht_contactmomenten(ctx).snijd(CONTACTMOMENT, contactmoment_out(kg, row, row.persoon_uuid))


# --- toestemmingen ---------------------------------------------------------------------------------------

def toestemming_out(kg: Klantgegevens, row: Row[Any], persoon_uuid: str) -> dict[str, Any]:
    return {"url": kg.url("toestemmingen", row.uuid), "uuid": row.uuid, "persoon": kg.url("personen", persoon_uuid),
            "doel": row.doel, "kolom": row.kolom, "cluster": row.cluster, "startdatum": row.startdatum,
            "einddatum": row.einddatum, "ingetrokken": row.ingetrokken,
            "geldig": toestemming_geldig(startdatum=row.startdatum, einddatum=row.einddatum,
                                         ingetrokken=row.ingetrokken, op=date.today())}


async def _eigen_persoon(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext) -> Row[Any] | None:
    """The person a resident client acts for, when it does."""
    if not ctx.grants("klantgegevens", SCOPE_INWONER):
        return None
    bsn = inwoner_bsn(ctx)
    if bsn is None:
        return None
    rows = await store.personen_by_bsn(uow.session, Bereik(True, frozenset(), frozenset()), [bsn], date.today())
    return rows[0] if rows else None


async def _toestemming_bereik(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext,
                              persoon_uuid: str) -> tuple[Row[Any], str, Bereik | None]:
    """The person and grondslag for a toestemming operation; Bereik None: the resident acting for themselves."""
    eigen = await _eigen_persoon(kg, uow, ctx)
    if eigen is not None:
        if eigen.uuid != persoon_uuid:
            raise ValidatieFout.single("persoon", "does_not_exist", "Deze persoon bestaat niet.")
        return eigen, "eigen-gegevens", None
    reach = kg.schrijf_bereik(ctx)
    persoon = await store.persoon_by_uuid(uow.session, Bereik(True, frozenset(), frozenset()), persoon_uuid,
                                          date.today())
    if persoon is None:
        raise ValidatieFout.single("persoon", "does_not_exist", "Deze persoon bestaat niet.")
    return persoon, "toestemming-registreren", reach


async def registreer_toestemming(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext,
                                 body: NieuweToestemming) -> dict[str, Any]:
    persoon, grond, reach = await _toestemming_bereik(kg, uow, ctx, body.persoon)
    if reach is not None and not reach.alles and not (
            (body.kolom is not None and body.kolom in reach.kolommen)
            or (body.cluster is not None and body.cluster in reach.clusters)):
        raise PermissionDenied("Deze applicatie registreert geen toestemming voor deze kolom of dit cluster.")
    uuid = str(uuidlib.uuid4())
    await uow.session.execute(insert(toestemmingen).values(
        uuid=uuid, persoon_id=persoon.id, doel=body.doel, kolom=body.kolom, cluster=body.cluster,
        startdatum=body.startdatum, einddatum=body.einddatum, geregistreerd=datetime.now(UTC),
        client_id=ctx.client_id))
    await kg.log.vastleggen(uow.session, ctx, activiteit="toestemming-registreren", handeling="schrijven",
                            grondslag=grond, betrokkenen=[persoon.pseudoniem])
    row = (await uow.session.execute(select(toestemmingen).where(toestemmingen.c.uuid == uuid))).one()
    return toestemming_out(kg, row, persoon.uuid)


async def trek_in(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext, uuid: str) -> dict[str, Any]:
    stmt = (select(toestemmingen, personen.c.uuid.label("persoon_uuid"), personen.c.pseudoniem)
            .join(personen, personen.c.id == toestemmingen.c.persoon_id).where(toestemmingen.c.uuid == uuid))
    row = (await uow.session.execute(stmt)).first()
    if row is None:
        raise NotFound()
    eigen = await _eigen_persoon(kg, uow, ctx)
    if eigen is not None:
        if eigen.id != row.persoon_id:
            raise refused_or_absent(True)
        grond = "eigen-gegevens"
    else:
        reach = kg.schrijf_bereik(ctx)
        if not (reach.alles or row.kolom in reach.kolommen or row.cluster in reach.clusters):
            raise refused_or_absent(True)
        grond = "toestemming-intrekken"
    if row.ingetrokken is None:
        await uow.session.execute(update(toestemmingen).where(toestemmingen.c.id == row.id)
                                  .values(ingetrokken=datetime.now(UTC)))
        await kg.log.vastleggen(uow.session, ctx, activiteit="toestemming-intrekken", handeling="schrijven",
                                grondslag=grond, betrokkenen=[row.pseudoniem])
    fresh = (await uow.session.execute(select(toestemmingen).where(toestemmingen.c.id == row.id))).one()
    return toestemming_out(kg, fresh, row.persoon_uuid)


async def toestemmingen_van(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext,
                            persoon_uuid: str) -> list[dict[str, Any]]:
    eigen = await _eigen_persoon(kg, uow, ctx)
    reach: Bereik | None = None
    if eigen is not None:
        if eigen.uuid != persoon_uuid:
            return []
        persoon, grond = eigen, "eigen-gegevens"
    else:
        reach = kg.lees_bereik(ctx)
        found = await _zichtbare_persoon(uow, reach, persoon_uuid)
        if found is None:
            return []
        persoon, grond = found
    rows = (await uow.session.execute(select(toestemmingen).where(toestemmingen.c.persoon_id == persoon.id)
                                      .order_by(toestemmingen.c.startdatum))).all()
    await kg.log.vastleggen(uow.session, ctx, activiteit="toestemmingen-raadplegen", handeling="lezen",
                            grondslag=grond, betrokkenen=[persoon.pseudoniem])
    # A person's consents for other kolommen (schuldhulpverlening, say) are not this client's to see.
    return _zicht_toestemmingen(reach).toon(TOESTEMMING, [toestemming_out(kg, row, persoon.uuid) for row in rows])
