"""10,000 events from a producer reach a consumer: none lost, none with a second effect, while

- the relay is SIGKILLed after publishing and before deleting its outbox rows (twice),
- nats-server is SIGKILLed and restarted mid-stream,
- the consumer is SIGKILLed after committing its effects and before acking them (twice).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sds.runtime.db import Database
from tests.chaos.worker import Worker, effects, metadata, sent
from tests.support.databases import fresh_database_url
from tests.support.natsserver import NatsServer

TOTAL = 10_000
pytestmark = pytest.mark.chaos


async def _scalar(db: Database, stmt) -> int:  # type: ignore[no-untyped-def]
    async with db.transaction() as session:
        return int((await session.execute(stmt)).scalar_one())


async def test_ten_thousand_events_no_loss_no_double_effect_through_kills(tmp_path: Path) -> None:
    nats = NatsServer(tmp_path / "nats").start()
    async with fresh_database_url(tmp_path, "producer") as producer_url, \
            fresh_database_url(tmp_path, "consumer") as consumer_url:
        producer_db, consumer_db = Database(producer_url), Database(consumer_url)
        for db in (producer_db, consumer_db):
            async with db.engine.begin() as conn:
                await conn.run_sync(metadata.create_all)
        producer = Worker("producer", producer_url, nats.url, tmp_path / "producer.log", TOTAL,
                          ["relay-after-publish:4", "relay-after-publish:9"])
        consumer = Worker("consumer", consumer_url, nats.url, tmp_path / "consumer.log", TOTAL,
                          ["consumer-after-commit:6", "consumer-after-commit:15"])
        nats_restarted = False
        try:
            deadline = time.monotonic() + 240
            producer_done = consumer_done = False
            while not (producer_done and consumer_done):
                assert time.monotonic() < deadline, "the events did not all arrive in time"
                producer_done = producer_done or producer.poll()
                consumer_done = consumer_done or consumer.poll()
                if not nats_restarted and await _scalar(consumer_db, select(func.count()).select_from(effects)) > 3000:
                    nats.kill()
                    await asyncio.sleep(0.5)
                    nats.start()
                    nats_restarted = True
                await asyncio.sleep(0.1)
            assert nats_restarted
            assert producer.kills == 2 and consumer.kills == 2
            assert await _scalar(producer_db, select(func.count()).select_from(sent)) == TOTAL
            rows = await _scalar(consumer_db, select(func.count()).select_from(effects))
            distinct = await _scalar(consumer_db, select(func.count(func.distinct(effects.c.n))))
            distinct_ids = await _scalar(consumer_db, select(func.count(func.distinct(effects.c.event_id))))
            assert (rows, distinct, distinct_ids) == (TOTAL, TOTAL, TOTAL)
        finally:
            producer.stop()
            consumer.stop()
            nats.stop()
            await producer_db.dispose()
            await consumer_db.dispose()
