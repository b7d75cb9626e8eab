"""``Idempotency-Key`` on creating POSTs.

Same key and same body: the first response again, without a second effect. Same key with
another body: 422. Same key while the first request is still running: 409. The key is kept
per client, in the service's own database; a 5xx is not kept, so the client can retry.

The answer is recorded before it is sent, so a client that got it can always have it again. The request's own
transactions mark the key ``effected`` when they write (``Database.transaction``): the effect
and that mark commit together. So when the process dies after the effect and before the answer is recorded, a
retry with the key finds ``effected`` and gets 409 ``idempotency-key-effected`` — never a second effect — and a 5xx
after an effect keeps the key for the same reason.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sds.runtime.db import IDEMPOTENCY_CLAIM, Database, IdempotencyClaim, idempotency_table
from sds.runtime.faults import crash_point
from sds.runtime.middleware import header, send_problem

IDEMPOTENCY_HEADER = b"idempotency-key"
MAX_KEY_LENGTH = 255
# A request that crashed its process before any effect leaves "running"; after this long the key may be reused.
RUNNING_TAKEOVER = timedelta(minutes=5)
# The crash point between a request's effect and the record of its answer (``sds.runtime.faults``).
CRASH_VOOR_ANTWOORD = "idempotency-before-record"


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, *, db_getter: Any) -> None:
        self.app = app
        self.db_getter = db_getter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = header(scope, IDEMPOTENCY_HEADER) if scope["type"] == "http" else None
        if key is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        request_id = scope.get("state", {}).get("request_id")
        if not key or len(key) > MAX_KEY_LENGTH:
            await send_problem(send, 400, "Idempotency-Key moet 1 tot 255 tekens lang zijn.",
                               request_id=request_id, code="invalid")
            return
        body = await _read_body(receive)
        auth = scope.get("state", {}).get("auth")
        client_id = auth.client_id if auth else "-"
        digest = hashlib.sha256(scope["path"].encode() + b"\0" + body).hexdigest()
        db: Database = self.db_getter(scope)
        table = idempotency_table(db_metadata(scope))

        claimed = await self._claim(db, table, client_id, key, digest)
        if claimed is not True:
            row = claimed
            if row["request_hash"] != digest:
                await send_problem(send, 422, "Deze Idempotency-Key is al gebruikt voor een ander verzoek.",
                                   request_id=request_id, code="idempotency-key-reused")
            elif row["state"] == "effected":
                await send_problem(send, 409, "Het verzoek met deze Idempotency-Key is uitgevoerd, maar zijn antwoord "
                                   "ging verloren doordat de dienst uitviel; het wordt niet nog eens uitgevoerd. "
                                   "Vraag het resultaat op.", request_id=request_id, code="idempotency-key-effected")
            elif row["state"] != "done":
                await send_problem(send, 409, "Een verzoek met deze Idempotency-Key wordt nog verwerkt.",
                                   request_id=request_id, code="idempotency-key-in-use")
            else:
                await _replay(send, row)
            return

        # The answer is held back until it is recorded: a client that has it can always get it again with its key,
        # however soon it asks. A crash before the record leaves the key "effected" (if the request wrote) and the
        # client without an answer; its retry is told so, and nothing happens twice.
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        token = IDEMPOTENCY_CLAIM.set(IdempotencyClaim(table, client_id, key))
        try:
            await self.app(scope, _replay_receive(body), capture)
        except BaseException:
            await self._record(db, table, client_id, key, None, b"")
            raise
        finally:
            IDEMPOTENCY_CLAIM.reset(token)
        crash_point(CRASH_VOOR_ANTWOORD)
        content = b"".join(chunks)
        await self._record(db, table, client_id, key, start, content)
        if start is None:
            start = {"type": "http.response.start", "status": 500, "headers": []}
        await send(start)
        await send({"type": "http.response.body", "body": content})

    @staticmethod
    async def _record(db: Database, table: Any, client_id: str, key: str, start: Message | None,
                      content: bytes) -> None:
        status = start["status"] if start is not None else 500
        async with db.transaction() as session:
            if status >= 500:
                # Free the key for a retry, unless the request had its effect before it failed.
                await session.execute(delete(table).where(table.c.client_id == client_id, table.c.key == key,
                                                          table.c.state == "running"))
                return
            assert start is not None
            kept = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in start.get("headers", [])
                    if k.lower() in (b"content-type", b"location")]
            await session.execute(
                update(table)
                .where(table.c.client_id == client_id, table.c.key == key)
                .values(state="done", status_code=status, headers=json.dumps(kept), body=content)
            )

    async def _claim(self, db: Database, table: Any, client_id: str, key: str, digest: str) -> Any:
        """True when this request owns the key now; otherwise the existing row."""
        now = datetime.now(UTC)
        for _ in range(2):
            try:
                async with db.transaction() as session:
                    await session.execute(insert(table).values(
                        client_id=client_id, key=key, request_hash=digest, state="running", created_at=now))
                return True
            except IntegrityError:
                async with db.transaction() as session:
                    row = (await session.execute(
                        select(table).where(table.c.client_id == client_id, table.c.key == key)
                    )).mappings().first()
                    if row is None:
                        continue  # the first request failed with a 5xx and freed the key
                    created = row["created_at"]
                    if created.tzinfo is None:
                        created = created.replace(tzinfo=UTC)
                    if row["state"] == "running" and now - created > RUNNING_TAKEOVER:
                        await session.execute(delete(table).where(
                            table.c.client_id == client_id, table.c.key == key))
                        continue
                    return dict(row)
        return True


def db_metadata(scope: Scope) -> Any:
    return scope["app"].state.metadata


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay_receive(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


async def _replay(send: Send, row: dict[str, Any]) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in json.loads(row["headers"] or "[]")]
    body = row["body"] or b""
    headers.append((b"content-length", str(len(body)).encode()))
    headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": row["status_code"], "headers": headers})
    await send({"type": "http.response.body", "body": body})
