"""Use cases on huishoudens: register one, move people in and out, change roles, read it with its history.

A person belongs to one household at a time (the database enforces it); joining another household ends the
current membership, so the history shows who belonged when. Every change records a huishouden-gewijzigd event
and a verwerkingenlog record per person whose data changed, in the same transaction.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.exc import IntegrityError

from sds.runtime.app import UnitOfWork
from sds.runtime.auth import AuthContext
from sds.runtime.errors import Conflict, NotFound, PermissionDenied, ValidatieFout, refused_or_absent
from services.klantgegevens import store
from services.klantgegevens.context import Klantgegevens
from services.klantgegevens.domain import Bereik
from services.klantgegevens.personen import toegang
from services.klantgegevens.schemas import NieuwHuishouden, NieuwLid


def huishouden_out(kg: Klantgegevens, row: Row[Any], leden: list[Row[Any]]) -> dict[str, Any]:
    return {
        "url": kg.url("huishoudens", row.uuid),
        "uuid": row.uuid,
        "aangemaakt": row.aangemaakt,
        "opgeheven": row.opgeheven,
        "leden": [{"persoon": kg.url("personen", lid.persoon_uuid), "rol": lid.rol, "van": lid.van, "tot": lid.tot}
                  for lid in leden],
    }


async def lees(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext, uuid: str, *, historie: bool) -> dict[str, Any]:
    reach = kg.lees_bereik(ctx)
    row = await store.huishouden(uow.session, reach, uuid, date.today())
    grond = _grond(reach, row)
    if row is None or grond is None:
        raise refused_or_absent(row is not None)
    leden = await store.leden(uow.session, row.id, historie=historie)
    await kg.log.vastleggen(uow.session, ctx, activiteit="huishouden-raadplegen", handeling="lezen", grondslag=grond,
                            betrokkenen=[lid.pseudoniem for lid in leden])
    return huishouden_out(kg, row, leden)


def _grond(reach: Bereik, row: Row[Any] | None) -> str | None:
    return toegang(reach, row) if row is not None else None


async def registreer(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext, body: NieuwHuishouden) -> dict[str, Any]:
    reach = kg.schrijf_bereik(ctx)
    if not (reach.alles or reach.zonder_grondslag):
        raise PermissionDenied("Deze applicatie mag geen huishoudens registreren.")
    grond = "alle-autorisaties" if reach.alles else "registratie"
    now = datetime.now(UTC)
    huishouden_id, uuid = await store.insert_huishouden(uow.session, now)
    await kg.huishouden_gewijzigd(uow, uuid, "aangemaakt", [])
    rollen: list[str] = []
    for index, lid in enumerate(body.leden):
        await _voeg_toe(kg, uow, ctx, huishouden_id, uuid, lid, f"leden.{index}.persoon", grond, now, rollen)
    return await _na_wijziging(kg, uow, ctx, uuid, grond)


async def voeg_lid_toe(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext, uuid: str,
                       lid: NieuwLid) -> dict[str, Any]:
    row, grond = await _schrijfbaar(kg, uow, ctx, uuid)
    rollen = await store.huidige_rollen(uow.session, row.id)
    await _voeg_toe(kg, uow, ctx, row.id, uuid, lid, "persoon", grond, datetime.now(UTC), rollen)
    return await _na_wijziging(kg, uow, ctx, uuid, grond)


async def _voeg_toe(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext, huishouden_id: int, uuid: str,
                    lid: NieuwLid, veld: str, grond: str, now: datetime, rollen: list[str]) -> None:
    persoon = (await store.persoon_ids(uow.session, [lid.persoon])).get(lid.persoon)
    if persoon is None:
        raise ValidatieFout.single(veld, "does_not_exist", "Deze persoon bestaat niet.")
    huidig = await store.huidig_lidmaatschap(uow.session, persoon.id)
    if huidig is not None:
        if huidig.huishouden_id == huishouden_id:
            raise Conflict("Deze persoon hoort al bij dit huishouden.", code="al_lid")
        # A move: the old household keeps the membership as history.
        await store.beeindig_lidmaatschap(uow.session, huidig.id, now)
        await _na_vertrek(kg, uow, huidig.huishouden_id, huidig.huishouden_uuid, now)
    try:
        async with uow.session.begin_nested():
            await store.begin_lidmaatschap(uow.session, huishouden_id, persoon.id, lid.rol, now)
    except IntegrityError:
        raise Conflict("Deze persoon is tegelijk aan een ander huishouden toegevoegd.", code="al_lid") from None
    rollen.append(lid.rol)
    await kg.log.vastleggen(uow.session, ctx, activiteit="huishouden-wijzigen", handeling="schrijven",
                            grondslag=grond, betrokkenen=[persoon.pseudoniem])
    await kg.huishouden_gewijzigd(uow, uuid, "lid-toegevoegd", rollen)


async def _na_vertrek(kg: Klantgegevens, uow: UnitOfWork, huishouden_id: int, uuid: str, now: datetime) -> None:
    rollen = await store.huidige_rollen(uow.session, huishouden_id)
    await kg.huishouden_gewijzigd(uow, uuid, "lid-vertrokken", rollen)
    if not rollen:
        await store.hef_op(uow.session, huishouden_id, now)
        await kg.huishouden_gewijzigd(uow, uuid, "opgeheven", [])


async def vertrek(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext, uuid: str, persoon_uuid: str) -> None:
    row, grond = await _schrijfbaar(kg, uow, ctx, uuid)
    lid = await _huidig_lid(uow, row.id, persoon_uuid)
    now = datetime.now(UTC)
    await store.beeindig_lidmaatschap(uow.session, lid.id, now)
    await kg.log.vastleggen(uow.session, ctx, activiteit="huishouden-wijzigen", handeling="schrijven",
                            grondslag=grond, betrokkenen=[lid.pseudoniem])
    await _na_vertrek(kg, uow, row.id, uuid, now)


async def wijzig_rol(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext, uuid: str, persoon_uuid: str,
                     rol: str) -> dict[str, Any]:
    row, grond = await _schrijfbaar(kg, uow, ctx, uuid)
    lid = await _huidig_lid(uow, row.id, persoon_uuid)
    if lid.rol != rol:
        # Ending the old membership and starting a new one keeps the old role in the history.
        now = datetime.now(UTC)
        await store.beeindig_lidmaatschap(uow.session, lid.id, now)
        await store.begin_lidmaatschap(uow.session, row.id, lid.persoon_id, rol, now)
        await kg.log.vastleggen(uow.session, ctx, activiteit="huishouden-wijzigen", handeling="schrijven",
                                grondslag=grond, betrokkenen=[lid.pseudoniem])
        await kg.huishouden_gewijzigd(uow, uuid, "rol-gewijzigd", await store.huidige_rollen(uow.session, row.id))
    return await _na_wijziging(kg, uow, ctx, uuid, grond)


async def _schrijfbaar(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext, uuid: str) -> tuple[Row[Any], str]:
    reach = kg.schrijf_bereik(ctx)
    row = await store.huishouden(uow.session, reach, uuid, date.today(), for_update=True)
    grond = _grond(reach, row)
    if row is None or grond is None:
        raise refused_or_absent(row is not None)
    if row.opgeheven is not None:
        raise Conflict("Dit huishouden is opgeheven.", code="opgeheven")
    return row, grond


async def _huidig_lid(uow: UnitOfWork, huishouden_id: int, persoon_uuid: str) -> Row[Any]:
    for lid in await store.leden(uow.session, huishouden_id):
        if lid.persoon_uuid == persoon_uuid:
            return lid
    raise NotFound("Deze persoon hoort niet (meer) bij dit huishouden.")


async def _na_wijziging(kg: Klantgegevens, uow: UnitOfWork, ctx: AuthContext, uuid: str,
                        grond: str) -> dict[str, Any]:
    """The household as it is now, for the writer; showing it is a read of every member."""
    everything = Bereik(alles=True, kolommen=frozenset(), clusters=frozenset())
    row = await store.huishouden(uow.session, everything, uuid, date.today())
    assert row is not None
    leden = await store.leden(uow.session, row.id)
    await kg.log.vastleggen(uow.session, ctx, activiteit="huishouden-raadplegen", handeling="lezen",
                            grondslag=grond, betrokkenen=[lid.pseudoniem for lid in leden])
    return huishouden_out(kg, row, leden)
