"""A subscriber's webhook for the tests: a real HTTP server that records each notificatie it is sent.

It answers ``status`` (204 unless a test changes it), or 503 to the first ``fail_first`` notificaties, after
``delay`` seconds; ``received`` keeps each notificatie it took (2xx) with its ``Idempotency-Key`` and
``Authorization`` headers, ``attempts`` every try with its time and answer. The standard's test notificatie of
the callbackUrl check (kanaal ``test``) is answered, not recorded.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request, Response


@dataclass
class Ontvangen:
    body: dict[str, Any]
    key: str | None
    authorization: str | None


@dataclass
class Receiver:
    status: int = 204
    delay: float = 0.0
    fail_first: int = 0
    received: list[Ontvangen] = field(default_factory=list)
    attempts: list[tuple[float, str | None, int]] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/callback")
        async def callback(request: Request) -> Response:
            body = await request.json()
            if body.get("kanaal") == "test":
                return Response(status_code=self.status)
            if self.delay:
                await asyncio.sleep(self.delay)
            status = self.status
            if self.fail_first > 0:
                self.fail_first -= 1
                status = 503
            key = request.headers.get("idempotency-key")
            self.attempts.append((time.monotonic(), key, status))
            if status < 300:
                self.received.append(Ontvangen(body, key, request.headers.get("authorization")))
            return Response(status_code=status)

        return app

    def berichten(self) -> list[dict[str, Any]]:
        return [r.body for r in self.received]
