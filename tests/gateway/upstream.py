"""An upstream for the gateway tests: a service-shaped app that reports what reached it.

It runs the services' own request pipeline (``RequestContextMiddleware``: it refuses a call
without a valid ``x-sds-auth``), so "the upstream accepted it" means the same as for a real
service. Each request it sees is recorded by request id, so a test can also show that a
refused request never got here.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from sds.runtime.apidocs import schema_paths
from sds.runtime.errors import install_error_handlers
from sds.runtime.middleware import RequestContextMiddleware

API_VERSION = "1.2.3"
SEGMENTS = ("intake", "zaken", "catalogi", "besluiten", "klantgegevens", "financien", "beleidsinfo", "notificaties",
            "documenten")
PUBLIC = {"/health/live", "/health/ready",
          *(path for segment in SEGMENTS for path in schema_paths(f"/{segment}/api/v1"))}

# request id -> what the upstream saw; the tests read it from their own thread.
seen: dict[str, dict[str, Any]] = {}
# Hand-shakes between a test and a streaming route, to show nothing waits for a whole body.
first_chunk_received = threading.Event()
first_chunk_sent_on = threading.Event()
release_rest = threading.Event()


def _record(request: Request, **extra: Any) -> dict[str, Any]:
    headers = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in request.scope["headers"]]
    auth = getattr(request.state, "auth", None)
    info = {
        "method": request.method,
        "rawPath": request.scope["raw_path"].decode("latin-1"),
        "query": request.scope["query_string"].decode("latin-1"),
        "headers": headers,
        "auth": auth.model_dump() if auth is not None else None,
        **extra,
    }
    seen[request.state.request_id] = info
    return info


def create_upstream(internal_secret: str) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, redirect_slashes=False)
    install_error_handlers(app)

    @app.get("/health/ready")
    async def ready() -> dict[str, Any]:
        return {"status": "ok", "service": "echo", "checks": {"database": "ok", "nats": "ok"}}

    @app.get("/{segment}/api/v1/openapi.json")
    async def openapi(segment: str) -> dict[str, Any]:
        return {"openapi": "3.1.0", "info": {"title": f"{segment} API", "version": API_VERSION}, "paths": {}}

    @app.get("/{segment}/api/v1/traag")
    async def slow(request: Request, s: float) -> dict[str, Any]:
        await asyncio.sleep(s)
        return _record(request)

    @app.get("/{segment}/api/v1/omleiding")
    async def redirect(request: Request) -> Response:
        _record(request)
        return Response(status_code=307, headers={"location": "/elders"})

    @app.get("/{segment}/api/v1/groot")
    async def large(request: Request, mb: int, wacht: bool = False) -> StreamingResponse:
        _record(request)
        chunk = bytes(range(256)) * 4096  # 1 MiB

        async def body():  # type: ignore[no-untyped-def]
            yield chunk
            if wacht:
                # Only a proxy that passes the first MiB on before it has the rest lets the
                # client set this event; a buffering one leaves it to time out.
                first_chunk_sent_on.set()
                released = await asyncio.to_thread(release_rest.wait, 5)
                _record(request, released=released)
            for _ in range(mb - 1):
                yield chunk

        return StreamingResponse(body(), media_type="application/octet-stream",
                                 headers={"content-length": str(mb * len(chunk))})

    @app.post("/{segment}/api/v1/upload")
    async def upload(request: Request) -> dict[str, Any]:
        digest = hashlib.sha256()
        size = 0
        async for part in request.stream():
            if part and size == 0:
                first_chunk_received.set()
            digest.update(part)
            size += len(part)
        return _record(request, size=size, sha256=digest.hexdigest())

    @app.get("/{segment}/api/v1/koekje")
    async def cookie(request: Request) -> JSONResponse:
        response = JSONResponse(_record(request))
        response.set_cookie("sessie", "van-een-gebruiker", httponly=True)
        return response

    @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def echo(request: Request, status: int = 200) -> JSONResponse:
        body = await request.body()
        info = _record(request, bodyLength=len(body))
        return JSONResponse(info, status_code=status, headers={"x-eigen": "van-de-dienst"})

    app.add_middleware(RequestContextMiddleware, service="echo", api_version=API_VERSION,
                       internal_secret=internal_secret, is_public=PUBLIC.__contains__)
    return app
