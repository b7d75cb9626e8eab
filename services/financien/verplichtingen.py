"""The verplichtingen and the realisatie per year, kolom, cluster and aanbieder, kept in step with the toewijzingen
and declaraties: each write that changes what a toewijzing commits books the difference (``boek``), each
declaratie what it accepted (``boek_realisatie``), in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.financien.models import realisatie_per_jaar, toewijzingen, verplichtingen_per_jaar

Sleutel = tuple[int, str, str | None, int]  # jaar, kolom, cluster, aanbieder_id

# The toewijzingen whose verplichting counts: all but a rejection.
LOPEND = ("toegewezen", "gestart", "gestopt", "beeindigd")


def sleutel(jaar: int, kolom: str, cluster: str | None, aanbieder_id: int) -> str:
    return f"{jaar}|{kolom}|{cluster or ''}|{aanbieder_id}"


def _post(row: Any) -> tuple[Sleutel, int] | None:
    if row is None or row.status not in LOPEND or row.aanbieder_id is None:
        return None
    return (row.begindatum.year, row.kolom, row.cluster, int(row.aanbieder_id)), int(row.verplichting)


async def boek(session: AsyncSession, voor: Any, toewijzing_id: int) -> None:
    """Book what the toewijzing commits now against what it committed before (``voor``, None for a new one)."""
    na = (await session.execute(select(toewijzingen).where(toewijzingen.c.id == toewijzing_id))).one()
    delta: dict[Sleutel, int] = {}
    for post, sign in ((_post(voor), -1), (_post(na), 1)):
        if post is not None:
            delta[post[0]] = delta.get(post[0], 0) + sign * post[1]
    await _tel_op(session, verplichtingen_per_jaar, delta)


async def boek_realisatie(session: AsyncSession, bedragen: dict[Sleutel, int]) -> None:
    """Add what a declaratie accepted, per year, kolom, cluster and aanbieder."""
    await _tel_op(session, realisatie_per_jaar, bedragen)


async def _tel_op(session: AsyncSession, t: Table, delta: dict[Sleutel, int]) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # In key order, so two transactions booking the same keys lock them in the same order.
    for (jaar, kolom, cluster, aanbieder_id), bedrag in sorted(delta.items(), key=lambda i: sleutel(*i[0])):
        if bedrag == 0:
            continue
        stmt = insert(t).values(sleutel=sleutel(jaar, kolom, cluster, aanbieder_id), jaar=jaar, kolom=kolom,
                                cluster=cluster, aanbieder_id=aanbieder_id, bedrag=bedrag)
        await session.execute(stmt.on_conflict_do_update(index_elements=[t.c.sleutel],
                                                         set_={"bedrag": t.c.bedrag + stmt.excluded.bedrag}))
