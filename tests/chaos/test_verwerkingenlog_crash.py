"""A crash between a read and its verwerkingenlog record loses neither: intake is SIGKILLed at the moment the
record of a read is in the transaction and not yet committed. The caller got no answer (so no data left without a
record), nothing half was kept, and the same read after the restart is answered and logged. The process is killed
by the crash point in ``sds.runtime.verwerkingenlog`` (``SDS_CRASH_AT``, ``sds.runtime.faults``)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from sds.runtime.auth import AUTH_HEADER, AuthContext, sign_auth_context
from sds.runtime.db import Database, create_engine
from sds.runtime.settings import DEV_INTERNAL_SECRET
from sds.runtime.verwerkingenlog import CRASH_VOOR_COMMIT
from services.intake.models import aanvragen, metadata, verwerkingen
from tests.support.databases import fresh_database_url
from tests.support.natsserver import NatsServer, free_port

ROOT = Path(__file__).resolve().parents[2]
HUISHOUDEN = "http://127.0.0.1:8000/klantgegevens/api/v1/huishoudens/0b9f3c56-1d0e-4c55-9e0c-5d3f1f0f2a77"
pytestmark = pytest.mark.chaos


def _start(db_url: str, nats_url: str, port: int, log: Path, crash_at: str | None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SDS_ENV": "dev", "SDS_DATABASE_URL": db_url,
           "SDS_NATS_URL": nats_url, "SDS_ZAKEN_URL": "http://127.0.0.1:9", "SDS_KLANTGEGEVENS_URL":
           "http://127.0.0.1:9", "SDS_ARCHETYPE": "transitie-proof"}
    env.pop("SDS_CRASH_AT", None)
    if crash_at:
        env["SDS_CRASH_AT"] = crash_at
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "services.intake.app:create_app",
                                 "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env, stdout=out,
                                stderr=out)


def _tail(log: Path) -> str:
    return log.read_text()[-2000:]


async def _ready(client: httpx.AsyncClient, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        assert proc.poll() is None, _tail(log)
        try:
            if (await client.get("/intake/api/v1/openapi.json")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, _tail(log)
        await asyncio.sleep(0.1)


async def _records(db: Database) -> list[tuple[str, str]]:
    async with db.transaction() as session:
        rows = (await session.execute(select(verwerkingen).order_by(verwerkingen.c.id))).all()
    return [(r.verwerkingsactiviteit, r.handeling) for r in rows]


async def test_kill_tussen_lezen_en_vastleggen_verliest_niets(tmp_path: Path, nats_server: NatsServer) -> None:
    headers = {AUTH_HEADER: sign_auth_context(AuthContext(client_id="test-alles", heeft_alle_autorisaties=True),
                                              DEV_INTERNAL_SECRET)}
    async with fresh_database_url(tmp_path, "intake_crash") as db_url:
        engine = create_engine(db_url)
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        await engine.dispose()
        db = Database(db_url)
        port, log = free_port(), tmp_path / "intake.log"
        # The first pass is the write's record (filing the aanvraag), the second the read's: killed there.
        proc = _start(db_url, nats_server.url, port, log, f"{CRASH_VOOR_COMMIT}:2")
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers,
                                         timeout=10) as client:
                await _ready(client, proc, log)
                r = await client.post("/intake/api/v1/aanvragen", json={
                    "ingediendDoor": "medewerker", "huishouden": HUISHOUDEN, "vragen": [{"leefgebied": "huishouden"}]})
                assert r.status_code == 201, r.text
                url = r.json()["url"].replace("http://127.0.0.1:8000", "")
                with pytest.raises(httpx.TransportError):
                    await client.get(url)
                assert proc.wait(timeout=10) == -9
                # No answer left the service, and no record of it was kept: the log holds what was answered.
                assert await _records(db) == [("aanvraag-indienen", "schrijven")]
                async with db.transaction() as session:
                    assert len((await session.execute(select(aanvragen))).all()) == 1

                proc = _start(db_url, nats_server.url, port, log, None)
                await _ready(client, proc, log)
                r = await client.get(url)
                assert r.status_code == 200, r.text
                assert r.json()["huishouden"] == HUISHOUDEN
                assert await _records(db) == [("aanvraag-indienen", "schrijven"), ("aanvraag-raadplegen", "lezen")]
        finally:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=10)
            await db.dispose()
