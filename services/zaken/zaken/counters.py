"""Counters of the Zaken API: the identificatie numbers per bronorganisatie and year, and the number of
zaken per zaaktype (an exact count for the unfiltered list without a COUNT over the table)."""

from __future__ import annotations

import asyncio
import weakref
from collections import deque
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy import (
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from sds.runtime.auth import AuthContext
from services.zaken.catalogi.models import (
    zaaktypen,
)
from services.zaken.common import (
    CATALOGI_PREFIX,
    uuid_from_url,
)
from services.zaken.zaken.models import (
    zaak_identificatie_tellers,
    zaak_tellingen,
    zaken,
)


async def known_count(session: AsyncSession, request: Request, auth: AuthContext,
                      filters: dict[str, Any]) -> int | None:
    """The exact count from the per-zaaktype counters, when the list is all zaken (of one zaaktype) the
    client may see without restriction; None when the count needs a query."""
    if not auth.heeft_alle_autorisaties or any(v is not None for k, v in filters.items() if k != "zaaktype"):
        return None
    if filters.get("zaaktype") is None:
        return int((await session.execute(_COUNT_ALL)).scalar_one())
    found = uuid_from_url(request, filters["zaaktype"], CATALOGI_PREFIX, "zaaktypen")
    if found is None:
        return 0
    return int((await session.execute(_COUNT_OF_TYPE, {"zaaktype_uuid": found})).scalar_one())


_COUNT_ALL = select(func.coalesce(func.sum(zaak_tellingen.c.aantal), 0))
_COUNT_OF_TYPE = _COUNT_ALL.where(zaak_tellingen.c.zaaktype_id == select(zaaktypen.c.id).where(
    zaaktypen.c.uuid == bindparam("zaaktype_uuid")).scalar_subquery())


# Built once: executed with parameters, a statement costs no construction and no cache-key walk per request.
_TEL = (update(zaak_tellingen).where(zaak_tellingen.c.zaaktype_id == bindparam("tel_zaaktype_id"))
        .values(aantal=zaak_tellingen.c.aantal + bindparam("tel_delta")).returning(zaak_tellingen.c.aantal))


async def count_zaak(session: AsyncSession, zaaktype_id: int, delta: int) -> None:
    table = zaak_tellingen
    done = (await session.execute(_TEL, {"tel_zaaktype_id": zaaktype_id, "tel_delta": delta})).first()
    if done is None:
        await session.execute(_insert_ignore(session, table).values(zaaktype_id=zaaktype_id, aantal=0))
        await session.execute(update(table).where(table.c.zaaktype_id == zaaktype_id)
                              .values(aantal=table.c.aantal + delta))


@dataclass
class _Reserved:
    """Numbers this process reserved on a database's counter rows and has not handed out yet."""

    lock: asyncio.Lock
    free: dict[tuple[str, int], deque[int]]


_RESERVED: weakref.WeakKeyDictionary[Any, _Reserved] = weakref.WeakKeyDictionary()
RESERVE_BLOCK = 20


def _holds_connection(session: AsyncSession) -> bool:
    """Whether the session's transaction has a connection already (it has run a statement)."""
    transaction = session.sync_session.get_transaction()
    return transaction is None or bool(getattr(transaction, "_connections", True))


async def take_reserved_number(session: AsyncSession, bronorganisatie: str, jaar: int) -> int | None:
    """A number for a new identificatie from a block this process reserved, on PostgreSQL, before the
    caller's transaction has a connection; None where that does not apply (``next_number`` then
    moves the counter row in the caller's transaction).

    A block is reserved by ``UPDATE ... RETURNING`` in a transaction of its own, committed at once: the counter
    row is locked for that short transaction only, instead of from the zaak's first write to its commit
    (which made every create of a bronorganisatie wait for the one before it). One request at a time reserves,
    so within a process numbers are handed out in order; they stay unique across processes and transactions.
    The request holds no other connection while it waits, so it cannot starve the pool. A rolled-back create
    or a stopped process leaves a gap, as a sequence does.
    """
    if session.get_bind().dialect.name != "postgresql" or _holds_connection(session):
        return None
    state = _RESERVED.get(session.get_bind())
    if state is None:
        state = _RESERVED.setdefault(session.get_bind(), _Reserved(asyncio.Lock(), {}))
    free = state.free.setdefault((bronorganisatie, jaar), deque())
    if not free:
        async with state.lock:
            if not free:
                free.extend(await _reserve_block(session, bronorganisatie, jaar))
    return free.popleft()


def pop_reserved(session: AsyncSession, bronorganisatie: str, jaar: int) -> int | None:
    """A reserved number if one is left, without reserving (the caller holds a connection already)."""
    state = _RESERVED.get(session.get_bind())
    free = state.free.get((bronorganisatie, jaar)) if state is not None else None
    return free.popleft() if free else None


def give_back(session: AsyncSession, bronorganisatie: str, jaar: int, number: int) -> None:
    """A number taken for a create that failed before it wrote anything: the next create gets it."""
    state = _RESERVED.get(session.get_bind())
    if state is not None:
        state.free.setdefault((bronorganisatie, jaar), deque()).appendleft(number)


async def _reserve_block(session: AsyncSession, bronorganisatie: str, jaar: int) -> range:
    table = zaak_identificatie_tellers
    key = (table.c.bronorganisatie == bronorganisatie) & (table.c.jaar == jaar)
    engine = session.bind
    assert isinstance(engine, AsyncEngine)
    async with engine.begin() as conn:
        last = (await conn.execute(update(table).where(key).values(laatste=table.c.laatste + RESERVE_BLOCK)
                                   .returning(table.c.laatste))).scalar_one_or_none()
        if last is None:
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            await conn.execute(pg_insert(table).on_conflict_do_nothing().values(
                bronorganisatie=bronorganisatie, jaar=jaar, laatste=0))
            last = (await conn.execute(update(table).where(key).values(laatste=table.c.laatste + RESERVE_BLOCK)
                                       .returning(table.c.laatste))).scalar_one()
    return range(last - RESERVE_BLOCK + 1, last + 1)


async def next_number(session: AsyncSession, bronorganisatie: str, jaar: int) -> int:
    """The counter row moved in the caller's transaction and locked until its commit (so concurrent creates
    queue on it): on SQLite, which serialises write transactions anyway (BEGIN IMMEDIATE) and where a second
    transaction would wait for the caller's, and for a create inside a transaction that already runs."""
    table = zaak_identificatie_tellers
    key = (table.c.bronorganisatie == bronorganisatie) & (table.c.jaar == jaar)
    while True:
        number = (await session.execute(update(table).where(key).values(laatste=table.c.laatste + 1)
                                        .returning(table.c.laatste))).scalar_one_or_none()
        if number is not None:
            return int(number)
        await session.execute(_insert_ignore(session, table).values(bronorganisatie=bronorganisatie, jaar=jaar,
                                                                    laatste=0))


_INSERT_UNLESS_TAKEN: dict[str, Any] = {}


def insert_unless_taken(session: AsyncSession) -> Any:
    """``INSERT INTO zaken ... ON CONFLICT (bronorganisatie, identificatie) DO NOTHING RETURNING id``, built
    once per dialect and executed with the row as parameters: a generated identificatie a client already
    chose itself is found by the insert, not by a SELECT before it (any other conflict, such as a second
    zaak for one triage decision, still raises)."""
    dialect = session.get_bind().dialect.name
    if dialect not in _INSERT_UNLESS_TAKEN:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
        _INSERT_UNLESS_TAKEN[dialect] = dialect_insert(zaken).on_conflict_do_nothing(
            index_elements=[zaken.c.bronorganisatie, zaken.c.identificatie]).returning(zaken.c.id)
    return _INSERT_UNLESS_TAKEN[dialect]


def _insert_ignore(session: AsyncSession, table: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing()
