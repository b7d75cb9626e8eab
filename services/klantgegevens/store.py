"""Queries of klantgegevens. Visibility is a column of the query itself, so a look-up is one round trip."""

from __future__ import annotations

import functools
import uuid as uuidlib
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Row,
    Select,
    and_,
    bindparam,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import FromClause
from sqlalchemy.sql.elements import BindParameter

from services.klantgegevens.brp import PersoonGegevens
from services.klantgegevens.domain import Bereik
from services.klantgegevens.models import (
    grondslagen,
    huishoudens,
    lidmaatschappen,
    personen,
    toestemmingen,
)


def _grondslag(huishouden: FromClause, persoon_id: ColumnElement[Any] | None) -> ColumnElement[Any]:
    """The lawful reason the client has to see a household (and its members), or NULL.

    First an aanvraag, signaal or zaak of the household in a kolom or cluster the client serves; else a valid
    consent, given by a current member of the household (or by the person, when they have no household).
    The client's kolommen and clusters and the day are bound parameters, so the statement is built once.
    """
    kolommen: BindParameter[Any] = bindparam("kolommen", expanding=True)
    clusters: BindParameter[Any] = bindparam("clusters", expanding=True)
    vandaag = bindparam("vandaag", type_=Date())
    g = grondslagen
    reden = (
        select(g.c.soort + literal(":") + g.c.kolom)
        .where(g.c.huishouden_uuid == huishouden.c.uuid, g.c.eind.is_(None),
               or_(g.c.kolom.in_(kolommen), g.c.cluster.in_(clusters)))
        .limit(1)
        .scalar_subquery()
    )
    t = toestemmingen
    member = lidmaatschappen.alias("toestemmer")
    # Correlated to the household of the outer query explicitly: nested two deep, auto-correlation would not reach
    # it, and the consent of any member of any household would open every household (found by the access matrix).
    gevers = (select(member.c.persoon_id).where(member.c.huishouden_id == huishouden.c.id, member.c.tot.is_(None))
              .correlate(huishouden))
    door: ColumnElement[bool] = t.c.persoon_id.in_(gevers)
    if persoon_id is not None:
        door = or_(door, t.c.persoon_id == persoon_id)
    toestemming = (
        select(literal("toestemming:") + t.c.doel)
        .where(door, t.c.ingetrokken.is_(None), t.c.startdatum <= vandaag,
               or_(t.c.einddatum.is_(None), t.c.einddatum >= vandaag),
               or_(t.c.kolom.in_(kolommen), t.c.cluster.in_(clusters)))
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(reden, toestemming)


def _params(bereik: Bereik, vandaag: date) -> dict[str, Any]:
    if bereik.alles:
        return {}
    return {"kolommen": sorted(bereik.kolommen), "clusters": sorted(bereik.clusters), "vandaag": vandaag}


@functools.cache
def _persoon_stmt(alles: bool, by: str) -> Select[Any]:
    """Built once per shape: building these statements costs more than running them."""
    lid = lidmaatschappen.alias("lid")
    h = huishoudens.alias("h")
    stmt = (
        select(personen, h.c.uuid.label("huishouden_uuid"), h.c.id.label("huishouden_id"))
        .select_from(personen.outerjoin(lid, and_(lid.c.persoon_id == personen.c.id, lid.c.tot.is_(None)))
                     .outerjoin(h, h.c.id == lid.c.huishouden_id))
    )
    if not alles:
        stmt = stmt.add_columns(_grondslag(h, personen.c.id).label("grondslag"))
    if by == "bsn":
        return stmt.where(personen.c.bsn.in_(bindparam("bsns", expanding=True)))
    if by == "uuid":
        return stmt.where(personen.c.uuid == bindparam("uuid"))
    return stmt


def persoon_query(bereik: Bereik, by: str, vandaag: date) -> tuple[Select[Any], dict[str, Any]]:
    """The statement (built once per shape) and parameters of a person read by ``bsn`` (bind ``bsns``) or
    ``uuid``: for a read that records itself in the verwerkingenlog (``Verwerkingenlog.lezen``)."""
    return _persoon_stmt(bereik.alles, by), _params(bereik, vandaag)


async def personen_by_bsn(session: AsyncSession, bereik: Bereik, bsns: Sequence[str], vandaag: date) -> list[Row[Any]]:
    stmt = _persoon_stmt(bereik.alles, "bsn")
    return list((await session.execute(stmt, {"bsns": list(bsns), **_params(bereik, vandaag)})).all())


async def persoon_by_uuid(session: AsyncSession, bereik: Bereik, uuid: str, vandaag: date) -> Row[Any] | None:
    stmt = _persoon_stmt(bereik.alles, "uuid")
    return (await session.execute(stmt, {"uuid": uuid, **_params(bereik, vandaag)})).first()


async def personen_by_naam(session: AsyncSession, bereik: Bereik, geslachtsnaam: str, geboortedatum: date,
                           voornamen: str | None, vandaag: date, limit: int) -> list[Row[Any]]:
    stmt = _persoon_stmt(bereik.alles, "naam").where(
        func.lower(personen.c.geslachtsnaam) == geslachtsnaam.lower(), personen.c.geboortedatum == geboortedatum)
    if voornamen:
        stmt = stmt.where(func.lower(personen.c.voornamen).startswith(voornamen.lower()))
    return list((await session.execute(stmt.order_by(personen.c.id).limit(limit), _params(bereik, vandaag))).all())


def _gegevens(g: PersoonGegevens) -> dict[str, Any]:
    return {"voornamen": g.voornamen, "voorvoegsel": g.voorvoegsel, "geslachtsnaam": g.geslachtsnaam,
            "geboortedatum": g.geboortedatum, "straat": g.straat, "huisnummer": g.huisnummer,
            "huisletter": g.huisletter, "huisnummertoevoeging": g.huisnummertoevoeging, "postcode": g.postcode,
            "woonplaats": g.woonplaats}


async def insert_persoon(session: AsyncSession, g: PersoonGegevens, *, pseudoniem: str, bron: str) -> str:
    uuid = str(uuidlib.uuid4())
    await session.execute(insert(personen).values(
        uuid=uuid, bsn=g.bsn, pseudoniem=pseudoniem, bron=bron, bijgewerkt=datetime.now(UTC), **_gegevens(g)))
    return uuid


async def update_persoon(session: AsyncSession, g: PersoonGegevens, *, bron: str) -> None:
    await session.execute(update(personen).where(personen.c.bsn == g.bsn).values(
        bron=bron, bijgewerkt=datetime.now(UTC), **_gegevens(g)))


async def bsn_exists(session: AsyncSession, bsn: str) -> bool:
    return (await session.execute(select(personen.c.id).where(personen.c.bsn == bsn))).first() is not None


# --- huishoudens -----------------------------------------------------------------------------------------

async def huishouden(session: AsyncSession, bereik: Bereik, uuid: str, vandaag: date,
                     *, for_update: bool = False) -> Row[Any] | None:
    stmt = _huishouden_stmt(bereik.alles, for_update)
    return (await session.execute(stmt, {"uuid": uuid, **_params(bereik, vandaag)})).first()


@functools.cache
def _huishouden_stmt(alles: bool, for_update: bool) -> Select[Any]:
    h = huishoudens.alias("h")
    stmt = select(h).where(h.c.uuid == bindparam("uuid"))
    if not alles:
        stmt = stmt.add_columns(_grondslag(h, None).label("grondslag"))
    if for_update:
        # Serialise changes to one household, so two moves cannot both count the same members.
        stmt = stmt.with_for_update(of=h)
    return stmt


async def leden(session: AsyncSession, huishouden_id: int, *, historie: bool = False) -> list[Row[Any]]:
    lid = lidmaatschappen
    stmt = (select(lid.c.id, lid.c.rol, lid.c.van, lid.c.tot, personen.c.uuid.label("persoon_uuid"),
                   personen.c.pseudoniem, personen.c.id.label("persoon_id"))
            .join(personen, personen.c.id == lid.c.persoon_id)
            .where(lid.c.huishouden_id == huishouden_id))
    if not historie:
        stmt = stmt.where(lid.c.tot.is_(None))
    return list((await session.execute(stmt.order_by(lid.c.van, lid.c.id))).all())  # type: ignore[arg-type]


async def persoon_ids(session: AsyncSession, uuids: Sequence[str]) -> dict[str, Any]:
    rows = (await session.execute(
        select(personen.c.id, personen.c.uuid, personen.c.pseudoniem).where(personen.c.uuid.in_(list(uuids)))
    )).all()
    return {row.uuid: row for row in rows}


async def huidig_lidmaatschap(session: AsyncSession, persoon_id: int) -> Any:
    lid = lidmaatschappen
    stmt = (select(lid.c.id, lid.c.huishouden_id, lid.c.rol, huishoudens.c.uuid.label("huishouden_uuid"))
            .join(huishoudens, huishoudens.c.id == lid.c.huishouden_id)
            .where(lid.c.persoon_id == persoon_id, lid.c.tot.is_(None)))
    return (await session.execute(stmt)).first()


async def insert_huishouden(session: AsyncSession, now: datetime) -> tuple[int, str]:
    uuid = str(uuidlib.uuid4())
    result = await session.execute(insert(huishoudens).values(uuid=uuid, aangemaakt=now).returning(huishoudens.c.id))
    return int(result.scalar_one()), uuid


async def begin_lidmaatschap(session: AsyncSession, huishouden_id: int, persoon_id: int, rol: str,
                             now: datetime) -> None:
    await session.execute(insert(lidmaatschappen).values(
        huishouden_id=huishouden_id, persoon_id=persoon_id, rol=rol, van=now))


async def beeindig_lidmaatschap(session: AsyncSession, lidmaatschap_id: int, now: datetime) -> None:
    await session.execute(update(lidmaatschappen).where(lidmaatschappen.c.id == lidmaatschap_id).values(tot=now))


async def hef_op(session: AsyncSession, huishouden_id: int, now: datetime) -> None:
    await session.execute(update(huishoudens).where(huishoudens.c.id == huishouden_id).values(opgeheven=now))


async def huidige_rollen(session: AsyncSession, huishouden_id: int) -> list[str]:
    rows = await session.execute(select(lidmaatschappen.c.rol).where(
        lidmaatschappen.c.huishouden_id == huishouden_id, lidmaatschappen.c.tot.is_(None)))
    return [r.rol for r in rows]
