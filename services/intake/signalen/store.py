"""The set-wise queries of signalen: a batch of 10,000 is a handful of statements, not 10,000 round trips.

Deduplication and the rule are decided in the database's own terms (a unique constraint, a conditional upsert,
row locks taken in key order), so two batches at the same time cannot both accept the same signal or both open
an aanvraag for one household. PostgreSQL and SQLite (3.35+) share the ``INSERT ... ON CONFLICT ... RETURNING``
syntax; SQLite serialises writers anyway (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.signalen.models import adressen, signalen, vensters

# Rows per statement: under asyncpg's 32,767 bind parameters and SQLite's 32,766.
_CHUNK = 2000

Sleutel = tuple[str, str, str]  # (adressleutel, partnersoort, partner) or (partnersoort, partner, referentie)


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


async def lock_adressen(session: AsyncSession, sleutels: list[str]) -> dict[str, int | None]:
    """Create or lock the row of each household key, in key order (so two batches never wait on each other in
    a circle); returns each key's day of its current proactive aanvraag. Until commit, another batch touching
    one of these keys waits here, and then sees everything this one stored."""
    out: dict[str, int | None] = {}
    for chunk in _chunks(sorted(sleutels)):
        stmt = _insert(session, adressen).values([{"adressleutel": s} for s in chunk])
        stmt = stmt.on_conflict_do_update(index_elements=[adressen.c.adressleutel],
                                          set_={"adressleutel": stmt.excluded.adressleutel})
        rows = await session.execute(stmt.returning(adressen.c.adressleutel, adressen.c.aanvraag_dag))
        out.update({row.adressleutel: row.aanvraag_dag for row in rows})
    return out


async def bekende_referenties(session: AsyncSession, refs: list[Sleutel]) -> dict[Sleutel, str]:
    """(partnersoort, partner, partnerReferentie) -> uuid of the stored signal, for those already stored."""
    key = tuple_(signalen.c.partnersoort, signalen.c.partner, signalen.c.partner_referentie)
    out: dict[Sleutel, str] = {}
    for chunk in _chunks(refs):
        rows = await session.execute(select(signalen.c.partnersoort, signalen.c.partner,
                                            signalen.c.partner_referentie, signalen.c.uuid).where(key.in_(chunk)))
        out.update({(r.partnersoort, r.partner, r.partner_referentie): r.uuid for r in rows})
    return out


async def claim_vensters(session: AsyncSession, kandidaten: list[dict[str, Any]], venster: int) -> dict[Sleutel, str]:
    """Offer each candidate (adressleutel, partnersoort, partner, dag, signaal) its household-and-partner window;
    returns, per window, the signal that holds it afterwards: the candidate's own uuid when it was accepted, the
    earlier signal's when the candidate falls inside that signal's window. At most one candidate per window."""
    out: dict[Sleutel, str] = {}
    for chunk in _chunks(sorted(kandidaten, key=lambda k: (k["adressleutel"], k["partnersoort"], k["partner"]))):
        stmt = _insert(session, vensters).values(list(chunk))
        old, new = vensters.c, stmt.excluded
        nieuw_venster = new.dag >= old.dag + venster  # domain.buiten_venster, in SQL
        stmt = stmt.on_conflict_do_update(
            index_elements=[old.adressleutel, old.partnersoort, old.partner],
            set_={"signaal": case((nieuw_venster, new.signaal), else_=old.signaal),
                  "dag": case((nieuw_venster, new.dag), else_=old.dag)})
        rows = await session.execute(stmt.returning(old.adressleutel, old.partnersoort, old.partner, old.signaal))
        out.update({(r.adressleutel, r.partnersoort, r.partner): r.signaal for r in rows})
    return out


async def insert_signalen(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    for chunk in _chunks(rows):
        await session.execute(signalen.insert(), list(chunk))


async def signalen_van(session: AsyncSession, sleutels: list[str], vanaf: date) -> list[Any]:
    """The signals of these household keys from ``vanaf`` on, as the rule needs them."""
    out: list[Any] = []
    for chunk in _chunks(sleutels):
        out.extend(await session.execute(
            select(signalen.c.adressleutel, signalen.c.partnersoort, signalen.c.partner, signalen.c.signaaldatum,
                   signalen.c.signaalsoort, signalen.c.crisis)
            .where(and_(signalen.c.adressleutel.in_(chunk), signalen.c.signaaldatum >= vanaf))))
    return out


async def zet_aanvraag(session: AsyncSession, sleutel: str, aanvraag: str, dag: int, signaal: str) -> None:
    await session.execute(update(adressen).where(adressen.c.adressleutel == sleutel)
                          .values(aanvraag=aanvraag, aanvraag_dag=dag))
    await session.execute(update(signalen).where(signalen.c.uuid == signaal).values(aanvraag=aanvraag))


async def count(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(signalen))).scalar_one())
