"""The two processes of the no-loss test: a producer with its relay, and a consumer.

Run as ``python -m tests.chaos.worker producer|consumer DB_URL NATS_URL TOTAL [REPLICAS]``. Each keeps its
progress in its own database only, so after a SIGKILL a restarted process carries on where the
committed state says it was — exactly what a service does.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Column, Integer, String, Table, func, insert, select

from contracts.envelope import CloudEvent
from sds.runtime.bus import Bus
from sds.runtime.consumer import EventConsumer
from sds.runtime.db import Database, new_metadata, outbox_table
from sds.runtime.outbox import OutboxRelay, record_event

ROOT = Path(__file__).resolve().parents[2]
metadata = new_metadata()
# Producer side: the "change" each event announces. Consumer side: the effect of each event,
# deliberately without a unique constraint, so a second effect would show as a second row.
sent = Table("sent", metadata, Column("n", Integer, primary_key=True, autoincrement=False))
effects = Table("effects", metadata, Column("id", Integer, primary_key=True, autoincrement=True),
                Column("event_id", String(64), nullable=False), Column("n", Integer, nullable=False))
BATCH = 50


async def produce(db: Database, bus: Bus, total: int) -> None:
    relay = OutboxRelay(db, bus, batch=200, poll_interval=0.05)
    relay_task = asyncio.create_task(relay.run())
    async with db.transaction() as session:
        done = (await session.execute(select(func.coalesce(func.max(sent.c.n), 0)))).scalar_one()
    for start in range(done + 1, total + 1, BATCH):
        async with db.transaction() as session:
            for n in range(start, min(start + BATCH, total + 1)):
                await session.execute(insert(sent).values(n=n))
                await record_event(session, CloudEvent(
                    source="urn:nld:sociaal-domein:proef", type="nl.sociaal-domein.proef.notitie-aangemaakt",
                    subject=str(n), data={"n": n}))
        relay.wake()
        await asyncio.sleep(0.005)
    while True:  # done when every event has left the outbox
        async with db.transaction() as session:
            left = (await session.execute(select(func.count()).select_from(outbox_table(metadata)))).scalar_one()
        if left == 0:
            break
        await asyncio.sleep(0.1)
    await relay.stop()
    await relay_task


async def consume(db: Database, bus: Bus, total: int) -> None:
    async def handler(session, event: CloudEvent) -> None:  # type: ignore[no-untyped-def]
        await session.execute(insert(effects).values(event_id=event.id, n=event.data["n"]))

    consumer = EventConsumer(db, bus, durable="proef-chaos", subjects=["sds.proef.>"], handler=handler,
                             batch=200, ack_wait=3)
    task = asyncio.create_task(consumer.run())
    while True:
        async with db.transaction() as session:
            handled = (await session.execute(select(func.count(func.distinct(effects.c.n))))).scalar_one()
        if handled >= total:
            break
        await asyncio.sleep(0.1)
    await consumer.stop()
    await task


async def main(role: str, db_url: str, nats_url: str, total: int, replicas: int) -> None:
    db = Database(db_url)
    bus = await Bus.connect(nats_url, name=f"chaos-{role}")
    await bus.ensure_stream(replicas=replicas)
    try:
        await (produce if role == "producer" else consume)(db, bus, total)
    finally:
        await bus.close()
        await db.dispose()


class Worker:
    """One of the two processes, started as ``python -m tests.chaos.worker``, restarted after a SIGKILL."""

    def __init__(self, role: str, db_url: str, nats_url: str, log: Path, total: int, crash_at: Sequence[str] = (),
                 replicas: int = 1) -> None:
        self.role, self.db_url, self.nats_url, self.log = role, db_url, nats_url, log
        self.total, self.replicas = total, replicas
        self.crash_at = list(crash_at)  # one crash per start, in order, then plain runs
        self.kills = 0
        self.proc = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("SDS_CRASH_AT", None)
        if self.crash_at:
            env["SDS_CRASH_AT"] = self.crash_at.pop(0)
        with open(self.log, "ab") as out:
            return subprocess.Popen([sys.executable, "-m", "tests.chaos.worker", self.role, self.db_url,
                                     self.nats_url, str(self.total), str(self.replicas)], cwd=ROOT, env=env,
                                    stdout=out, stderr=out)

    def poll(self) -> bool:
        """True when finished; restarts the process after it was killed."""
        code = self.proc.poll()
        if code is None:
            return False
        if code == -9:
            self.kills += 1
            self.proc = self._start()
            return False
        assert code == 0, f"{self.role} failed with {code}: {self.log.read_text()[-2000:]}"
        return True

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]),
                     int(sys.argv[5]) if len(sys.argv) > 5 else 1))
