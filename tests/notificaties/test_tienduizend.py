"""10,000 events from the bus to a real HTTP subscriber that is killed and started again half-way: every
notificatie arrives, none twice once the receiver dedups on the ``Idempotency-Key`` header (the levering's uuid,
the same on every try), and per hoofdObject in the order of the events."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
from sqlalchemy import func, select

from contracts.envelope import CloudEvent, subject_for
from sds.runtime.bus import Bus
from sds.runtime.db import Database
from services.notificaties.models import leveringen
from tests.notificaties.conftest import ZAAKTYPE, ZAKEN, make_nrc
from tests.support.natsserver import NatsServer, free_port

EVENTS = 10_000
ZAKEN_AANTAL = 1_000  # ten statussen per zaak: order per hoofdObject is tested too
TYPE = "nl.overheid.zaken.status-gezet"


def _event(nr: int) -> CloudEvent:
    zaak, volgnummer = nr % ZAKEN_AANTAL, nr // ZAKEN_AANTAL
    status = f"{ZAKEN}/statussen/{nr:08d}-0000-4000-8000-000000000000"
    return CloudEvent(source="urn:nld:sociaal-domein:zaken", type=TYPE, subject=str(zaak), dataref=status, data={
        "zaak": f"{ZAKEN}/zaken/{zaak:08d}-0000-4000-8000-000000000000", "zaaktype": ZAAKTYPE, "status": status,
        "statustype": f"https://x.example/statustypen/{volgnummer}", "datumStatusGezet": "2026-12-07T09:00:00Z",
        "isEindstatus": False, "bronorganisatie": "002220647", "vertrouwelijkheidaanduiding": "openbaar",
        "kolommen": ["wmo"]})


def _start(port: int, out: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "tests.notificaties.subscriber", str(port), str(out)],
                            cwd=Path(__file__).resolve().parents[2])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.post(f"http://127.0.0.1:{port}/callback", json={"kanaal": "test"}, timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.05)
    raise AssertionError("subscriber did not start")


async def _waiting(db: Database) -> int:
    async with db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(leveringen).where(
            leveringen.c.status != "afgeleverd"))).scalar_one())


def _lines(out: Path) -> list[list[str]]:
    return [line.split() for line in out.read_text().splitlines()] if out.exists() else []


async def test_ten_thousand_events_to_a_subscriber_killed_half_way(tmp_path: Path, nats_server: NatsServer) -> None:
    out, port = tmp_path / "ontvangen.txt", free_port()
    proc = _start(port, out)
    try:
        async for nrc in make_nrc(tmp_path, nats_url=nats_server.url, retry_schedule=(0.2, 0.5, 1.0, 2.0, 5.0),
                                  delivery_poll_interval=0.05):
            r = await nrc.call("POST", "/abonnement", json={"callbackUrl": f"http://127.0.0.1:{port}/callback",
                                                            "auth": "Bearer x",
                                                            "kanalen": [{"naam": "zaken", "filters": {}}]})
            assert r.status_code == 201, r.text
            bus = await Bus.connect(nats_server.url, name="test-publisher")
            await bus.ensure_stream()
            for start in range(0, EVENTS, 500):
                acks = [await bus.js.publish_async(subject_for(TYPE), ev.to_json(), headers={"Nats-Msg-Id": ev.id})
                        for ev in map(_event, range(start, start + 500))]
                await asyncio.gather(*acks)
            await bus.close()

            deadline = time.monotonic() + 300  # a generous bound for a loaded machine; it takes ~40 s
            while len(_lines(out)) < EVENTS * 0.3:
                assert time.monotonic() < deadline, f"only {len(_lines(out))} delivered"
                await asyncio.sleep(0.05)
            os.kill(proc.pid, signal.SIGKILL)  # mid-stream, requests in flight
            proc.wait()
            killed_at = len(_lines(out))
            await asyncio.sleep(1.0)
            proc = _start(port, out)

            while (n := len(_lines(out))) < EVENTS or await _waiting(nrc.app.state.db):
                assert time.monotonic() < deadline, f"{n} lines, {await _waiting(nrc.app.state.db)} not delivered"
                await asyncio.sleep(0.1)
            async with nrc.app.state.db.transaction() as session:
                keys = set((await session.execute(select(leveringen.c.uuid))).scalars())
    finally:
        proc.kill()
        proc.wait()

    lines = _lines(out)
    assert killed_at < EVENTS and len(keys) == EVENTS
    per_key = Counter(key for key, _, _ in lines)
    assert set(per_key) == keys  # 0 lost
    seen: set[str] = set()
    firsts: dict[str, list[str]] = {}
    for key, zaak, status in lines:  # what the receiver keeps after dedup on Idempotency-Key
        if key not in seen:
            seen.add(key)
            firsts.setdefault(zaak, []).append(status)
    assert sum(len(v) for v in firsts.values()) == EVENTS  # 0 doubled once deduped
    assert all(v == sorted(v) for v in firsts.values()) and len(firsts) == ZAKEN_AANTAL  # order per hoofdObject
    print(f"\n{EVENTS} notificaties, killed after {killed_at}; raw repeats before dedup: "
          f"{len(lines) - EVENTS}")
