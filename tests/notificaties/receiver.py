"""A subscriber's webhook for the tests: a real HTTP server that records each notificatie it is sent.

It answers ``status`` (204 unless a test changes it) and keeps every request, with its ``Idempotency-Key`` and
``Authorization`` headers, in the order they came.
"""

from __future__ import annotations

import asyncio
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
    received: list[Ontvangen] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/callback")
        async def callback(request: Request) -> Response:
            if self.delay:
                await asyncio.sleep(self.delay)
            body = await request.json()
            if self.status < 300 and body.get("kanaal") != "test":
                self.received.append(Ontvangen(body, request.headers.get("idempotency-key"),
                                               request.headers.get("authorization")))
            return Response(status_code=self.status)

        return app

    def berichten(self) -> list[dict[str, Any]]:
        return [r.body for r in self.received]
