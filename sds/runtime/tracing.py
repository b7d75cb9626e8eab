"""Request id and W3C trace context, carried across REST calls and into events.

The ids live in context variables for the duration of a request (or an event handler), so
logs, outgoing httpx calls and recorded events pick them up without being handed them.
"""

from __future__ import annotations

import re
import secrets
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

import httpx

REQUEST_ID_HEADER = "x-request-id"
TRACEPARENT_HEADER = "traceparent"
_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


@dataclass(frozen=True)
class TraceContext:
    trace_id: str
    span_id: str
    flags: str = "01"

    @property
    def traceparent(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-{self.flags}"

    def child(self) -> TraceContext:
        return TraceContext(self.trace_id, secrets.token_hex(8), self.flags)


request_id_var: ContextVar[str | None] = ContextVar("sds_request_id", default=None)
trace_var: ContextVar[TraceContext | None] = ContextVar("sds_trace", default=None)


def parse_traceparent(value: str | None) -> TraceContext | None:
    if not value:
        return None
    match = _TRACEPARENT.match(value.strip().lower())
    if not match or match.group(1) == "0" * 32 or match.group(2) == "0" * 16:
        return None
    return TraceContext(match.group(1), match.group(2), match.group(3))


def new_trace() -> TraceContext:
    return TraceContext(secrets.token_hex(16), secrets.token_hex(8))


def incoming(request_id: str | None, traceparent: str | None) -> tuple[str, TraceContext]:
    """The request id and this hop's trace context for an incoming request or event."""
    rid = request_id if request_id and _REQUEST_ID.match(request_id) else str(uuid.uuid4())
    parent = parse_traceparent(traceparent)
    return rid, (parent.child() if parent else new_trace())


def current_traceparent() -> str | None:
    trace = trace_var.get()
    return trace.traceparent if trace else None


def outgoing_headers() -> dict[str, str]:
    """Headers that carry the current request id and trace context to the next hop."""
    headers: dict[str, str] = {}
    rid = request_id_var.get()
    if rid:
        headers[REQUEST_ID_HEADER] = rid
    trace = trace_var.get()
    if trace:
        headers[TRACEPARENT_HEADER] = trace.child().traceparent
    return headers


async def _propagate(request: httpx.Request) -> None:
    for name, value in outgoing_headers().items():
        request.headers.setdefault(name, value)


def traced_client(**kwargs: object) -> httpx.AsyncClient:
    """An httpx client that passes the request id and traceparent on to the service it calls."""
    hooks = kwargs.pop("event_hooks", None) or {}
    assert isinstance(hooks, dict)
    hooks.setdefault("request", []).append(_propagate)
    return httpx.AsyncClient(event_hooks=hooks, **kwargs)  # type: ignore[arg-type]
