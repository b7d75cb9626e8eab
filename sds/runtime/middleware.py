"""The request pipeline every service shares, as plain ASGI (no per-request task switching).

Per request: request id and trace context in, auth context verified and held to the applicatie's kolommen and
clusters (``sds.runtime.auth.begrens``), ``API-Version``,
``X-Request-ID`` and ``traceparent`` on the response, one metrics sample and one JSON log line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sds.runtime.auth import AUTH_HEADER, begrens, verify_auth_context
from sds.runtime.errors import PROBLEM_JSON, ApiError, problem_body
from sds.runtime.metrics import HTTP_DURATION, HTTP_REFUSED, HTTP_REQUESTS
from sds.runtime.tracing import REQUEST_ID_HEADER, incoming, request_id_var, trace_var

log = logging.getLogger("sds.http")
# Refused attempts, as structured lines a SIEM can select on (logger sds.security, event toegang-geweigerd).
security_log = logging.getLogger("sds.security")


def _peer(scope: Scope) -> str | None:
    client = scope.get("client")
    return str(client[0]) if client else None


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


async def send_problem(send: Send, status: int, detail: str, *, request_id: str | None = None,
                       code: str | None = None, extra_headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
    import json

    body = json.dumps(problem_body(status, detail, code=code,
                                   instance=f"urn:uuid:{request_id}" if request_id else None)).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode()),
                    *extra_headers],
    })
    await send({"type": "http.response.body", "body": body})


def route_template(scope: Scope) -> str:
    """The matched route's path template with its router prefix (``/zaken/api/v1/zaken/{uuid}``)."""
    # FastAPI includes routers lazily: the route in the scope knows only its own path; the
    # effective context holds the prefixed one.
    effective = scope.get("fastapi", {}).get("effective_route_context")
    path = getattr(effective, "path", None) or getattr(scope.get("route"), "path", None)
    return path or "unmatched"


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, service: str, api_version: str, internal_secret: str,
                 is_public: Callable[[str], bool], api_versions: Iterable[tuple[str, str]] = (),
                 cluster_kolommen: Mapping[str, Collection[str]] | None = None) -> None:
        """``api_versions``: (prefix, version) of each API the service serves; a path under a prefix answers that
        API's version (one process serves e.g. Zaken 1.5.1 and Catalogi 1.3.1), any other path ``api_version``.
        ``cluster_kolommen``: the kolommen of each cluster of the archetype profile, for an applicatie limited to
        clusters."""
        self.app = app
        self.service = service
        self.api_version = api_version.encode()
        # Longest prefix first, so a prefix inside another one still wins for its own paths.
        self.api_versions = sorted(((p.rstrip("/") + "/", v.encode()) for p, v in api_versions),
                                   key=lambda pv: -len(pv[0]))
        self.secret = internal_secret
        self.is_public = is_public
        self.cluster_kolommen = cluster_kolommen

    def version_of(self, path: str) -> bytes:
        for prefix, version in self.api_versions:
            if path.startswith(prefix) or path == prefix[:-1]:
                return version
        return self.api_version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id, trace = incoming(header(scope, b"x-request-id"), header(scope, b"traceparent"))
        rid_token = request_id_var.set(request_id)
        trace_token = trace_var.set(trace)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.perf_counter()
        status_holder: dict[str, Any] = {"status": 500}
        extra = [
            (b"api-version", self.version_of(scope["path"])),
            (REQUEST_ID_HEADER.encode(), request_id.encode()),
            (b"traceparent", trace.traceparent.encode()),
        ]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            path = scope["path"]
            if not self.is_public(path):
                token = header(scope, AUTH_HEADER.encode())
                if not token:
                    await send_problem(send_with_headers, 401, "Authenticatiegegevens ontbreken.",
                                       request_id=request_id)
                    return
                try:
                    state["auth"] = begrens(verify_auth_context(token, self.secret), self.cluster_kolommen)
                except ApiError as exc:
                    await send_problem(send_with_headers, 401, exc.detail, request_id=request_id)
                    return
            try:
                await self.app(scope, receive, send_with_headers)
            except Exception:
                # Answer here, inside the pipeline, so a 500 too carries API-Version and the ids.
                log.exception("unhandled error", extra={"route": route_template(scope)})
                if not status_holder.get("started"):
                    await send_problem(send_with_headers, 500, "Er is een onverwachte fout opgetreden.",
                                       request_id=request_id)
        finally:
            elapsed = time.perf_counter() - started
            template = route_template(scope)
            status = status_holder["status"]
            HTTP_REQUESTS.labels(self.service, scope["method"], template, str(status)).inc()
            HTTP_DURATION.labels(self.service, scope["method"], template).observe(elapsed)
            auth: Any = state.get("auth")
            if status in (401, 403):
                HTTP_REFUSED.labels(self.service, scope["method"], template, str(status)).inc()
                # For the security officer, apart from the verwerkingenlog: who was refused what, by template only.
                security_log.warning("toegang geweigerd", extra={
                    "event": "toegang-geweigerd", "method": scope["method"], "route": template, "status": status,
                    "clientId": auth.client_id if auth else None, "client": _peer(scope)})
            # The path template, never the raw path or query string: no personal data in logs.
            log.info("%s %s %s", scope["method"], template, status, extra={
                "method": scope["method"], "route": template, "status": status,
                "durationMs": round(elapsed * 1000, 2), "clientId": auth.client_id if auth else None,
            })
            request_id_var.reset(rid_token)
            trace_var.reset(trace_token)
