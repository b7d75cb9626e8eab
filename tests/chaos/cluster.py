"""Events through a three-node JetStream cluster while its nodes die: the scenario of
``tests/chaos/test_nats_cluster.py`` and ``bench/nats_cluster.py``.

A producer (outbox + relay) and a consumer (inbox + effects) — the runtime's parts, as every service runs them —
talk to the cluster by all three of its URLs, with the stream at three replicas. When a fifth of the events
have their effect, the stream's leader is SIGKILLed; it is started again after ``down`` seconds (6); once every
replica is current again (and two fifths have their effect), the stream's new leader is SIGKILLed too and
started again. Effects are counted as
they are committed, so the rate before, while a node is down, and after can be read off.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from sds.runtime.bus import STREAM, Bus
from sds.runtime.db import Database
from tests.chaos.worker import Worker, effects, metadata, sent
from tests.support.databases import fresh_database_url
from tests.support.natsserver import NatsCluster


@dataclass
class Fase:
    naam: str
    begin: float
    eind: float = 0.0
    effecten_begin: int = 0
    effecten_eind: int = 0

    @property
    def per_seconde(self) -> float:
        duur = self.eind - self.begin
        return (self.effecten_eind - self.effecten_begin) / duur if duur > 0 else 0.0


@dataclass
class Uitkomst:
    verzonden: int = 0
    effecten: int = 0
    verschillend: int = 0
    verschillende_ids: int = 0
    gedood: list[str] = field(default_factory=list)  # the nodes killed, in order (each was the stream's leader)
    fasen: list[Fase] = field(default_factory=list)


async def _scalar(db: Database, stmt) -> int:  # type: ignore[no-untyped-def]
    async with db.transaction() as session:
        return int((await session.execute(stmt)).scalar_one())


async def _leider(bus: Bus) -> str:
    while True:
        try:
            info = await bus.js.stream_info(STREAM)
            if info.cluster is not None and info.cluster.leader:
                return info.cluster.leader
        except Exception:  # noqa: BLE001 - no leader yet: the cluster is electing one
            pass
        await asyncio.sleep(0.1)


async def _alle_replicas_bij(bus: Bus, seconden: float = 60) -> None:
    deadline = time.monotonic() + seconden
    while time.monotonic() < deadline:
        try:
            info = await bus.js.stream_info(STREAM)
            replicas = (info.cluster.replicas or []) if info.cluster else []
            if info.cluster and info.cluster.leader and len(replicas) == 2 and all(r.current for r in replicas):
                return
        except Exception:  # noqa: BLE001 - mid-election
            pass
        await asyncio.sleep(0.2)
    raise AssertionError("the stream's replicas did not catch up in time")


async def door_twee_uitvallers(tmp_path: Path, total: int = 10_000, down: float = 6.0,
                               seconden: float = 420) -> Uitkomst:
    cluster = NatsCluster(tmp_path / "nats").start()
    uitkomst = Uitkomst()
    async with fresh_database_url(tmp_path, "producer") as producer_url, \
            fresh_database_url(tmp_path, "consumer") as consumer_url:
        producer_db, consumer_db = Database(producer_url), Database(consumer_url)
        for db in (producer_db, consumer_db):
            async with db.engine.begin() as conn:
                await conn.run_sync(metadata.create_all)
        bus = await Bus.connect(cluster.url, name="chaos-waarnemer", max_wait=30)
        await bus.ensure_stream(replicas=3)
        producer = Worker("producer", producer_url, cluster.url, tmp_path / "producer.log", total, replicas=3)
        consumer = Worker("consumer", consumer_url, cluster.url, tmp_path / "consumer.log", total, replicas=3)
        count = select(func.count()).select_from(effects)
        try:
            deadline = time.monotonic() + seconden
            fase = Fase("voor", time.monotonic())
            # What happens next: kill the leader at a fifth, start it after ``down``; when all are current,
            # kill the (new) leader at two fifths or later, start it after ``down``; then run to the end.
            plan = [total // 5, 2 * total // 5]
            dood: tuple[str, float] | None = None
            producer_done = consumer_done = False
            # Until every event has its effect and both losses have been gone through (the last node back).
            while not (producer_done and consumer_done) or plan or dood is not None:
                assert time.monotonic() < deadline, f"the events did not all arrive in time: {uitkomst}"
                producer_done = producer_done or producer.poll()
                consumer_done = consumer_done or consumer.poll()
                n = await _scalar(consumer_db, count)
                now = time.monotonic()
                if dood is None and plan and n >= plan[0]:
                    plan.pop(0)
                    leider = await _leider(bus)
                    fase.eind, fase.effecten_eind = now, n
                    uitkomst.fasen.append(fase)
                    cluster.nodes[leider].kill()
                    uitkomst.gedood.append(leider)
                    dood = (leider, now)
                    fase = Fase(f"{leider} weg", now, effecten_begin=n)
                elif dood is not None and now - dood[1] >= down:
                    cluster.nodes[dood[0]].start()
                    fase.eind, fase.effecten_eind = now, n
                    uitkomst.fasen.append(fase)
                    fase = Fase(f"{dood[0]} terug", now, effecten_begin=n)
                    dood = None
                    if plan:
                        await _alle_replicas_bij(bus)
                await asyncio.sleep(0.1)
            fase.eind, fase.effecten_eind = time.monotonic(), await _scalar(consumer_db, count)
            uitkomst.fasen.append(fase)
            uitkomst.verzonden = await _scalar(producer_db, select(func.count()).select_from(sent))
            uitkomst.effecten = await _scalar(consumer_db, count)
            uitkomst.verschillend = await _scalar(consumer_db, select(func.count(func.distinct(effects.c.n))))
            uitkomst.verschillende_ids = await _scalar(consumer_db,
                                                       select(func.count(func.distinct(effects.c.event_id))))
            return uitkomst
        finally:
            producer.stop()
            consumer.stop()
            await bus.close()
            cluster.stop()
            await producer_db.dispose()
            await consumer_db.dispose()
