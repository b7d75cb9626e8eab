"""The suite itself on a three-node JetStream cluster (stream at three replicas, every part given all three URLs):
aanvragen filed through the gateway become zaken while the stream's leader is SIGKILLed mid-way and started
again — every aanvraag its one zaak, none lost, none twice."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from sds.runtime.bus import Bus
from tests.chaos.cluster import _leider
from tests.e2e.harness import running_suite
from tests.support.natsserver import NatsCluster

pytestmark = pytest.mark.chaos
AANVRAGEN = 150


def _leider_van(url: str) -> str:
    async def vraag() -> str:
        bus = await Bus.connect(url, name="chaos-waarnemer", max_wait=10)
        try:
            return await _leider(bus)
        finally:
            await bus.close()

    return asyncio.run(vraag())


def test_aanvragen_worden_zaken_terwijl_de_leider_van_de_stream_uitvalt(tmp_path: Path) -> None:
    cluster = NatsCluster(tmp_path / "nats").start()
    try:
        with running_suite(tmp_path, cluster.url, "transitie-proof", stream_replicas=3) as suite:
            gedood = None
            huishoudens = []
            for n in range(AANVRAGEN):
                if n == AANVRAGEN // 3:
                    gedood = _leider_van(cluster.url)
                    cluster.nodes[gedood].kill()
                    weg = time.monotonic()
                if gedood is not None and cluster.nodes[gedood].proc is None and time.monotonic() - weg > 3:
                    cluster.nodes[gedood].start()
                huishoudens.append(suite.aanvraag("huishouden")["huishouden"])
            assert gedood is not None
            if cluster.nodes[gedood].proc is None:
                cluster.nodes[gedood].start()

            def zaken() -> list[dict[str, object]]:
                uit, pagina = [], 1
                while True:
                    page = suite.get(f"/zaken/api/v1/zaken?pageSize=100&page={pagina}")
                    uit += page["results"]
                    if not page["next"]:
                        return uit
                    pagina += 1

            suite.wait(lambda: len(zaken()) >= AANVRAGEN, within=120)
            time.sleep(1)  # a second zaak for an aanvraag would come in now
            alle = zaken()
            assert len(alle) == AANVRAGEN
            assert sorted(str(z["huishouden"]) for z in alle) == sorted(huishoudens)
    finally:
        cluster.stop()
