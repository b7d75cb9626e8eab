"""Through a real nats-server: intake's triage decision opens its zaken once, also when it arrives twice,
and the zaken's own events leave through the outbox and the relay."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import nats
import pytest

from contracts.envelope import subject_for
from tests.support.natsserver import NatsServer
from tests.zaken.conftest import ZAKEN, Suite, make_suite
from tests.zaken.test_events import _decision


@pytest.fixture
async def bus_suite(tmp_path: Path, nats_server: NatsServer) -> AsyncIterator[Suite]:
    async for s in make_suite(tmp_path, "zaken_bus", nats_url=nats_server.url):
        yield s


async def _wait(predicate: Any, within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while not await predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_a_decision_delivered_twice_opens_its_zaken_once(bus_suite: Suite, nats_server: NatsServer) -> None:
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()

        async def stream_ready() -> bool:
            try:
                await js.stream_info("SDS")
                return True
            except Exception:
                return False

        await _wait(stream_ready)

        async def zaken_count(expected: int) -> bool:
            return (await bus_suite.get_json(f"{ZAKEN}/zaken"))["count"] == expected

        first = _decision(bus_suite)
        await js.publish(subject_for(first.type), first.to_json(), headers={"Nats-Msg-Id": first.id})
        await _wait(lambda: zaken_count(2))
        # The same decision again under another message id: JetStream keeps both, the consumer sees it twice.
        await js.publish(subject_for(first.type), first.to_json(), headers={"Nats-Msg-Id": f"{first.id}-again"})
        second = _decision(bus_suite)
        await js.publish(subject_for(second.type), second.to_json(), headers={"Nats-Msg-Id": second.id})
        await _wait(lambda: zaken_count(4))

        async def all_handled() -> bool:
            info = await js.consumer_info("SDS", "zaken-triage")
            return info.num_pending == 0 and info.num_ack_pending == 0 and info.delivered.stream_seq >= 3

        await _wait(all_handled)
        assert (await bus_suite.get_json(f"{ZAKEN}/zaken"))["count"] == 4

        async def relayed() -> bool:
            try:
                return await js.get_last_msg("SDS", "sds.zaken.zaak.geopend") is not None
            except Exception:
                return False

        await _wait(relayed)
    finally:
        await nc.close()
