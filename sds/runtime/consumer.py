"""Durable pull consumers with an inbox: each event has its effect once, however often it arrives.

Per fetched batch, one transaction: one statement claims the batch's event ids in the inbox
table (consumer, event id), the handler runs for the ids that were new, and one commit holds
inbox rows and effects together. A redelivered event finds its inbox row and is skipped. After
the commit the batch is acked. When a handler raises, the batch is redone one event per
transaction, and the failing message is nak'ed with a growing delay. Once a message has been
delivered ``max_deliver`` times it is published to ``sds.dlq.<consumer>`` with the reason,
terminated and counted, and the messages after it keep flowing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from prometheus_client import Counter, Histogram
from sqlalchemy import column, table, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import CloudEvent
from sds.runtime.bus import STREAM, Bus
from sds.runtime.db import Database
from sds.runtime.faults import crash_point
from sds.runtime.outbox import PENDING_EVENTS_KEY
from sds.runtime.tracing import incoming, request_id_var, trace_var

log = logging.getLogger("sds.consumer")

_inbox = table("inbox", column("consumer"), column("event_id"), column("handled_at"))
_CLAIM_PG = text("INSERT INTO inbox (consumer, event_id, handled_at) "
                 "SELECT CAST(:consumer AS varchar), unnest(CAST(:ids AS varchar[])), CAST(:now AS timestamptz) "
                 "ON CONFLICT DO NOTHING RETURNING event_id")

EVENTS_HANDLED = Counter("sds_events_handled_total", "Events whose effect was committed", ["consumer"])
EVENTS_SKIPPED = Counter("sds_events_redelivered_skipped_total", "Redelivered events already handled",
                         ["consumer"])
EVENTS_FAILED = Counter("sds_events_failed_total", "Handler failures (nak'ed for redelivery)", ["consumer"])
DEAD_LETTERED = Counter("sds_events_dead_lettered_total", "Events moved to the dead-letter subject", ["consumer"])
HANDLE_SECONDS = Histogram("sds_event_handle_seconds", "Handler duration per event", ["consumer"],
                           buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5))

Handler = Callable[[AsyncSession, CloudEvent], Awaitable[None]]
BatchHandler = Callable[[AsyncSession, Sequence[CloudEvent]], Awaitable[None]]
DEFAULT_BACKOFF = (0.2, 1.0, 5.0, 15.0)


class HandlerFailed(Exception):
    """A handler raised (its cause): counts towards dead-lettering. Database or NATS trouble
    outside the handler does not: it fails the whole round, nothing is acked, and the messages
    come back after the ack wait."""


def dead_letter_subject(durable: str) -> str:
    return f"sds.dlq.{durable}"


def _waiting_after(msg: Msg) -> int:
    """How many messages the consumer still had undelivered when ``msg`` was delivered (JetStream's count in the
    message's reply subject); when the count cannot be read, as many as a batch may take."""
    try:
        return int(msg.metadata.num_pending or 0)
    except (ValueError, IndexError, AttributeError, TypeError):
        return 1 << 30


class EventConsumer:
    def __init__(
        self,
        db: Database,
        bus: Bus,
        *,
        durable: str,
        subjects: Sequence[str],
        handler: Handler,
        max_deliver: int = 5,
        backoff: Sequence[float] = DEFAULT_BACKOFF,
        batch: int = 100,
        ack_wait: float = 30.0,
        on_events_recorded: Callable[[], None] | None = None,
        stream: str = STREAM,
    ) -> None:
        self.db = db
        self.bus = bus
        self.durable = durable
        self.subjects = list(subjects)
        self.handler = handler
        self.max_deliver = max_deliver
        self.backoff = tuple(backoff)
        self.batch = batch
        self.ack_wait = ack_wait
        self.on_events_recorded = on_events_recorded
        self.stream = stream
        self._stopping = False
        self._handled = EVENTS_HANDLED.labels(durable)
        self._skipped = EVENTS_SKIPPED.labels(durable)
        self._handle_seconds = HANDLE_SECONDS.labels(durable)
        dialect = db.engine.dialect.name
        self._insert = pg_insert if dialect == "postgresql" else sqlite_insert
        self._postgres = dialect == "postgresql"

    async def stop(self) -> None:
        self._stopping = True

    async def _subscribe(self) -> Any:
        config = ConsumerConfig(
            durable_name=self.durable,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.ack_wait,
            # This code decides when a message is dead; JetStream must keep redelivering until then.
            max_deliver=-1,
            max_ack_pending=10_000,
            filter_subjects=self.subjects if len(self.subjects) > 1 else None,
            filter_subject=self.subjects[0] if len(self.subjects) == 1 else None,
        )
        return await self.bus.js.pull_subscribe(self.subjects[0], durable=self.durable, stream=self.stream,
                                                config=config)

    async def run(self) -> None:
        sub = None
        while not self._stopping:
            try:
                if sub is None:
                    sub = await self._subscribe()
                # Long-poll for one message, then take what else is there without waiting: a single
                # fetch of a whole batch would hold the first message until the batch fills or the
                # fetch times out.
                try:
                    msgs = await sub.fetch(1, timeout=1.0)
                except (NatsTimeoutError, TimeoutError):
                    continue
                # The message says how many more the consumer had waiting when it was delivered. Only then is a
                # second fetch worth its round trips: one for nothing asks the server twice (at once, then
                # lingering until its timeout), per event at a steady rate, in every consumer of the suite.
                # What arrives meanwhile is the next round's first message.
                waiting = _waiting_after(msgs[-1])
                if self.batch > 1 and waiting:
                    try:
                        msgs += await sub.fetch(min(self.batch - 1, waiting), timeout=0.005)
                    except (NatsTimeoutError, TimeoutError):
                        pass
                await self.handle_batch(msgs)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # NATS away or database away: nothing was acked, try again
                log.warning("consumer %s round failed (%s: %s); retrying", self.durable, type(exc).__name__, exc)
                await asyncio.sleep(0.5)

    async def handle_batch(self, msgs: list[Msg]) -> None:
        parsed: list[tuple[Msg, CloudEvent]] = []
        for msg in msgs:
            try:
                parsed.append((msg, CloudEvent.from_json(msg.data)))
            except ValueError as exc:
                await self._dead_letter(msg, f"unparseable event: {exc}")
        if not parsed:
            return
        failed: list[tuple[Msg, BaseException]] = []
        try:
            # The common case: the whole batch in one transaction, one inbox statement for all of it.
            recorded = await self._in_transaction([event for _, event in parsed])
            done = [msg for msg, _ in parsed]
        except HandlerFailed as exc:
            # One handler failed and the batch rolled back: redo one event per transaction, so
            # only the failing ones are retried.
            done, recorded = [], 0
            if len(parsed) == 1:
                failed.append((parsed[0][0], exc.__cause__ or exc))
                parsed = []
            for msg, event in parsed:
                try:
                    recorded += await self._in_transaction([event])
                    done.append(msg)
                except HandlerFailed as one:
                    failed.append((msg, one.__cause__ or one))
        crash_point("consumer-after-commit")
        if recorded and self.on_events_recorded is not None:
            self.on_events_recorded()
        for msg in done:
            await msg.ack()
        for msg, error in failed:
            await self._failed(msg, error)

    async def apply(self, events: Sequence[CloudEvent]) -> int:
        """Have the effect of events read some other way (a replay from the start of the stream): the same
        inbox, handler and single transaction as a delivered batch, so an event already handled is skipped.
        Nothing is acked; a failing handler raises ``HandlerFailed`` and nothing of the batch is kept."""
        return await self._in_transaction(list(events))

    async def _in_transaction(self, batch: list[CloudEvent]) -> int:
        """Claim the batch's events in the inbox and run the handler for the new ones; one commit."""
        async with self.db.transaction() as session:
            ids = list(dict.fromkeys(event.id for event in batch))
            now = datetime.now(UTC)
            if self._postgres:
                # The ids as one array: a statement of constant text, not a VALUES list compiled anew per batch
                # (about 0.1 s of every 1,000 events in a replay).
                claimed = set((await session.execute(_CLAIM_PG, {"consumer": self.durable, "ids": ids,
                                                                 "now": now})).scalars())
            else:
                stmt = self._insert(_inbox).values([{"consumer": self.durable, "event_id": i, "handled_at": now}
                                                    for i in ids]).on_conflict_do_nothing()
                claimed = set((await session.execute(stmt.returning(_inbox.c.event_id))).scalars())
            new = []
            for event in batch:
                if event.id not in claimed:
                    self._skipped.inc()
                    continue
                claimed.discard(event.id)  # the same event twice in one batch: its effect once
                new.append(event)
            handle_batch = getattr(self.handler, "handle_batch", None)
            if handle_batch is not None and len(new) > 1:
                await self._run_batch_handler(session, handle_batch, new)
            else:
                for event in new:
                    await self._run_handler(session, event)
            return int(session.info.pop(PENDING_EVENTS_KEY, 0))

    async def _run_batch_handler(self, session: AsyncSession, handle_batch: BatchHandler,
                                 events: list[CloudEvent]) -> None:
        """A handler that has ``handle_batch`` takes a whole batch at once (a projection writing many rows
        in a few statements); in stream order, in the same transaction. When it raises, the consumer redoes
        the batch one event per transaction, through the same method, so only the failing ones are retried."""
        rid_token = request_id_var.set(f"events:{events[0].id}+{len(events) - 1}")
        started = time.perf_counter()
        try:
            await handle_batch(session, events)
        except Exception as exc:
            raise HandlerFailed(events[0].id) from exc
        finally:
            request_id_var.reset(rid_token)
        self._handle_seconds.observe((time.perf_counter() - started) / len(events))
        self._handled.inc(len(events))

    async def _run_handler(self, session: AsyncSession, event: CloudEvent) -> None:
        # The handler runs in the trace of the request that caused the event.
        rid_token = request_id_var.set(f"event:{event.id}")
        trace_token = trace_var.set(incoming(None, event.traceparent)[1])
        started = time.perf_counter()
        try:
            await self.handler(session, event)
        except Exception as exc:
            raise HandlerFailed(event.id) from exc
        finally:
            self._handle_seconds.observe(time.perf_counter() - started)
            request_id_var.reset(rid_token)
            trace_var.reset(trace_token)
        self._handled.inc()

    async def _failed(self, msg: Msg, exc: BaseException) -> None:
        EVENTS_FAILED.labels(self.durable).inc()
        delivered = msg.metadata.num_delivered
        if delivered >= self.max_deliver:
            await self._dead_letter(msg, f"{type(exc).__name__}: {exc}")
            return
        delay = self.backoff[min(delivered - 1, len(self.backoff) - 1)]
        log.warning("event handler failed (delivery %d of %d), retry in %.1fs: %s",
                    delivered, self.max_deliver, delay, type(exc).__name__)
        await msg.nak(delay=delay)

    async def _dead_letter(self, msg: Msg, reason: str) -> None:
        headers = dict(msg.headers or {})
        meta = msg.metadata
        headers.update({
            "Sds-Dlq-Consumer": self.durable,
            "Sds-Dlq-Reason": reason[:500],
            "Sds-Dlq-Deliveries": str(meta.num_delivered),
            "Sds-Dlq-Subject": msg.subject,
            # One dead letter per original message, even if this step itself is repeated.
            "Nats-Msg-Id": f"dlq:{self.durable}:{meta.sequence.stream}",
        })
        await self.bus.js.publish(dead_letter_subject(self.durable), msg.data, headers=headers)
        await msg.term()
        DEAD_LETTERED.labels(self.durable).inc()
        log.error("event moved to %s after %d deliveries: %s", dead_letter_subject(self.durable),
                  meta.num_delivered, reason[:200])
