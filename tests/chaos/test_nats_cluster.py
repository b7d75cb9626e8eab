"""10,000 events through a three-node JetStream cluster, the stream at three replicas, while the stream's leader
is SIGKILLed and — once it is back and caught up — the new leader too: none lost, none with a second effect
(``tests/chaos/cluster.py``; the rates before, during and after are in docs/benchmarks.md, ``bench/nats_cluster``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chaos.cluster import door_twee_uitvallers

pytestmark = pytest.mark.chaos
TOTAL = 10_000


async def test_tienduizend_events_door_een_cluster_dat_twee_keer_zijn_leider_verliest(tmp_path: Path) -> None:
    uitkomst = await door_twee_uitvallers(tmp_path, TOTAL)
    assert len(uitkomst.gedood) == 2
    assert [f.naam for f in uitkomst.fasen] == ["voor", f"{uitkomst.gedood[0]} weg", f"{uitkomst.gedood[0]} terug",
                                                f"{uitkomst.gedood[1]} weg", f"{uitkomst.gedood[1]} terug"]
    assert uitkomst.verzonden == TOTAL
    assert (uitkomst.effecten, uitkomst.verschillend, uitkomst.verschillende_ids) == (TOTAL, TOTAL, TOTAL)
