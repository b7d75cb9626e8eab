"""The verwerkingenlog (after Logboek Dataverwerkingen): one record per data subject per processing of personal
data, in every service that holds such data.

Each service keeps its records in its own database (a ``verwerkingen`` table made by :func:`verwerkingen_tabel`
on its metadata) and writes them into the caller's transaction: a write and its records commit together or not at
all, and a read commits its records before the data leaves the service (the unit of work commits before the
route returns). So no answer is sent whose record a crash can lose, and no record stays of a read that never
answered. No sampling, no buffering.

A data subject is named by a keyed pseudonym only (:func:`pseudoniem`), so the log can be handed to an auditor
without a BSN in it; the same key in every service lets the log be searched per person across the suite.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import (
    Column,
    ColumnElement,
    DateTime,
    Index,
    MetaData,
    Row,
    Select,
    String,
    Table,
    bindparam,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.auth import AuthContext
from sds.runtime.bsn import INWONER_PREFIX, inwoner_bsn
from sds.runtime.db import Id
from sds.runtime.faults import crash_point
from sds.runtime.tracing import trace_var

Handeling = Literal["lezen", "schrijven"]

DEV_PSEUDONIEM_SLEUTEL = "sds-dev-pseudoniem-sleutel-change-me"
# A test kills the process here: the records are in the transaction, the transaction is not yet committed and
# nothing has been answered.
CRASH_VOOR_COMMIT = "verwerkingenlog-voor-commit"
# The columns a record is written with, in this order, by every statement below.
_KOLOMMEN = ("tijdstip", "client_id", "gebruiker", "verwerkingsactiviteit", "handeling", "grondslag", "betrokkene",
             "trace_id")
# Pseudonyms kept per process: a page or a dossier names the same persons again and again.
PSEUDONIEMEN_IN_GEHEUGEN = 4096


def pseudoniem(waarde: str, sleutel: bytes) -> str:
    """A keyed pseudonym of a BSN (or another identifier of a person or household): stable, so the log can be
    searched per person, and useless without the key."""
    return hmac.new(sleutel, waarde.encode(), hashlib.sha256).hexdigest()[:32]


def verwerkingen_tabel(metadata: MetaData) -> Table:
    """The ``verwerkingen`` table on a service's own metadata (each service migrates its own copy)."""
    return Table(
        "verwerkingen",
        metadata,
        Column("id", Id, primary_key=True, autoincrement=True),
        Column("tijdstip", DateTime(timezone=True), nullable=False),
        Column("client_id", String(255), nullable=False),
        Column("gebruiker", String(255), nullable=False),
        Column("verwerkingsactiviteit", String(63), nullable=False),
        Column("handeling", String(10), nullable=False),  # "lezen" | "schrijven"
        Column("grondslag", String(100), nullable=False),
        Column("betrokkene", String(32), nullable=False),
        Column("trace_id", String(32), nullable=True),
        Index("ix_verwerkingen_betrokkene_tijdstip", "betrokkene", "tijdstip"),
        Index("ix_verwerkingen_client_tijdstip", "client_id", "tijdstip"),
        Index("ix_verwerkingen_trace_id", "trace_id"),
    )


class VerwerkingenlogSettings(BaseModel):
    """The settings of a service that keeps a verwerkingenlog (mixed into its ``ServiceSettings``)."""

    env: str = "production"
    pseudoniem_sleutel: str = Field(
        DEV_PSEUDONIEM_SLEUTEL, description="HMAC key of the pseudonyms in the verwerkingenlog and in log lines")
    verwerkingenlog: bool = Field(True, description="off only for a benchmark in dev: it shows what logging costs")

    @model_validator(mode="after")
    def _pseudoniem_veilig(self) -> VerwerkingenlogSettings:
        if self.env != "dev":
            if self.pseudoniem_sleutel == DEV_PSEUDONIEM_SLEUTEL:
                raise ValueError("SDS_PSEUDONIEM_SLEUTEL still has the development value; set a key of your own")
            if not self.verwerkingenlog:
                raise ValueError("SDS_VERWERKINGENLOG=false is for benchmarks in dev only: every processing of "
                                 "personal data must be logged")
        if len(self.pseudoniem_sleutel) < 16:
            raise ValueError("SDS_PSEUDONIEM_SLEUTEL must be at least 16 characters")
        return self


@dataclass(frozen=True)
class Verwerker:
    """Who processes: the client and its user as the log may name them (a resident by pseudonym only)."""

    client_id: str
    gebruiker: str

    @classmethod
    def van(cls, ctx: AuthContext, sleutel: bytes) -> Verwerker:
        bsn = inwoner_bsn(ctx)
        if bsn is not None:
            return cls(ctx.client_id, f"inwoner:{pseudoniem(bsn, sleutel)}")
        if ctx.user_id.startswith(INWONER_PREFIX):
            # A malformed resident claim must not put its digits in the log either.
            return cls(ctx.client_id, "inwoner:ongeldig")
        return cls(ctx.client_id, ctx.user_id[:255])


class Verwerkingenlog:
    """Writes the records of one service's ``verwerkingen`` table. The statements are built once per log (and,
    for :meth:`lezen`, once per read statement): building and compiling an INSERT per call cost more than the
    INSERT itself."""

    def __init__(self, tabel: Table, *, sleutel: bytes, aan: bool = True) -> None:
        self.tabel = tabel
        self.sleutel = sleutel
        self.aan = aan
        # PostgreSQL: one constant statement with the pairs as two arrays. SQLAlchemy compiled the multi-row
        # INSERTs afresh on every call (16,000 bind parameters per 2,000 rows), most of the time a declaratie
        # batch of 10,000 households spent (4 of 7 s under cProfile); this one is compiled once.
        self._unnest = text(
            f"INSERT INTO {tabel.name} ({', '.join(_KOLOMMEN)}) "
            "SELECT CAST(:tijdstip AS timestamptz), CAST(:client_id AS varchar), CAST(:gebruiker AS varchar), "
            "CAST(:activiteit AS varchar), CAST(:handeling AS varchar), p.grondslag, p.betrokkene, "
            "CAST(:trace_id AS varchar) "
            "FROM unnest(CAST(:grondslagen AS varchar[]), CAST(:betrokkenen AS varchar[])) AS p(grondslag, betrokkene)")
        # Elsewhere (SQLite, in-process): one executemany, one call into the driver's thread for any number of rows.
        self._insert = insert(tabel)
        self._pseudoniem = functools.lru_cache(maxsize=PSEUDONIEMEN_IN_GEHEUGEN)(
            functools.partial(pseudoniem, sleutel=sleutel))
        self._gelezen: dict[tuple[int, str | None, str], tuple[Select[Any], Select[Any]]] = {}

    @classmethod
    def uit(cls, tabel: Table, settings: VerwerkingenlogSettings) -> Verwerkingenlog:
        return cls(tabel, sleutel=settings.pseudoniem_sleutel.encode(), aan=settings.verwerkingenlog)

    def pseudoniem(self, waarde: str) -> str:
        return self._pseudoniem(waarde)  # type: ignore[no-any-return]

    def verwerker(self, ctx: AuthContext) -> Verwerker:
        return Verwerker.van(ctx, self.sleutel)

    def _wie(self, ctx: AuthContext, activiteit: str, handeling: Handeling) -> dict[str, Any]:
        who = self.verwerker(ctx)
        trace = trace_var.get()
        return {"tijdstip": datetime.now(UTC), "client_id": who.client_id, "gebruiker": who.gebruiker,
                "activiteit": activiteit, "handeling": handeling, "trace_id": trace.trace_id if trace else None}

    async def vastleggen(
        self,
        session: AsyncSession,
        ctx: AuthContext,
        *,
        activiteit: str,
        handeling: Handeling,
        grondslag: str,
        betrokkenen: Iterable[str],
    ) -> None:
        """One record per pseudonymised data subject in ``betrokkenen`` (duplicates once), in ``session``'s
        transaction."""
        await self.vastleggen_elk(session, ctx, activiteit=activiteit, handeling=handeling,
                                  per_betrokkene=((grondslag, b) for b in betrokkenen))

    async def vastleggen_elk(
        self,
        session: AsyncSession,
        ctx: AuthContext,
        *,
        activiteit: str,
        handeling: Handeling,
        per_betrokkene: Iterable[tuple[str, str]],
    ) -> None:
        """One record per (grondslag, pseudonymised data subject) pair, duplicates once: a list of resources that
        each rest on their own lawful reason, in one statement."""
        if not self.aan:
            return
        pairs = list(dict.fromkeys(per_betrokkene))
        if not pairs:
            return
        wie = self._wie(ctx, activiteit, handeling)
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(self._unnest, {**wie, "grondslagen": [g[:100] for g, _ in pairs],
                                                 "betrokkenen": [b for _, b in pairs]})
        else:
            rij = {"tijdstip": wie["tijdstip"], "client_id": wie["client_id"], "gebruiker": wie["gebruiker"],
                   "verwerkingsactiviteit": activiteit, "handeling": handeling, "trace_id": wie["trace_id"]}
            await session.execute(self._insert, [{**rij, "grondslag": g[:100], "betrokkene": b} for g, b in pairs])
        crash_point(CRASH_VOOR_COMMIT)

    async def lezen(
        self,
        session: AsyncSession,
        ctx: AuthContext,
        stmt: Select[Any],
        params: Mapping[str, Any],
        *,
        activiteit: str,
        betrokkene: str,
        grondslag: str | None,
        anders: str | None = None,
    ) -> Sequence[Row[Any]]:
        """The rows of ``stmt`` (with ``params``), each recorded as read: a row's pseudonymised data subject is its
        column ``betrokkene``, its lawful reason its column ``grondslag`` or, where that is NULL or there is none,
        ``anders``; a row with neither is not recorded (the caller must not show it either).

        On PostgreSQL the records are written by the read's own statement (the INSERT as a data-modifying CTE
        over the read): no round trip of their own, which was most of what the log cost a look-up besides the
        commit's WAL flush. ``stmt`` should be a statement built once with bind parameters (its INSERT is built
        once per statement, and kept)."""
        if not self.aan:
            return (await session.execute(stmt, params)).all()
        wie = self._wie(ctx, activiteit, "lezen")
        if session.get_bind().dialect.name == "postgresql":
            rows = (await session.execute(self._met_vastlegging(stmt, grondslag, betrokkene),
                                          {**params, **{f"vwl_{k}": v for k, v in wie.items()},
                                           "vwl_anders": anders})).all()
        else:
            rows = (await session.execute(stmt, params)).all()
            pairs = []
            for row in rows:
                reden = (getattr(row, grondslag) if grondslag else None) or anders
                if reden:
                    pairs.append((reden, getattr(row, betrokkene)))
            await self.vastleggen_elk(session, ctx, activiteit=activiteit, handeling="lezen", per_betrokkene=pairs)
            return rows
        crash_point(CRASH_VOOR_COMMIT)
        return rows

    def _met_vastlegging(self, stmt: Select[Any], grondslag: str | None, betrokkene: str) -> Select[Any]:
        key = (id(stmt), grondslag, betrokkene)
        found = self._gelezen.get(key)
        if found is not None and found[0] is stmt:
            return found[1]
        gelezen = stmt.cte("vwl_gelezen")
        reden: ColumnElement[Any] = bindparam("vwl_anders", type_=String())
        if grondslag is not None:
            reden = func.coalesce(gelezen.c[grondslag], reden)
        reden = func.substr(reden, 1, 100)
        vastgelegd = insert(self.tabel).from_select(list(_KOLOMMEN), select(
            bindparam("vwl_tijdstip", type_=DateTime(timezone=True)), bindparam("vwl_client_id", type_=String()),
            bindparam("vwl_gebruiker", type_=String()), bindparam("vwl_activiteit", type_=String()),
            bindparam("vwl_handeling", type_=String()), reden, gelezen.c[betrokkene],
            bindparam("vwl_trace_id", type_=String()),
        ).where(reden.is_not(None)).distinct()).cte("vwl_vastgelegd")
        wrapped = select(gelezen).add_cte(vastgelegd)
        # Kept with the statement itself, so an id reused after it is gone cannot match; bounded for callers that
        # build their statements per call.
        if len(self._gelezen) >= 256:
            self._gelezen.clear()
        self._gelezen[key] = (stmt, wrapped)
        return wrapped
