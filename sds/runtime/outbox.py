"""The transactional outbox: events are rows until the relay has JetStream's acknowledgement.

A service writes its event in the same transaction as the change (``record_event``). The relay
reads a batch of rows, publishes them asynchronously (all in flight at once, then one wait for
all PubAcks) with ``Nats-Msg-Id`` = event id, and deletes the rows in the same transaction it
read them in. A crash after publishing and before that commit republishes the rows, and
JetStream's de-duplication drops the copies; a NATS outage leaves the rows where they are.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from prometheus_client import Counter, Gauge
from sqlalchemy import column, delete, func, insert, select, table
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import CloudEvent, subject_for
from sds.runtime.bus import Bus
from sds.runtime.db import Database
from sds.runtime.faults import crash_point

log = logging.getLogger("sds.outbox")

# A lightweight handle on the runtime's outbox table (defined in db.py), usable with any metadata.
_outbox = table("outbox", column("seq"), column("event_id"), column("subject"), column("payload"),
                column("created_at"))

EVENTS_PUBLISHED = Counter("sds_outbox_events_published_total", "Events published from the outbox")
RELAY_ERRORS = Counter("sds_outbox_relay_errors_total", "Relay rounds that failed and will be retried")
OUTBOX_BACKLOG = Gauge("sds_outbox_backlog", "Outbox rows not yet published (last count)")

PENDING_EVENTS_KEY = "sds_pending_events"
ACK_TIMEOUT_SECONDS = 10.0
_ROWS_PER_INSERT = 2000  # 4 parameters a row: under asyncpg's and SQLite's limits on bind parameters


async def record_event(session: AsyncSession, event: CloudEvent) -> None:
    """Add ``event`` to the outbox inside the caller's transaction (no commit here)."""
    await session.execute(insert(_outbox).values(
        event_id=event.id, subject=subject_for(event.type), payload=event.to_json(),
        created_at=datetime.now(UTC),
    ))
    session.info[PENDING_EVENTS_KEY] = session.info.get(PENDING_EVENTS_KEY, 0) + 1


async def record_events(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
    """Add many events to the outbox inside the caller's transaction, in multi-row inserts: a batch of 10,000
    signals publishes 10,000 events, and a statement per event would cost more than the batch itself."""
    now = datetime.now(UTC)
    rows = [{"event_id": e.id, "subject": subject_for(e.type), "payload": e.to_json(), "created_at": now}
            for e in events]
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        await session.execute(insert(_outbox), rows[start:start + _ROWS_PER_INSERT])
    session.info[PENDING_EVENTS_KEY] = session.info.get(PENDING_EVENTS_KEY, 0) + len(rows)


class OutboxRelay:
    def __init__(self, db: Database, bus: Bus, *, batch: int = 500, poll_interval: float = 0.2) -> None:
        self.db = db
        self.bus = bus
        self.batch = batch
        self.poll_interval = poll_interval
        self._wake = asyncio.Event()
        self._stopping = False
        self._skip_locked = db.engine.dialect.name == "postgresql"

    def wake(self) -> None:
        """Publish now rather than at the next poll: a producer just committed events."""
        self._wake.set()

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        failures = 0
        while not self._stopping:
            # Cleared before the round, not after: a wake that comes while a round runs must lead
            # to another round at once, not wait for the poll interval.
            self._wake.clear()
            try:
                published = await self.publish_pending()
                failures = 0
            except Exception as exc:  # NATS or database away: keep the rows, back off, try again
                failures += 1
                RELAY_ERRORS.inc()
                log.warning("outbox relay round failed (%s: %s); retrying", type(exc).__name__, exc)
                await asyncio.sleep(min(0.1 * 2**failures, 5.0))
                continue
            if published < self.batch:
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self.poll_interval)
                except TimeoutError:
                    pass

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many events were published."""
        async with self.db.transaction() as session:
            stmt = select(_outbox.c.seq, _outbox.c.event_id, _outbox.c.subject, _outbox.c.payload) \
                .order_by(_outbox.c.seq).limit(self.batch)
            if self._skip_locked:
                # Several processes of one service may each run a relay: each takes its own rows.
                stmt = stmt.with_for_update(skip_locked=True)
            rows = (await session.execute(stmt)).all()
            if not rows:
                OUTBOX_BACKLOG.set(0)
                return 0
            js = self.bus.js
            futures: list[Any] = []
            for row in rows:
                futures.append(await js.publish_async(row.subject, bytes(row.payload),
                                                      headers={"Nats-Msg-Id": row.event_id}))
            await asyncio.wait_for(asyncio.gather(*futures), timeout=ACK_TIMEOUT_SECONDS)
            crash_point("relay-after-publish")
            await session.execute(delete(_outbox).where(_outbox.c.seq.in_([row.seq for row in rows])))
        EVENTS_PUBLISHED.inc(len(rows))
        if len(rows) == self.batch:
            async with self.db.sessionmaker() as session:
                OUTBOX_BACKLOG.set((await session.execute(select(func.count()).select_from(_outbox))).scalar_one())
        else:
            OUTBOX_BACKLOG.set(0)
        return len(rows)
