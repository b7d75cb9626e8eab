"""The proxy's HTTP client: aiohttp's ``ClientSession`` over one pooled ``TCPConnector``.

aiohttp parses responses with llhttp (C) and keeps connections alive per origin; this module adds
what the gateway needs on top, and nothing else:

- the answer comes back as soon as its head has arrived, and its body streams
  (``Answer.chunks()``): aiohttp's reader stops reading the socket while the consumer lags, so a
  500 MB document never sits in the gateway's memory; a streamed request body goes upstream as it
  arrives (chunked when its length is unknown);
- timeouts as the settings give them: ``connect`` (TCP), ``pool`` (waiting for a free connection,
  at most ``max_connections`` in use at once; aiohttp counts that wait and the connect against one
  deadline, so a request may wait up to ``pool + connect`` for its connection), ``read`` (the
  next bytes of the answer) and ``write`` (the upstream taking the next piece of a streamed body,
  which aiohttp has no timeout for);
- failures as the four kinds the proxy answers for (``UpstreamError``: 503 for the gateway's own
  pool, 504 for a timeout, 502 for an upstream that cannot be reached or breaks the protocol);
- the one retry rule (``may_repeat``), in place of aiohttp's own (which repeats idempotent methods
  on any connection, fresh ones included).

Idle connections are closed after ``keepalive_expiry``; cookies are never kept (a Set-Cookie is
for the gateway's caller), nothing is decompressed (the caller gets the upstream's bytes), no
headers are added that the caller did not send (``User-Agent``, ``Accept``, ``Accept-Encoding``,
``Content-Type``)
and redirects are passed on, not followed.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterable, AsyncIterator, Mapping
from typing import Any

import aiohttp
from aiohttp.client_reqrep import ClientRequest, ClientResponse
from yarl import URL

_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})


def may_repeat(method: str, headers: Mapping[str, str], body_resendable: bool) -> bool:
    """Whether a request that may have reached the upstream can be sent a second time.

    The one retry rule of the gateway. RFC 9110 9.2.2: only when repeating it has the same effect
    as sending it once — an idempotent method, or an ``Idempotency-Key`` the service deduplicates
    on — and only when the body can be sent again (there is none, or the whole of it is in
    memory; a streamed body is pulled from the client once). ``headers`` is case-insensitive.
    """
    if not body_resendable:
        return False
    return method in _IDEMPOTENT or "idempotency-key" in headers


class UpstreamError(Exception):
    """A call that brought no usable answer; ``status`` is what the caller gets, ``kind`` the metric."""

    status = 502
    kind = "protocol"


class PoolExhausted(UpstreamError):
    """No connection free within the pool timeout: the gateway's own limit, not the upstream's fault."""

    status = 503
    kind = "pool"


class UpstreamTimeout(UpstreamError):
    """The upstream did not connect, answer or take the request body in time."""

    status = 504
    kind = "timeout"


class UpstreamUnreachable(UpstreamError):
    """The connection could not be made (refused, unknown host, TLS)."""

    kind = "connect"


class UpstreamBroken(UpstreamError):
    """The upstream closed the connection, or sent what is not HTTP."""


class _Attempt:
    """What the pool did for one request: whether it waited for a slot, whether it reused a connection."""

    __slots__ = ("queued", "reused", "resendable", "failure", "deadline")

    def __init__(self, resendable: bool) -> None:
        self.queued = False
        self.reused = False
        self.resendable = resendable
        # A failure of the caller's body stream (the client went away, the body is too large):
        # aiohttp reports it as a connection error; the proxy needs the original.
        self.failure: BaseException | None = None
        self.deadline: asyncio.Timeout | None = None


_attempt: contextvars.ContextVar[_Attempt | None] = contextvars.ContextVar("sds_gateway_upstream_attempt",
                                                                          default=None)


def _marks(field: str, value: bool) -> Any:
    """A trace hook that records ``field = value`` on the attempt under way (queued for a connection, reused)."""
    async def hook(_session: Any, _ctx: Any, _params: Any) -> None:
        attempt = _attempt.get()
        if attempt is not None:
            setattr(attempt, field, value)
    return hook


_queued_start, _queued_end = _marks("queued", True), _marks("queued", False)
_reused, _created = _marks("reused", True), _marks("reused", False)


async def _retry_once(request: ClientRequest, handler: Any) -> ClientResponse:
    """A reused idle connection can turn out dead only once the request is on it (the upstream
    closed it while its FIN was still in flight): such a request goes once more, when
    ``may_repeat`` allows it. A fresh connection that dies is the upstream's answer, not a race."""
    try:
        response: ClientResponse = await handler(request)
        return response
    except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as exc:
        attempt = _attempt.get()
        if (isinstance(exc, aiohttp.ClientConnectorError) or attempt is None or not attempt.reused
                or attempt.failure is not None
                or not may_repeat(request.method, request.headers, attempt.resendable)):
            raise
    response = await handler(request)
    return response


class Answer:
    """An upstream's answer: status and raw headers at once, the body as it arrives."""

    __slots__ = ("_response", "status", "headers")

    def __init__(self, response: ClientResponse) -> None:
        self._response = response
        self.status = response.status
        self.headers: tuple[tuple[bytes, bytes], ...] = response.raw_headers

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body as it comes; ``UpstreamError`` when it breaks off or stalls."""
        content = self._response.content
        try:
            while True:
                chunk = await content.readany()
                if not chunk:
                    return
                yield chunk
        except TimeoutError as exc:
            raise UpstreamTimeout(f"the upstream sent nothing in time: {exc}") from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise UpstreamBroken(f"the upstream broke off its answer: {exc!r}") from exc

    async def aclose(self) -> None:
        """Back to the pool when the body was read to its end, otherwise closed."""
        response = self._response
        if response.content.at_eof():
            response.release()
        else:
            response.close()


class UpstreamClient:
    """The one pooled session to every upstream, opened and closed by the app's lifespan."""

    def __init__(self, max_connections: int, keepalive_expiry: float) -> None:
        self.max_connections = max_connections
        self.keepalive_expiry = keepalive_expiry
        self._session: aiohttp.ClientSession | None = None
        self._timeouts: dict[tuple[float | None, ...], aiohttp.ClientTimeout] = {}

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("the upstream client is not open (lifespan not run)")
        return self._session

    async def open(self) -> None:
        if self.keepalive_expiry == 0:
            connector = aiohttp.TCPConnector(limit=self.max_connections, limit_per_host=0, force_close=True)
        else:
            connector = aiohttp.TCPConnector(limit=self.max_connections, limit_per_host=0,
                                             keepalive_timeout=self.keepalive_expiry)
        trace = aiohttp.TraceConfig()
        trace.on_connection_queued_start.append(_queued_start)
        trace.on_connection_queued_end.append(_queued_end)
        trace.on_connection_reuseconn.append(_reused)
        trace.on_connection_create_end.append(_created)
        session = aiohttp.ClientSession(
            connector=connector, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False,
            # An HTTP(S)_PROXY in the environment must not reroute service traffic.
            trust_env=False, timeout=aiohttp.ClientTimeout(total=None), trace_configs=[trace],
            skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"), middlewares=(_retry_once,),
            requote_redirect_url=False)
        # aiohttp repeats an idempotent request once on any broken connection, a fresh one too, and
        # never one with an Idempotency-Key: _retry_once is the gateway's rule instead. There is no
        # public switch; test_a_fresh_connection_that_dies_without_an_answer_is_not_retried in
        # tests/gateway/test_upstream_client.py fails should the attribute stop working.
        session._retry_connection = False
        self._session = session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _timeout(self, timeouts: Mapping[str, float | None]) -> aiohttp.ClientTimeout:
        key = (timeouts.get("connect"), timeouts.get("read"), timeouts.get("pool"))
        found = self._timeouts.get(key)
        if found is None:
            connect, read, pool = key
            # aiohttp's connect covers the wait for a pool slot and the TCP connect; sock_connect
            # the latter alone. Which of the two ran out tells the trace (queued or not).
            both = None if connect is None or pool is None else connect + pool
            found = aiohttp.ClientTimeout(total=None, connect=both, sock_connect=connect, sock_read=read)
            self._timeouts[key] = found
        return found

    async def send(self, method: str, url: str, headers: list[tuple[str, str]],
                   body: bytes | AsyncIterable[bytes] | None, timeouts: Mapping[str, float | None]) -> Answer:
        """The request upstream, its answer once the head is in; ``UpstreamError`` when there is none.

        ``url`` is sent as it is (its path keeps the caller's percent-encoding). An exception the
        ``body`` stream raises (the client went away) comes out as itself.
        """
        streamed = body is not None and not isinstance(body, bytes)
        attempt = _Attempt(resendable=not streamed)
        token = _attempt.set(attempt)
        try:
            if streamed:
                assert body is not None and not isinstance(body, bytes)
                data: Any = _timed_body(body, attempt, timeouts.get("write"))
                async with asyncio.timeout(None) as deadline:
                    attempt.deadline = deadline
                    try:
                        response = await self._request(method, url, headers, data, timeouts)
                    finally:
                        attempt.deadline = None
            else:
                response = await self._request(method, url, headers, body, timeouts)
        except UpstreamError:
            raise
        except TimeoutError as exc:
            if attempt.failure is not None:
                raise attempt.failure from exc
            if isinstance(exc, aiohttp.ServerTimeoutError):
                if isinstance(exc, aiohttp.ConnectionTimeoutError) and attempt.queued:
                    raise PoolExhausted(f"no upstream connection free within {timeouts.get('pool')} s") from exc
                raise UpstreamTimeout(str(exc)) from exc
            # The write deadline: the upstream stopped taking the body.
            raise UpstreamTimeout(f"the upstream did not take the request body within {timeouts.get('write')} s") \
                from exc
        except aiohttp.ClientConnectorError as exc:
            raise UpstreamUnreachable(str(exc)) from exc
        except (aiohttp.ClientError, OSError) as exc:
            if attempt.failure is not None:
                raise attempt.failure from exc
            raise UpstreamBroken(f"{type(exc).__name__}: {exc}") from exc
        finally:
            _attempt.reset(token)
        return Answer(response)

    async def _request(self, method: str, url: str, headers: list[tuple[str, str]], data: Any,
                       timeouts: Mapping[str, float | None]) -> ClientResponse:
        return await self.session.request(method, URL(url, encoded=True), headers=headers, data=data,
                                          allow_redirects=False, timeout=self._timeout(timeouts))


async def _timed_body(chunks: AsyncIterable[bytes], attempt: _Attempt, seconds: float | None) -> AsyncIterator[bytes]:
    """The caller's body, with the write timeout running while aiohttp writes each chunk."""
    loop = asyncio.get_running_loop()
    try:
        async for chunk in chunks:
            if not chunk:
                continue
            deadline = attempt.deadline
            if deadline is not None and seconds is not None:
                deadline.reschedule(loop.time() + seconds)
            yield chunk
            deadline = attempt.deadline
            if deadline is not None:
                deadline.reschedule(None)
    except Exception as exc:
        attempt.failure = exc
        raise
