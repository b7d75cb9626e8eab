"""A subscriber as its own process, for a test to kill and start again: ``python -m tests.notificaties.subscriber
PORT FILE``. It answers every notificatie 204 and first appends a line ``Idempotency-Key hoofdObject resourceUrl``
to FILE (one write per line, so a kill never leaves half a line)."""

from __future__ import annotations

import os
import sys

import uvicorn
from fastapi import FastAPI, Request, Response


def app(path: str) -> FastAPI:
    api = FastAPI()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    @api.post("/callback")
    async def callback(request: Request) -> Response:
        body = await request.json()
        if body.get("kanaal") != "test":
            line = f"{request.headers.get('idempotency-key')} {body['hoofdObject']} {body['resourceUrl']}\n"
            os.write(fd, line.encode())
        return Response(status_code=204)

    return api


if __name__ == "__main__":
    port, path = int(sys.argv[1]), sys.argv[2]
    uvicorn.run(app(path), host="127.0.0.1", port=port, log_level="warning", access_log=False)
