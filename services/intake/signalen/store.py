"""The set-wise queries of signalen: a batch of 10,000 is a handful of statements, not 10,000 round trips.

Deduplication and the rule are decided in the database's own terms (a unique constraint, a conditional upsert,
row locks taken in key order), so two batches at the same time cannot both accept the same signal or both open
an aanvraag for one household. PostgreSQL and SQLite (3.35+) share the ``INSERT ... ON CONFLICT ... RETURNING``
syntax; SQLite serialises writers anyway (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import String, and_, any_, bindparam, case, func, literal, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.signalen.models import adressen, signalen, vensters

# Rows per statement: under asyncpg's 32,767 bind parameters and SQLite's 32,766.
_CHUNK = 2000

Sleutel = tuple[str, str, str]  # (adressleutel, partnersoort, partner) or (partnersoort, partner, referentie)


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _unnest(table: Any, rows: list[dict[str, Any]]) -> Any:
    """PostgreSQL: the rows as one ``unnest`` of an array per column (a parameter per column, not per value),
    in the order given."""
    names = list(rows[0])
    arrays = [bindparam(f"rijen_{name}", [r[name] for r in rows], type_=ARRAY(table.c[name].type)) for name in names]
    rijen = func.unnest(*arrays).table_valued(*names).render_derived(name="rijen")
    return names, select(*[rijen.c[name] for name in names])


async def _insert_many(session: AsyncSession, table: Any, rows: list[dict[str, Any]],
                       conflict: Callable[[Any], Any] = lambda stmt: stmt, returning: Sequence[Any] = ()) -> list[Any]:
    """INSERT ``rows`` (in the order given) with an ON CONFLICT clause made by ``conflict``, RETURNING
    ``returning``: one statement on PostgreSQL; on SQLite SQLAlchemy's multi-row "insertmanyvalues"."""
    if not rows:
        return []
    if _postgres(session):
        names, source = _unnest(table, rows)
        stmt = conflict(postgresql.insert(table).from_select(names, source))
        result = await session.execute(stmt.returning(*returning) if returning else stmt)
        return list(result) if returning else []
    stmt = conflict(sqlite.insert(table))
    result = await session.execute(stmt.returning(*returning) if returning else stmt, rows)
    return list(result) if returning else []


async def lock_adressen(session: AsyncSession, sleutels: list[str]) -> dict[str, int | None]:
    """Create or lock the row of each household key, in key order (so two batches never wait on each other in
    a circle); returns each key's day of its current proactive aanvraag. Until commit, another batch touching
    one of these keys waits here, and then sees everything this one stored."""
    rows = await _insert_many(
        session, adressen, [{"adressleutel": s} for s in sorted(sleutels)],
        lambda stmt: stmt.on_conflict_do_update(index_elements=[adressen.c.adressleutel],
                                                set_={"adressleutel": stmt.excluded.adressleutel}),
        (adressen.c.adressleutel, adressen.c.aanvraag_dag))
    return {row.adressleutel: row.aanvraag_dag for row in rows}


async def bekende_referenties(session: AsyncSession, refs: list[Sleutel]) -> dict[Sleutel, str]:
    """(partnersoort, partner, partnerReferentie) -> uuid of the stored signal, for those already stored."""
    cols = (signalen.c.partnersoort, signalen.c.partner, signalen.c.partner_referentie, signalen.c.uuid)
    if _postgres(session):
        # One statement with three array parameters, joined on the unique index, instead of 30,000 parameters.
        arrays = [bindparam(f"refs_{n}", [r[n] for r in refs], type_=ARRAY(String)) for n in range(3)]
        given = func.unnest(*arrays).table_valued("ps", "p", "ref").render_derived(name="gegeven")
        rows = await session.execute(select(*cols).join(given, and_(
            signalen.c.partnersoort == given.c.ps, signalen.c.partner == given.c.p,
            signalen.c.partner_referentie == given.c.ref)))
        return {(r.partnersoort, r.partner, r.partner_referentie): r.uuid for r in rows}
    key = tuple_(signalen.c.partnersoort, signalen.c.partner, signalen.c.partner_referentie)
    out: dict[Sleutel, str] = {}
    for chunk in _chunks(refs):
        rows = await session.execute(select(*cols).where(key.in_(chunk)))
        out.update({(r.partnersoort, r.partner, r.partner_referentie): r.uuid for r in rows})
    return out


async def claim_vensters(session: AsyncSession, kandidaten: list[dict[str, Any]], venster: int) -> dict[Sleutel, str]:
    """Offer each candidate (adressleutel, partnersoort, partner, dag, signaal) its household-and-partner window;
    returns, per window, the signal that holds it afterwards: the candidate's own uuid when it was accepted, the
    earlier signal's when the candidate falls inside that signal's window. At most one candidate per window."""
    old = vensters.c

    def conflict(stmt: Any) -> Any:
        new = stmt.excluded
        nieuw_venster = new.dag >= old.dag + literal(venster)  # domain.buiten_venster, in SQL
        return stmt.on_conflict_do_update(
            index_elements=[old.adressleutel, old.partnersoort, old.partner],
            set_={"signaal": case((nieuw_venster, new.signaal), else_=old.signaal),
                  "dag": case((nieuw_venster, new.dag), else_=old.dag)})

    rows = await _insert_many(session, vensters, sorted(
        kandidaten, key=lambda k: (k["adressleutel"], k["partnersoort"], k["partner"])), conflict,
        (old.adressleutel, old.partnersoort, old.partner, old.signaal))
    return {(r.adressleutel, r.partnersoort, r.partner): r.signaal for r in rows}


async def insert_signalen(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    await _insert_many(session, signalen, rows)


async def signalen_van(session: AsyncSession, sleutels: list[str], vanaf: date) -> list[Any]:
    """The signals of these household keys from ``vanaf`` on, as the rule needs them."""
    if _postgres(session):
        return list(await session.execute(
            select(signalen.c.adressleutel, signalen.c.partnersoort, signalen.c.partner, signalen.c.signaaldatum,
                   signalen.c.signaalsoort, signalen.c.crisis)
            .where(and_(signalen.c.adressleutel == any_(bindparam("sleutels", sleutels, type_=ARRAY(String))),
                        signalen.c.signaaldatum >= vanaf))))
    out: list[Any] = []
    for chunk in _chunks(sleutels):
        out.extend(await session.execute(
            select(signalen.c.adressleutel, signalen.c.partnersoort, signalen.c.partner, signalen.c.signaaldatum,
                   signalen.c.signaalsoort, signalen.c.crisis)
            .where(and_(signalen.c.adressleutel.in_(chunk), signalen.c.signaaldatum >= vanaf))))
    return out


async def zet_aanvragen(session: AsyncSession, geopend: list[dict[str, Any]]) -> None:
    """Record the aanvragen just opened (adressleutel, aanvraag, dag, signaal) on their keys and signals: two
    executemany statements for all of them."""
    if not geopend:
        return
    await session.execute(update(adressen).where(adressen.c.adressleutel == bindparam("k"))
                          .values(aanvraag=bindparam("a"), aanvraag_dag=bindparam("d")),
                          [{"k": g["adressleutel"], "a": g["aanvraag"], "d": g["dag"]} for g in geopend])
    await session.execute(update(signalen).where(signalen.c.uuid == bindparam("s")).values(aanvraag=bindparam("a")),
                          [{"s": g["signaal"], "a": g["aanvraag"]} for g in geopend])
