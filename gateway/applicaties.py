"""Applicaties: the clients the gateway knows, with their secret and what they may do.

The bootstrap client from the settings has all authorisations (it is how an operator sets up
the rest) and lives only in the settings. Every other applicatie is managed through the
Autorisaties API (gateway.autorisaties) and stored in the gateway's own database. The verifier
asks an ``ApplicatieStore`` by client id; ``SqlApplicatieStore`` answers from a small in-memory
cache, so a token seen for the first time costs at most one query, and a change made through this
process empties the cache (and the verifier's tokens of the clients concerned) at once.

A change made through another gateway process (``sds up --replicas``, or gateways on several hosts sharing the
database) reaches this one through ``applicatie_wijzigingen``: every save and delete writes the client ids it
touches there in its own transaction, and ``follow_changes`` reads what is new every ``revocation_poll_seconds``
(0.5 s) and forgets those clients as if the change had been made here — a withdrawn applicatie, client id or
autorisatie holds on every process within a second, not after the 30 s of the cache. The log keeps an hour.

The tables are brought to the latest revision of ``gateway/migrations`` when the gateway starts, as the
services' databases are by ``sds migrate``: the gateway is the only one that uses its database.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid as uuid_module
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.engine import CursorResult, make_url
from sqlalchemy.exc import IntegrityError

from sds.runtime.auth import AuthContext, Autorisatie, begrens
from sds.runtime.db import NAMING_CONVENTION, Database
from sds.runtime.errors import ValidatieFout
from sds.runtime.migrations import upgrade

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True)
class Applicatie:
    client_id: str
    # None: registered without one (as the standard's API registers), so no token of it is accepted.
    secret: str | None
    label: str = ""
    heeft_alle_autorisaties: bool = False
    autorisaties: tuple[Autorisatie, ...] = ()
    kolommen: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()

    def auth_context(self, *, user_id: str = "", user_representation: str = "") -> AuthContext:
        # Held to its kolommen here as every service holds it again (sds.runtime.auth.begrens): a grant without
        # a kolom reaches the service as a grant per kolom the applicatie serves.
        return begrens(AuthContext(
            client_id=self.client_id,
            user_id=user_id,
            user_representation=user_representation,
            heeft_alle_autorisaties=self.heeft_alle_autorisaties,
            autorisaties=list(self.autorisaties),
            kolommen=list(self.kolommen),
            clusters=list(self.clusters),
        ))


class ApplicatieStore(Protocol):
    async def get(self, client_id: str) -> Applicatie | None: ...


class InMemoryApplicatieStore:
    def __init__(self, applicaties: Iterable[Applicatie] = ()) -> None:
        self._by_client_id = {app.client_id: app for app in applicaties}

    async def get(self, client_id: str) -> Applicatie | None:
        return self._by_client_id.get(client_id)

    def add(self, applicatie: Applicatie) -> None:
        self._by_client_id[applicatie.client_id] = applicatie


def bootstrap_applicatie(client_id: str, secret: str) -> Applicatie:
    return Applicatie(client_id=client_id, secret=secret, label="Bootstrap-applicatie",
                      heeft_alle_autorisaties=True)


# The gateway's own database holds only these two tables: none of the services' runtime tables
# (outbox, inbox, idempotency keys) has a use here.
metadata = MetaData(naming_convention=NAMING_CONVENTION)
applicaties_table = Table(
    "applicaties",
    metadata,
    Column("uuid", String(36), primary_key=True),
    Column("label", String(100), nullable=False),
    # Kept as given: the verifier needs the secret itself to check a token's HMAC. NULL: none set yet.
    Column("secret", Text, nullable=True),
    Column("heeft_alle_autorisaties", Boolean, nullable=False),
    Column("autorisaties", JSON, nullable=False),
    Column("kolommen", JSON, nullable=False),
    Column("clusters", JSON, nullable=False),
)
client_ids_table = Table(
    "applicatie_client_ids",
    metadata,
    # The primary key makes a client id belong to one applicatie, also between two gateway processes.
    Column("client_id", String(255), primary_key=True),
    Column("applicatie_uuid", String(36), ForeignKey("applicaties.uuid", ondelete="CASCADE"), nullable=False,
           index=True),
)

# What was changed, for the other gateway processes: a row per client id per change, by wall-clock time.
wijzigingen_table = Table(
    "applicatie_wijzigingen",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(255), nullable=False),
    Column("gewijzigd_op", Float, nullable=False, index=True),
)

log = logging.getLogger("sds.gateway.applicaties")
# A change is looked for this long after its time: a transaction that commits late, a clock a little off.
_WIJZIGING_WINDOW_SECONDS = 60.0
_WIJZIGING_KEEP_SECONDS = 3600.0


@dataclass
class ApplicatieRecord:
    """An applicatie as the Autorisaties API manages it: one row with all its client ids."""

    uuid: str
    client_ids: list[str]
    label: str
    secret: str | None
    heeft_alle_autorisaties: bool
    autorisaties: list[Autorisatie]
    kolommen: list[str]
    clusters: list[str]

    @staticmethod
    def new_uuid() -> str:
        return str(uuid_module.uuid4())

    def for_client(self, client_id: str) -> Applicatie:
        return Applicatie(client_id=client_id, secret=self.secret, label=self.label,
                          heeft_alle_autorisaties=self.heeft_alle_autorisaties,
                          autorisaties=tuple(self.autorisaties), kolommen=tuple(self.kolommen),
                          clusters=tuple(self.clusters))


def _client_ids_taken(taken: Iterable[str]) -> ValidatieFout:
    # The standard's code (vng-api-common's UniqueClientIDValidator): a client id belongs to one applicatie.
    return ValidatieFout.single("clientIds", "clientId-exists",
                                f"De clientIds {', '.join(sorted(taken))} zijn al in gebruik bij een andere "
                                "applicatie.")


class SqlApplicatieStore:
    # A bound on the cache: client ids that do not exist are cached too (so a caller sending
    # made-up ids cannot turn each request into a query), and those are whatever callers send.
    _MAX_CACHED = 10_000

    def __init__(self, database: Database, bootstrap: Applicatie, *, cache_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.database = database
        self.bootstrap = bootstrap
        self.cache_seconds = cache_seconds
        self.clock = clock
        self._cache: dict[str, tuple[Applicatie | None, float]] = {}
        self._listeners: list[Callable[[Collection[str]], None]] = []
        # The changes in applicatie_wijzigingen this process has acted on (its own included), by id, with their time.
        self._seen: dict[int, float] = {}

    def on_change(self, listener: Callable[[Collection[str]], None]) -> None:
        """Call ``listener`` with the client ids whose applicatie changed or went away."""
        self._listeners.append(listener)

    async def migrate(self) -> None:
        """Bring the gateway's database to the latest revision (creating it when it is new)."""
        url = make_url(self.database.url)
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # Alembic runs its own event loop: in a thread of its own, beside this one.
        await asyncio.to_thread(upgrade, MIGRATIONS_DIR, self.database.url)

    async def get(self, client_id: str) -> Applicatie | None:
        if client_id == self.bootstrap.client_id:
            return self.bootstrap
        now = self.clock()
        cached = self._cache.get(client_id)
        if cached is not None and now - cached[1] < self.cache_seconds:
            return cached[0]
        record = await self.by_client_id(client_id)
        applicatie = record.for_client(client_id) if record is not None else None
        if len(self._cache) >= self._MAX_CACHED:
            self._cache.clear()
        self._cache[client_id] = (applicatie, now)
        return applicatie

    async def by_client_id(self, client_id: str) -> ApplicatieRecord | None:
        async with self.database.transaction() as session:
            row = (await session.execute(
                select(client_ids_table.c.applicatie_uuid).where(client_ids_table.c.client_id == client_id)
            )).scalar_one_or_none()
            if row is None:
                return None
            return await self._load(session, row)

    async def _load(self, session: Any, uuid: str) -> ApplicatieRecord | None:
        row = (await session.execute(select(applicaties_table).where(applicaties_table.c.uuid == uuid))).first()
        if row is None:
            return None
        client_ids = (await session.execute(
            select(client_ids_table.c.client_id).where(client_ids_table.c.applicatie_uuid == uuid)
            .order_by(client_ids_table.c.client_id)
        )).scalars().all()
        return _record(row, list(client_ids))

    async def fetch(self, uuid: str) -> ApplicatieRecord | None:
        async with self.database.transaction() as session:
            return await self._load(session, uuid)

    async def page(self, offset: int, limit: int, *,
                   client_ids: Collection[str] = ()) -> tuple[int, list[ApplicatieRecord]]:
        """A page of applicaties; with ``client_ids`` only those that have one of them."""
        where = [applicaties_table.c.uuid.in_(
            select(client_ids_table.c.applicatie_uuid).where(client_ids_table.c.client_id.in_(client_ids)))
        ] if client_ids else []
        async with self.database.transaction() as session:
            count = (await session.execute(
                select(func.count()).select_from(applicaties_table).where(*where))).scalar_one()
            rows = (await session.execute(
                select(applicaties_table).where(*where)
                .order_by(applicaties_table.c.label, applicaties_table.c.uuid).limit(limit).offset(offset)
            )).all()
            uuids = [row.uuid for row in rows]
            by_uuid: dict[str, list[str]] = {u: [] for u in uuids}
            if uuids:
                for client_id, owner in (await session.execute(
                    select(client_ids_table.c.client_id, client_ids_table.c.applicatie_uuid)
                    .where(client_ids_table.c.applicatie_uuid.in_(uuids)).order_by(client_ids_table.c.client_id)
                )).all():
                    by_uuid[owner].append(client_id)
            return count, [_record(row, by_uuid[row.uuid]) for row in rows]

    async def save(self, record: ApplicatieRecord, *, new: bool) -> None:
        """Insert or replace ``record`` with its client ids; ValidatieFout when one is another's."""
        if self.bootstrap.client_id in record.client_ids:
            raise _client_ids_taken([self.bootstrap.client_id])
        values = {
            "label": record.label, "secret": record.secret,
            "heeft_alle_autorisaties": record.heeft_alle_autorisaties,
            "autorisaties": [a.model_dump(exclude_none=True) for a in record.autorisaties],
            "kolommen": record.kolommen, "clusters": record.clusters,
        }
        before: list[str] = []
        try:
            async with self.database.transaction() as session:
                taken = (await session.execute(
                    select(client_ids_table.c.client_id).where(
                        client_ids_table.c.client_id.in_(record.client_ids),
                        client_ids_table.c.applicatie_uuid != record.uuid)
                )).scalars().all()
                if taken:
                    raise _client_ids_taken(taken)
                if new:
                    await session.execute(insert(applicaties_table).values(uuid=record.uuid, **values))
                else:
                    before = list((await session.execute(
                        select(client_ids_table.c.client_id)
                        .where(client_ids_table.c.applicatie_uuid == record.uuid))).scalars().all())
                    await session.execute(
                        applicaties_table.update().where(applicaties_table.c.uuid == record.uuid).values(**values))
                    await session.execute(
                        delete(client_ids_table).where(client_ids_table.c.applicatie_uuid == record.uuid))
                await session.execute(insert(client_ids_table), [
                    {"client_id": client_id, "applicatie_uuid": record.uuid} for client_id in record.client_ids
                ])
                await self._record_change(session, [*before, *record.client_ids])
        except IntegrityError:
            # Another process took a client id between the check and the insert.
            raise _client_ids_taken(record.client_ids) from None
        self._changed([*before, *record.client_ids])

    async def delete(self, uuid: str) -> bool:
        async with self.database.transaction() as session:
            client_ids = list((await session.execute(
                select(client_ids_table.c.client_id).where(client_ids_table.c.applicatie_uuid == uuid)
            )).scalars().all())
            # Client ids first: SQLite enforces the cascade only with foreign keys on, PostgreSQL always.
            await session.execute(delete(client_ids_table).where(client_ids_table.c.applicatie_uuid == uuid))
            result = cast(CursorResult[Any], await session.execute(
                delete(applicaties_table).where(applicaties_table.c.uuid == uuid)))
            deleted = result.rowcount
            if deleted:
                await self._record_change(session, client_ids)
        if deleted:
            self._changed(client_ids)
        return bool(deleted)

    async def _record_change(self, session: Any, client_ids: Iterable[str]) -> None:
        now = time.time()
        rows = [{"client_id": client_id, "gewijzigd_op": now} for client_id in sorted(set(client_ids))]
        if rows:
            ids = (await session.execute(insert(wijzigingen_table).returning(wijzigingen_table.c.id), rows)).scalars()
            self._seen.update((i, now) for i in ids)

    async def changes_elsewhere(self) -> set[str]:
        """The client ids that another process changed since the last look (and forgets them here)."""
        now = time.time()
        async with self.database.transaction() as session:
            rows = (await session.execute(
                select(wijzigingen_table.c.id, wijzigingen_table.c.client_id, wijzigingen_table.c.gewijzigd_op)
                .where(wijzigingen_table.c.gewijzigd_op >= now - _WIJZIGING_WINDOW_SECONDS))).all()
        new = [row for row in rows if row.id not in self._seen]
        self._seen = {i: t for i, t in self._seen.items() if t >= now - _WIJZIGING_WINDOW_SECONDS}
        self._seen.update((row.id, row.gewijzigd_op) for row in new)
        client_ids = {row.client_id for row in new}
        if client_ids:
            self._changed(client_ids)
        return client_ids

    async def forget_old_changes(self) -> None:
        async with self.database.transaction() as session:
            await session.execute(delete(wijzigingen_table).where(
                wijzigingen_table.c.gewijzigd_op < time.time() - _WIJZIGING_KEEP_SECONDS))

    async def follow_changes(self, interval: float) -> None:
        """Until cancelled: act on the changes of other processes every ``interval`` seconds."""
        await self.changes_elsewhere()
        looks = 0
        while True:
            await asyncio.sleep(interval)
            looks += 1
            try:
                await self.changes_elsewhere()
                if looks % max(1, int(600 / interval)) == 0:
                    await self.forget_old_changes()
            except Exception as exc:  # the database away for a while: the cache's own expiry still holds
                log.warning("could not read the changed applicaties: %s", exc)

    def _changed(self, client_ids: Iterable[str]) -> None:
        ids = set(client_ids)
        for client_id in ids:
            self._cache.pop(client_id, None)
        for listener in self._listeners:
            listener(ids)


def _record(row: Any, client_ids: list[str]) -> ApplicatieRecord:
    return ApplicatieRecord(
        uuid=row.uuid, client_ids=client_ids, label=row.label, secret=row.secret,
        heeft_alle_autorisaties=row.heeft_alle_autorisaties,
        autorisaties=[Autorisatie.model_validate(a) for a in row.autorisaties],
        kolommen=list(row.kolommen), clusters=list(row.clusters),
    )
