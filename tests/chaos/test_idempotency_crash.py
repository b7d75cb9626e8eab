"""A crash between a request's effect and the record of its answer gives no second effect on a retry with the
same ``Idempotency-Key``: intake is SIGKILLed at that moment (``sds.runtime.idempotency.CRASH_VOOR_ANTWOORD``), after
the aanvraag and its event committed and before the answer (held back until it is recorded) went out. The key was
marked ``effected`` in the effect's own transaction, so the retry — even long after the five minutes in which a
merely "running" key is held — is told the request was carried out, and nothing is filed twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, update

from sds.runtime.auth import AUTH_HEADER, AuthContext, sign_auth_context
from sds.runtime.db import Database, create_engine, idempotency_table, outbox_table
from sds.runtime.idempotency import CRASH_VOOR_ANTWOORD
from sds.runtime.settings import DEV_INTERNAL_SECRET
from services.intake.models import aanvragen, metadata
from tests.chaos.test_verwerkingenlog_crash import HUISHOUDEN, _ready, _start
from tests.support.databases import fresh_database_url
from tests.support.natsserver import NatsServer, free_port

pytestmark = pytest.mark.chaos
AANVRAAG = {"ingediendDoor": "medewerker", "huishouden": HUISHOUDEN, "vragen": [{"leefgebied": "huishouden"}]}


async def _count(db: Database, table: object) -> int:
    async with db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())  # type: ignore[arg-type]


async def test_kill_tussen_effect_en_antwoord_geeft_geen_tweede_effect(tmp_path: Path,
                                                                       nats_server: NatsServer) -> None:
    headers = {AUTH_HEADER: sign_auth_context(AuthContext(client_id="test-alles", heeft_alle_autorisaties=True),
                                              DEV_INTERNAL_SECRET), "Idempotency-Key": "aanvraag-na-crash"}
    async with fresh_database_url(tmp_path, "intake_idem") as db_url:
        engine = create_engine(db_url)
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        await engine.dispose()
        db = Database(db_url)
        keys = idempotency_table(metadata)
        port, log = free_port(), tmp_path / "intake.log"
        proc = _start(db_url, nats_server.url, port, log, f"{CRASH_VOOR_ANTWOORD}:1")
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers,
                                         timeout=10) as client:
                await _ready(client, proc, log)
                # The process dies after the effect, before the answer is recorded and so before it is sent.
                with pytest.raises(httpx.TransportError):
                    await client.post("/intake/api/v1/aanvragen", json=AANVRAAG)
                assert proc.wait(timeout=10) == -9
                # The effect is there, with its event, and the key says so.
                assert await _count(db, aanvragen) == 1
                assert await _count(db, outbox_table(metadata)) >= 1
                async with db.transaction() as session:
                    assert (await session.execute(select(keys.c.state))).scalars().all() == ["effected"]
                    # Long after the crash: a key left "running" would be free again by now.
                    await session.execute(update(keys).values(created_at=datetime.now(UTC) - timedelta(hours=1)))

                proc = _start(db_url, nats_server.url, port, log, None)
                await _ready(client, proc, log)
                r = await client.post("/intake/api/v1/aanvragen", json=AANVRAAG)
                assert r.status_code == 409, r.text
                assert r.json()["code"] == "idempotency-key-effected"
                assert await _count(db, aanvragen) == 1
                # Another key is another request: filed as usual, and answered again as the first.
                again = {**headers, "Idempotency-Key": "volgende"}
                tweede = await client.post("/intake/api/v1/aanvragen", json=AANVRAAG, headers=again)
                assert tweede.status_code == 201, tweede.text
                replay = await client.post("/intake/api/v1/aanvragen", json=AANVRAAG, headers=again)
                assert (replay.status_code, replay.json()["url"]) == (201, tweede.json()["url"])
                assert await _count(db, aanvragen) == 2
        finally:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=10)
            await db.dispose()
