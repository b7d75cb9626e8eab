"""The reverse proxy: every service prefix, as plain ASGI in front of the gateway's own routes.

Per request: request id and trace context in, JWT-ZGW token resolved to a signed auth context,
request streamed to the upstream over the shared connection pool, response streamed back
unchanged (minus hop-by-hop headers). Nothing is buffered and redirects are passed on, not
followed. Transport failures become problem+json: 502 when the upstream cannot be reached or
breaks the protocol, 504 when it is too slow, 503 when the gateway's own pool is exhausted.

Before a request leaves: 413 when its body is over the limit (by Content-Length at once, or while
a chunked body streams), 429 when its client is over its rate, 503 while the upstream's circuit is
open (see gateway.limits). The proxy never repeats a request itself; the client's one retry
follows ``gateway.upstream_client.may_repeat``.

With an archetype profile that runs a service per cluster or puts a cluster at an external party,
``gateway.clusters`` picks the upstream after the token check (reading a JSON body first where it
names the zaaktype). An external party gets a JWT-ZGW token signed with its own secret instead of
the suite's internal auth context, and no X-Forwarded-* headers. The only URLs the gateway calls
are its upstreams and the profile's parties: a URL a client supplies (a zaaktype) is never called,
only the identifier in its path is used (see gateway.clusters.AllowList).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.accesslog import AccessLog
from gateway.authn import Resolved, TokenVerifier
from gateway.clusters import ClusterRouter, CredentialsMissing
from gateway.limits import BodyTooLarge, CircuitBreaker, RateLimiter, retry_after
from gateway.metrics import UpstreamMetrics
from gateway.routing import PUBLIC_PATHS, Upstream
from gateway.upstream_client import Answer, PoolExhausted, UpstreamClient, UpstreamError
from sds.runtime.errors import ApiError
from sds.runtime.middleware import send_problem
from sds.runtime.pages import is_page_path
from sds.runtime.tracing import incoming, request_id_var, trace_var

log = logging.getLogger("sds.gateway")
# Refused attempts, as the services log theirs (sds.runtime.middleware): a structured line a SIEM can select on.
security_log = logging.getLogger("sds.security")

# RFC 9110 7.6.1: meaningful for one connection only, never forwarded.
HOP_BY_HOP = frozenset({
    b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"proxy-connection",
    b"te", b"trailer", b"transfer-encoding", b"upgrade",
})
# Replaced by the gateway: the client must not choose its own auth context, and the token for
# the gateway is not the services' business. Host comes from the upstream url.
_REPLACED = frozenset({b"host", b"authorization", b"x-sds-auth", b"x-request-id", b"traceparent",
                       b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host"})
_DROP_REQUEST = HOP_BY_HOP | _REPLACED
# Answers in which the upstream says it cannot serve at all: they count towards its circuit breaker.
_UPSTREAM_UNAVAILABLE = frozenset({502, 503, 504})


class DiscardedCookies(httpx.Cookies):
    """The client's cookie jar, which keeps nothing.

    A Set-Cookie from a service is meant for the gateway's caller and reaches it with the other
    headers; kept in the one shared client it would hold one caller's session in the gateway
    (and httpx parses it into the jar on every response, ~6 % of the gateway's CPU).
    """

    def extract_cookies(self, response: httpx.Response) -> None:
        return None

    def set_cookie_header(self, request: httpx.Request) -> None:
        return None


class ClientGone(Exception):
    """The client went away while its request body was still being passed on."""


class UpstreamPool:
    """The proxy's client (gateway.upstream_client), and an httpx client for the gateway's own calls
    (health checks, zaaktype look-ups, delegations), opened and closed by the app's lifespan."""

    def __init__(self, limits: httpx.Limits) -> None:
        self.limits = limits
        self._client: httpx.AsyncClient | None = None
        self._upstream: UpstreamClient | None = None

    @property
    def is_open(self) -> bool:
        return self._client is not None

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            raise RuntimeError("the upstream pool is not open (lifespan not run)")
        return self._client

    @property
    def upstream(self) -> UpstreamClient:
        if self._upstream is None:
            raise RuntimeError("the upstream pool is not open (lifespan not run)")
        return self._upstream

    async def open(self) -> None:
        # trust_env=False: an HTTP(S)_PROXY in the environment must not reroute service traffic.
        client = httpx.AsyncClient(limits=self.limits, follow_redirects=False, trust_env=False)
        # httpx offers no public way to replace the jar's type (its cookies setter copies into a
        # plain jar); tests/gateway/test_proxy.py fails should the attribute ever move.
        client._cookies = DiscardedCookies()
        self._client = client
        upstream = UpstreamClient(self.limits.max_connections or 0, self.limits.keepalive_expiry or 0.0)
        await upstream.open()
        self._upstream = upstream

    async def close(self) -> None:
        if self._upstream is not None:
            await self._upstream.close()
        self._upstream = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None


class ProxyMiddleware:
    def __init__(self, app: ASGIApp, *, routes: dict[str, Upstream], verifier: TokenVerifier,
                 pool: UpstreamPool, api_version: str, access_log: AccessLog, max_body_bytes: int,
                 rate_limiter: RateLimiter | None, breakers: dict[str, CircuitBreaker],
                 clusters: ClusterRouter | None = None) -> None:
        self.app = app
        self.routes = routes
        self.verifier = verifier
        self.pool = pool
        self.api_version = api_version.encode()
        self.access_log = access_log
        every = [*routes.values(), *(clusters.extra_upstreams() if clusters is not None else [])]
        self.metrics = {upstream.name: UpstreamMetrics(upstream.name) for upstream in every}
        self.clusters = clusters
        self.max_body_bytes = max_body_bytes
        self.rate_limiter = rate_limiter
        self.breakers = breakers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            segment = scope["path"][1:].partition("/")[0]
            upstream = self.routes.get(segment)
            if upstream is not None:
                try:
                    await self._proxy(scope, receive, send, upstream, segment)
                except Exception:
                    # The proxy sits outside FastAPI's error handling (that is what keeps it fast),
                    # so it answers an unexpected failure itself, in the same Fout shape.
                    log.exception("proxy failure", extra={"upstream": upstream.name})
                    try:
                        await send_problem(send, 500, "Er is een onverwachte fout opgetreden.",
                                           request_id=request_id_var.get())
                    except Exception:
                        raise  # the answer had started: only a broken connection tells the client
                return
            await self._own(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _own(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The gateway's own routes, under the same body limit as proxied requests."""
        length = _content_length(scope)
        if length is not None and length > self.max_body_bytes:
            await send_problem(send, 413, self._too_large_detail())
            return
        limit = self.max_body_bytes
        received = 0
        answered = False

        async def limited_receive() -> Message:
            nonlocal received, answered
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit and not answered:
                answered = True
                await send_problem(send, 413, self._too_large_detail())
                return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not answered:
                await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not answered:
                raise
            # The app saw a disconnect in place of the rest of the body; the client has its 413.

    def _too_large_detail(self) -> str:
        return f"De request body is groter dan de toegestane {self.max_body_bytes} bytes."

    async def _proxy(self, scope: Scope, receive: Receive, send: Send, upstream: Upstream, segment: str) -> None:
        started = time.perf_counter()
        headers: list[tuple[bytes, bytes]] = []
        authorization = rid_in = traceparent_in = forwarded_for = None
        connection_tokens: set[bytes] = set()
        host = b""
        has_body = False
        content_length = b""
        for key, value in scope["headers"]:
            if key not in _DROP_REQUEST:
                headers.append((key, value))
                if key == b"content-length":
                    has_body = value != b"0"
                    content_length = value
                continue
            if key == b"authorization":
                authorization = value.decode("latin-1")
            elif key == b"x-request-id":
                rid_in = value.decode("latin-1")
            elif key == b"traceparent":
                traceparent_in = value.decode("latin-1")
            elif key == b"host":
                host = value
            elif key == b"x-forwarded-for":
                forwarded_for = value
            elif key == b"transfer-encoding":
                has_body = True
            elif key == b"connection":
                connection_tokens.update(t.strip().lower() for t in value.split(b","))
        if connection_tokens:
            headers = [(k, v) for k, v in headers if k not in connection_tokens]

        request_id, trace = incoming(rid_in, traceparent_in)
        rid_token = request_id_var.set(request_id)
        trace_token = trace_var.set(trace)
        rid_header = (b"x-request-id", request_id.encode())
        own_headers = [(b"api-version", self.api_version), rid_header]
        metrics = self.metrics[upstream.name]
        status = 500
        client_id = None
        try:
            if content_length and _too_long(content_length, self.max_body_bytes):
                status = 413
                metrics.rejected("body_too_large").inc()
                await send_problem(send, 413, self._too_large_detail(), request_id=request_id,
                                   extra_headers=own_headers)
                return
            resolved: Resolved | None = None
            if scope["path"] not in PUBLIC_PATHS and not is_page_path(scope["path"]):
                try:
                    resolved = await self.verifier.resolve(authorization)
                except ApiError as exc:
                    status = exc.status
                    metrics.rejected("not_authenticated").inc()
                    # The first path segment only, as the access line: a path may carry personal data.
                    peer = scope.get("client")
                    security_log.warning("toegang geweigerd", extra={
                        "event": "toegang-geweigerd", "method": scope["method"], "route": f"/{upstream.name}",
                        "status": exc.status, "reden": exc.code, "clientId": None,
                        "client": str(peer[0]) if peer else None})
                    challenge = (b"www-authenticate", b'Bearer realm="sds"')
                    await send_problem(send, exc.status, exc.detail, request_id=request_id, code=exc.code,
                                       extra_headers=[challenge, *own_headers])
                    return
                client_id = resolved.ctx.client_id
                if self.rate_limiter is not None:
                    wait = self.rate_limiter.take(client_id)
                    if wait:
                        status = 429
                        metrics.rejected("rate_limited").inc()
                        await send_problem(send, 429, "Te veel verzoeken van deze applicatie; probeer het later "
                                           "opnieuw.", request_id=request_id,
                                           extra_headers=[(b"retry-after", retry_after(wait)), *own_headers])
                        return
            body: bytes | None = None
            if resolved is not None and self.clusters is not None and upstream.name in self.clusters.applies:
                if has_body and self.clusters.wants_body(segment, scope["method"], scope["path"]):
                    try:
                        body = await _read_body(receive, self.max_body_bytes)
                    except ClientGone:
                        status = 499
                        return
                    except BodyTooLarge:
                        status = 413
                        metrics.rejected("body_too_large").inc()
                        await send_problem(send, 413, self._too_large_detail(), request_id=request_id,
                                           extra_headers=own_headers)
                        return
                upstream = await self.clusters.choose(segment, upstream, resolved.ctx, scope["method"],
                                                      scope["path"], scope["query_string"], body)
                metrics = self.metrics[upstream.name]
            if resolved is not None:
                if upstream.partij is None:
                    headers.append((b"x-sds-auth", resolved.header))
                else:
                    assert self.clusters is not None
                    try:
                        partij_token = self.clusters.credentials.token(upstream.partij)
                    except CredentialsMissing as exc:
                        status = 502
                        metrics.error("credentials").inc()
                        log.error("partij %s: %s", upstream.partij, exc, extra={"upstream": upstream.name})
                        await send_problem(send, 502, f"De externe partij '{upstream.partij}' kan niet worden "
                                           "aangeroepen: haar credentials ontbreken.", request_id=request_id,
                                           extra_headers=own_headers)
                        return
                    headers.append((b"authorization", b"Bearer " + partij_token.encode()))
            # What sds.runtime.tracing.outgoing_headers() gives, without a dict and two encodes a header.
            headers.append(rid_header)
            headers.append((b"traceparent", trace.child().traceparent.encode()))
            client = scope.get("client")
            if upstream.partij is None:
                # Who called, and how, is for the suite's own services, not for an outside party.
                if client:
                    ip = client[0].encode()
                    headers.append((b"x-forwarded-for", forwarded_for + b", " + ip if forwarded_for else ip))
                headers.append((b"x-forwarded-proto", scope.get("scheme", "http").encode()))
                if host:
                    headers.append((b"x-forwarded-host", host))

            breaker = self.breakers[upstream.name]
            wait = breaker.admit()
            if wait:
                status = 503
                metrics.rejected("circuit_open").inc()
                await send_problem(send, 503, f"De dienst '{upstream.name}' is tijdelijk niet beschikbaar "
                                   "(te veel fouten achter elkaar).", request_id=request_id,
                                   extra_headers=[(b"retry-after", retry_after(wait)), *own_headers])
                return
            url = upstream.url(scope.get("raw_path") or scope["path"].encode(), scope["query_string"])
            content = body if body is not None else (_request_body(receive, self.max_body_bytes) if has_body else None)
            outgoing = [(key.decode("latin-1"), value.decode("latin-1")) for key, value in headers]
            status = await self._exchange(scope["method"], url, outgoing, content, send, upstream, metrics,
                                          own_headers, breaker)
        finally:
            elapsed = time.perf_counter() - started
            metrics.request(scope["method"], status).inc()
            metrics.duration.observe(elapsed)
            self.access_log.write(scope["method"], upstream.name, status, elapsed, client_id, request_id, trace)
            request_id_var.reset(rid_token)
            trace_var.reset(trace_token)

    async def _exchange(self, method: str, url: str, headers: list[tuple[str, str]],
                        content: bytes | AsyncIterator[bytes] | None, send: Send, upstream: Upstream,
                        metrics: UpstreamMetrics, own_headers: list[tuple[bytes, bytes]],
                        breaker: CircuitBreaker) -> int:
        """Send the request and stream the answer back; returns the status the client got."""
        request_id = own_headers[1][1].decode()
        # Admitted while the circuit was open: this request is the half-open trial.
        trial = breaker.opened_at is not None
        try:
            answer = await self.pool.upstream.send(method, url, headers, content, upstream.timeout)
        except ClientGone:
            if trial:
                breaker.no_verdict()
            return 499
        except BodyTooLarge:
            if trial:
                breaker.no_verdict()
            metrics.rejected("body_too_large").inc()
            await send_problem(send, 413, self._too_large_detail(), request_id=request_id,
                               extra_headers=own_headers)
            return 413
        except UpstreamError as exc:
            metrics.error(exc.kind).inc()
            log.warning("upstream %s: %s", upstream.name, type(exc).__name__,
                        extra={"upstream": upstream.name})
            if isinstance(exc, PoolExhausted):
                # The gateway's own limit: no word on the upstream.
                if trial:
                    breaker.no_verdict()
                detail = f"De gateway heeft geen verbinding vrij naar '{upstream.name}'."
            else:
                breaker.failure()
                detail = (f"De dienst '{upstream.name}' antwoordde niet op tijd." if exc.status == 504
                          else f"De dienst '{upstream.name}' is niet bereikbaar.")
            await send_problem(send, exc.status, detail, request_id=request_id, extra_headers=own_headers)
            return exc.status
        except BaseException:
            if trial:
                breaker.no_verdict()  # unexpected, or cancelled: no word on the upstream either way
            raise

        if answer.status in _UPSTREAM_UNAVAILABLE:
            breaker.failure()
        else:
            breaker.success()
        try:
            out: list[tuple[bytes, bytes]] = []
            has_version = False
            connection_tokens: list[bytes] = []
            for key, value in answer.headers:
                key = key.lower()
                if key in HOP_BY_HOP:
                    if key == b"connection":
                        connection_tokens.extend(t.strip().lower() for t in value.split(b","))
                    continue
                if key == b"api-version":
                    has_version = True
                out.append((key, value))
            if connection_tokens:
                out = [(k, v) for k, v in out if k not in connection_tokens]
            if not has_version:
                out.append(own_headers[0])
            await send({"type": "http.response.start", "status": answer.status, "headers": out})
            await _stream_body(answer, send, upstream, metrics)
            return answer.status
        finally:
            await answer.aclose()


def _content_length(scope: Scope) -> int | None:
    for key, value in scope["headers"]:
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _too_long(content_length: bytes, limit: int) -> bool:
    try:
        return int(content_length) > limit
    except ValueError:
        return False  # the server in front refuses a malformed length before it gets here


async def _request_body(receive: Receive, limit: int) -> AsyncIterator[bytes]:
    received = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone()
        chunk = message.get("body", b"")
        if chunk:
            received += len(chunk)
            if received > limit:
                raise BodyTooLarge()
            yield chunk
        if not message.get("more_body", False):
            return


async def _read_body(receive: Receive, limit: int) -> bytes:
    """The whole request body, for the routing decisions that depend on it (at most ``limit`` bytes)."""
    return b"".join([chunk async for chunk in _request_body(receive, limit)])


async def _stream_body(answer: Answer, send: Send, upstream: Upstream, metrics: UpstreamMetrics) -> None:
    # One chunk held back, so the last one goes out with more_body=False: a small answer is one
    # send instead of two. The bytes go on as they came (the upstream's content-encoding included).
    pending: bytes | None = None
    try:
        async for chunk in answer.chunks():
            if pending is not None:
                await send({"type": "http.response.body", "body": pending, "more_body": True})
            pending = chunk
    except UpstreamError as exc:
        # Headers are out: the only honest signal left is a broken connection, so re-raise.
        metrics.error("stream").inc()
        log.warning("upstream %s broke off its answer: %s", upstream.name, type(exc).__name__,
                    extra={"upstream": upstream.name})
        raise
    last: Message = {"type": "http.response.body", "body": pending or b"", "more_body": False}
    await send(last)
