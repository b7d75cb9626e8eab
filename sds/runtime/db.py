"""Database engine and session per service, and the tables every service carries.

Each service owns one database. Besides its own tables it carries three of the runtime's:
``outbox`` (events written in the same transaction as the change), ``inbox`` (events already
handled, per consumer) and ``idempotency_keys`` (the first response to a creating POST).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from pydantic_core import from_json
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    event,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import ORMExecuteState, Session

from sds.runtime.settings import async_database_url

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Column types every service's tables use. SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a
# BIGINT. JSON documents are JSONB on PostgreSQL (indexable, compact) and JSON text on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")
Json = JSON().with_variant(JSONB(), "postgresql")


def new_metadata() -> MetaData:
    """A service's MetaData, with the runtime's tables already on it."""
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    add_runtime_tables(metadata)
    return metadata


def add_runtime_tables(metadata: MetaData) -> None:
    Table(
        "outbox",
        metadata,
        Column("seq", Id, primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("subject", String(255), nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "inbox",
        metadata,
        Column("consumer", String(128), primary_key=True),
        Column("event_id", String(64), primary_key=True),
        Column("handled_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "idempotency_keys",
        metadata,
        Column("client_id", String(255), primary_key=True),
        Column("key", String(255), primary_key=True),
        Column("request_hash", String(64), nullable=False),
        # "running", "effected" (its effect committed, its answer not recorded: a crash came between) or "done"
        Column("state", String(16), nullable=False),
        Column("status_code", Integer, nullable=True),
        Column("headers", Text, nullable=True),
        Column("body", LargeBinary, nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )


def outbox_table(metadata: MetaData) -> Table:
    return metadata.tables["outbox"]


def inbox_table(metadata: MetaData) -> Table:
    return metadata.tables["inbox"]


@dataclass(frozen=True, slots=True)
class IdempotencyClaim:
    """The ``Idempotency-Key`` the current request holds (set by the middleware around the request)."""

    table: Table
    client_id: str
    key: str


IDEMPOTENCY_CLAIM: ContextVar[IdempotencyClaim | None] = ContextVar("sds_idempotency_claim", default=None)
_WROTE = "sds_wrote"


@event.listens_for(Session, "do_orm_execute")
def _note_write(state: ORMExecuteState) -> None:
    """A session that ran an INSERT, UPDATE or DELETE wrote (what ``Database.transaction`` marks a key for)."""
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


def idempotency_table(metadata: MetaData) -> Table:
    return metadata.tables["idempotency_keys"]


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; SQLite files get WAL, a busy timeout and immediate write transactions."""
    url = async_database_url(url)  # plain sqlite:/postgresql: URLs get the async drivers
    # JSON columns are read with pydantic's parser: twice as fast as json.loads, the same values; a page of
    # 100 zaken decodes 100 JSON documents of about a kilobyte.
    kwargs.setdefault("json_deserializer", from_json)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy issue BEGIN itself (see below) instead of pysqlite's deferred BEGIN.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # Room for 16 concurrent requests per process and a little more. No pre-ping: it costs a round trip on
    # every checkout; a connection that died (PostgreSQL restarted) fails the one statement that meets it,
    # and SQLAlchemy then invalidates the whole pool, so the following checkouts connect afresh.
    kwargs.setdefault("pool_size", 20)
    kwargs.setdefault("max_overflow", 10)
    kwargs.setdefault("pool_pre_ping", False)
    return create_async_engine(url, **kwargs)


class Database:
    """One engine and session factory per process, created by the composition root."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = create_engine(url, **engine_kwargs)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on error.

        In a request that holds an ``Idempotency-Key`` (``sds.runtime.idempotency``), a transaction that wrote
        marks the key ``effected`` in itself: the effect and the mark commit together, so a crash before the
        answer is recorded can never lead a retry with that key to a second effect."""
        async with self.sessionmaker() as session, session.begin():
            yield session
            if (claim := IDEMPOTENCY_CLAIM.get()) is not None and session.info.get(_WROTE):
                t = claim.table
                await session.execute(update(t).where(t.c.client_id == claim.client_id, t.c.key == claim.key,
                                                      t.c.state == "running").values(state="effected"))

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
