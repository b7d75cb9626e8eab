"""Outbox, relay, consumer and dead letters against a real nats-server and the selected database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import nats
import pytest
from sqlalchemy import Column, Integer, String, Table, func, insert, select

from contracts.envelope import CloudEvent
from sds.runtime.bus import Bus
from sds.runtime.consumer import DEAD_LETTERED, EVENTS_SKIPPED, EventConsumer, dead_letter_subject
from sds.runtime.db import Database, new_metadata, outbox_table
from sds.runtime.outbox import OutboxRelay, record_event
from tests.support.databases import fresh_database_url
from tests.support.natsserver import NatsServer

metadata = new_metadata()
effects = Table("effects", metadata, Column("id", Integer, primary_key=True, autoincrement=True),
                Column("event_id", String(64), nullable=False))


def event(n: int, **extra: object) -> CloudEvent:
    return CloudEvent(source="urn:nld:sociaal-domein:proef", type="nl.sociaal-domein.proef.notitie-aangemaakt",
                      subject=str(n), data={"n": n, **extra})


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with fresh_database_url(tmp_path, "bus") as url:
        database = Database(url)
        async with database.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        yield database
        await database.dispose()


@pytest.fixture
async def bus(nats_server: NatsServer) -> AsyncIterator[Bus]:
    connected = await Bus.connect(nats_server.url, name="test", max_wait=5)
    await connected.ensure_stream()
    yield connected
    await connected.close()


async def count(db: Database, table: Table) -> int:
    async with db.transaction() as session:
        return (await session.execute(select(func.count()).select_from(table))).scalar_one()


async def stream_messages(bus: Bus, subject: str = "sds.proef.>") -> list[nats.aio.msg.Msg]:
    sub = await bus.js.pull_subscribe(subject, stream="SDS")
    try:
        return await sub.fetch(10_000, timeout=1)
    except nats.errors.TimeoutError:
        return []
    finally:
        await sub.unsubscribe()


async def record_effect(session, evt: CloudEvent) -> None:  # type: ignore[no-untyped-def]
    await session.execute(insert(effects).values(event_id=evt.id))


async def until(predicate, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]  # noqa: ASYNC109
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


async def test_outbox_row_lives_and_dies_with_the_producers_transaction(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            await record_event(session, event(1))
            raise RuntimeError("the change fails")
    assert await count(db, outbox_table(metadata)) == 0
    async with db.transaction() as session:
        await record_event(session, event(2))
    assert await count(db, outbox_table(metadata)) == 1


async def test_relay_publishes_with_msg_id_and_a_republish_is_dropped(db: Database, bus: Bus) -> None:
    evt = event(1)
    async with db.transaction() as session:
        await record_event(session, evt)
    relay = OutboxRelay(db, bus)
    assert await relay.publish_pending() == 1
    assert await count(db, outbox_table(metadata)) == 0
    # As if the relay had crashed after publishing, before deleting: the row is there again.
    async with db.transaction() as session:
        await record_event(session, evt)
    assert await relay.publish_pending() == 1
    msgs = await stream_messages(bus)
    assert len(msgs) == 1
    assert msgs[0].headers["Nats-Msg-Id"] == evt.id and msgs[0].subject == "sds.proef.notitie.aangemaakt"
    assert CloudEvent.from_json(msgs[0].data) == evt


async def test_relay_keeps_rows_while_nats_is_down(db: Database, bus: Bus, nats_server: NatsServer) -> None:
    async with db.transaction() as session:
        for n in range(5):
            await record_event(session, event(n))
    nats_server.kill()
    relay = OutboxRelay(db, bus, poll_interval=0.05)
    task = asyncio.create_task(relay.run())
    await asyncio.sleep(1.0)
    assert await count(db, outbox_table(metadata)) == 5
    nats_server.start()
    await until(lambda: _is(count(db, outbox_table(metadata)), 0), timeout=20)
    await relay.stop()
    await task
    assert len(await stream_messages(bus)) == 5


async def _is(awaitable, expected) -> bool:  # type: ignore[no-untyped-def]
    return (await awaitable) == expected


async def test_a_redelivered_event_has_no_second_effect(db: Database, bus: Bus) -> None:
    evt = event(7)
    # Two messages carrying the same event (a producer retry that escaped de-duplication).
    await bus.js.publish("sds.proef.notitie.aangemaakt", evt.to_json(), headers={"Nats-Msg-Id": "a"})
    await bus.js.publish("sds.proef.notitie.aangemaakt", evt.to_json(), headers={"Nats-Msg-Id": "b"})
    skipped_before = EVENTS_SKIPPED.labels("proef-dedup")._value.get()
    consumer = EventConsumer(db, bus, durable="proef-dedup", subjects=["sds.proef.>"], handler=record_effect)
    task = asyncio.create_task(consumer.run())
    await until(lambda: _is(count(db, effects), 1))
    await asyncio.sleep(0.5)
    await consumer.stop()
    await task
    assert await count(db, effects) == 1
    assert EVENTS_SKIPPED.labels("proef-dedup")._value.get() == skipped_before + 1


async def test_transient_failure_is_retried_with_backoff_then_succeeds(db: Database, bus: Bus) -> None:
    attempts: list[float] = []

    async def flaky(session, evt: CloudEvent) -> None:  # type: ignore[no-untyped-def]
        attempts.append(asyncio.get_running_loop().time())
        await record_effect(session, evt)  # rolled back with the savepoint when we raise below
        if len(attempts) < 3:
            raise ConnectionError("upstream briefly away")

    await bus.js.publish("sds.proef.notitie.aangemaakt", event(1).to_json())
    consumer = EventConsumer(db, bus, durable="proef-flaky", subjects=["sds.proef.>"], handler=flaky,
                             backoff=(0.3, 0.6), max_deliver=5)
    task = asyncio.create_task(consumer.run())
    await until(lambda: _is(count(db, effects), 1))
    await consumer.stop()
    await task
    assert len(attempts) == 3 and await count(db, effects) == 1
    assert attempts[1] - attempts[0] >= 0.25 and attempts[2] - attempts[1] >= 0.5


async def test_poison_message_goes_to_dead_letter_and_later_messages_flow(db: Database, bus: Bus) -> None:
    async def handler(session, evt: CloudEvent) -> None:  # type: ignore[no-untyped-def]
        if evt.data.get("gif"):
            raise ValueError("this event can never be handled")
        await record_effect(session, evt)

    dlq = await bus.nc.subscribe(dead_letter_subject("proef-poison"))
    dead_before = DEAD_LETTERED.labels("proef-poison")._value.get()
    poison = event(0, gif=True)
    await bus.js.publish("sds.proef.notitie.aangemaakt", poison.to_json())
    await bus.js.publish("sds.proef.notitie.aangemaakt", b"{not json")
    for n in range(1, 21):
        await bus.js.publish("sds.proef.notitie.aangemaakt", event(n).to_json())
    consumer = EventConsumer(db, bus, durable="proef-poison", subjects=["sds.proef.>"], handler=handler,
                             backoff=(0.05,), max_deliver=3)
    task = asyncio.create_task(consumer.run())
    await until(lambda: _is(count(db, effects), 20))
    letters = [await dlq.next_msg(timeout=10), await dlq.next_msg(timeout=10)]
    await consumer.stop()
    await task
    by_reason = {m.headers["Sds-Dlq-Reason"].split(":")[0]: m for m in letters}
    assert set(by_reason) == {"ValueError", "unparseable event"}
    assert CloudEvent.from_json(by_reason["ValueError"].data).id == poison.id
    assert by_reason["ValueError"].headers["Sds-Dlq-Deliveries"] == "3"
    assert DEAD_LETTERED.labels("proef-poison")._value.get() == dead_before + 2
    assert await count(db, effects) == 20


class _CountingConsumer(EventConsumer):
    """Records the batch size of each fetch it asks JetStream for, and the size of each batch it handles."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fetches: list[int] = []
        self.batches: list[int] = []

    async def _subscribe(self):  # type: ignore[no-untyped-def]
        sub = await super()._subscribe()
        fetch = sub.fetch

        async def counted(batch: int = 1, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.fetches.append(batch)
            return await fetch(batch, *args, **kwargs)

        sub.fetch = counted
        return sub

    async def handle_batch(self, msgs) -> None:  # type: ignore[no-untyped-def]
        self.batches.append(len(msgs))
        await super().handle_batch(msgs)


async def test_a_lone_event_costs_one_fetch_and_a_backlog_is_taken_in_one_batch(db: Database, bus: Bus) -> None:
    # A subject of its own: the stream outlives each test, and what the others published is no part of this one.
    for n in range(5):
        await bus.js.publish("sds.proeffetch.notitie.aangemaakt", event(100 + n).to_json())
    consumer = _CountingConsumer(db, bus, durable="proef-fetches", subjects=["sds.proeffetch.>"], handler=record_effect)
    task = asyncio.create_task(consumer.run())
    await until(lambda: _is(count(db, effects), 5))
    # The five waiting when it started: the first message says four more wait, and one batch takes them all.
    assert consumer.batches == [5]
    assert consumer.fetches[:2] == [1, 4]
    consumer.fetches.clear()
    await bus.js.publish("sds.proeffetch.notitie.aangemaakt", event(200).to_json())
    await until(lambda: _is(count(db, effects), 6))
    await asyncio.sleep(0.3)
    await consumer.stop()
    await task
    # One event alone: nothing else was waiting, so no second fetch asked the server for more.
    assert consumer.batches == [5, 1]
    assert set(consumer.fetches) == {1}
