"""The gateway's upstream transport: HTTP/1.1 on asyncio protocols, under the one httpx client.

``httpx.AsyncClient(transport=UpstreamTransport(limits))`` keeps httpx's API (``send(...,
stream=True)``, ``httpx.Request``/``Response``, the timeout dict, the exception classes) and
replaces what httpcore did per request, which was most of the gateway's CPU in
bench/gateway_overhead: a readability check (a ``select`` each) of every idle pooled connection,
pure-Python h11 parsing and anyio locks. Here:

- a pooled connection is an ``asyncio.Protocol``; the event loop tells it when the peer closes
  (``eof_received``/``connection_lost``), so taking an idle connection is a list pop, no syscall;
- responses are parsed by llhttp (``httptools.HttpResponseParser``) as bytes arrive;
- idle connections are reused LIFO (the most recently used one is the least likely to have been
  closed by the upstream's keep-alive timeout), bounded per process by ``max_connections`` and
  ``max_keepalive_connections``, and closed after ``keepalive_expiry``;
- request bodies stream (chunked when their length is unknown); response bodies stream through an
  ``httpx.AsyncByteStream``, and reading from the upstream pauses while the consumer lags;
- failures surface as httpx's own exceptions: ``ConnectError``/``ConnectTimeout``,
  ``ReadTimeout``, ``WriteTimeout``, ``PoolTimeout``, ``RemoteProtocolError``, ``ReadError``.

A reused idle connection can turn out dead only when the request is already on it (the upstream
closed it while the FIN was still in flight). Such a request is retried once, on a fresh
connection, when no response byte arrived and ``may_repeat`` allows it. This is the gateway's
only retry: the proxy itself never repeats a request (a failure counts towards the upstream's
circuit breaker and goes back to the caller).
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Mapping
from typing import Any

import httptools
import httpx

from gateway import upstream_client as errors

_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Response bytes buffered before the upstream socket stops being read; a consumer that lags
# (a slow client of the gateway) then slows the upstream down through TCP instead of the
# gateway holding the whole body in memory.
_READ_HIGH_WATER = 256 * 1024
_READ_LOW_WATER = 64 * 1024
_NO_BODY_STATUS = frozenset({204, 304})
_DEFAULT_TIMEOUTS: dict[str, float | None] = httpx.Timeout(5.0).as_dict()
_TIMED_OUT = object()


def may_repeat(request: httpx.Request, body_resendable: bool) -> bool:
    """Whether a request that may have reached the upstream can be sent a second time.

    The one retry rule of the gateway. RFC 9110 9.2.2: only when repeating it has the same effect
    as sending it once — an idempotent method, or an ``Idempotency-Key`` the service deduplicates
    on — and only when the body can be sent again (nothing of it was pulled from the client yet, or
    the whole of it is in memory). A request that never left the gateway is not asked about: it
    can always go out on another connection.
    """
    if not body_resendable:
        return False
    return request.method in _IDEMPOTENT or "idempotency-key" in request.headers


class _DeadReusedConnection(Exception):
    """A reused idle connection closed before any response byte, with the request safe to repeat."""


class _Body:
    """The request body across (at most) two attempts: pulled once, never lost between them."""

    __slots__ = ("data", "iterator", "pending", "written", "replayable", "stream")

    def __init__(self, request: httpx.Request) -> None:
        stream = request.stream
        self.stream = stream
        self.written = 0
        self.pending: bytes | None = None
        self.iterator: AsyncIterator[bytes] | None = None
        # httpx has already read a ByteStream into request.content: it can go out with the head.
        self.data: bytes | None = None
        if isinstance(stream, httpx.ByteStream):
            try:
                self.data = request.content
            except httpx.RequestNotRead:
                pass  # built with stream= directly: sent as a stream, which works as well
        self.replayable = self.data is not None

    def chunks(self) -> AsyncIterator[bytes]:
        if self.iterator is None:
            self.iterator = self.stream.__aiter__()  # type: ignore[union-attr]
        return self.iterator


class _Connection(asyncio.Protocol):
    """One upstream connection: its socket, its response parser and the exchange on it."""

    def __init__(self, pool: _Pool, origin: tuple[str, str, int], loop: asyncio.AbstractEventLoop) -> None:
        self.pool = pool
        self.origin = origin
        self.loop = loop
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.counted = True  # holds one of the pool's max_connections slots
        self.idle = False
        self.idle_since = 0.0
        self.lost_exc: BaseException | None = None
        self.write_paused = False
        self.drain_waiter: asyncio.Future[Any] | None = None
        self._begin(False)

    def _begin(self, head: bool) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.head = head
        self.in_exchange = True
        self.received = False
        self.status = 0
        self.reason = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.informational = False
        self.headers_done = False
        self.message_done = False
        self.keep_alive = False
        self.until_eof = False
        self.request_complete = False
        self.error: Exception | None = None
        self.body: deque[bytes] = deque()
        self.body_size = 0
        self.reading_paused = False
        self.waiter: asyncio.Future[Any] | None = None
        self.response_closed = False

    # -- asyncio.Protocol -------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if not self.in_exchange or self.message_done:
            # Bytes nobody asked for (after a complete answer, or on an idle connection): whatever
            # comes next on this connection cannot be matched to a request any more.
            self.keep_alive = False
            self.abort()
            return
        self.received = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(httpx.RemoteProtocolError("the upstream switched protocols; the gateway proxies HTTP only"))
        except httptools.HttpParserError as exc:
            self._fail(httpx.RemoteProtocolError(f"malformed response from the upstream: {exc}"))

    def eof_received(self) -> bool:
        if self.in_exchange and self.headers_done and self.until_eof and not self.message_done:
            self.message_done = True  # a body without length or chunking ends with the connection
        # Closed from here on, not only once connection_lost runs (a loop iteration later): in
        # between, this idle connection must not be handed out.
        self.closed = True
        self._wake()
        self.pool.forget(self)
        return False

    def connection_lost(self, exc: BaseException | None) -> None:
        self.closed = True
        self.lost_exc = exc
        if self.in_exchange and self.headers_done and self.until_eof and not self.message_done and exc is None:
            self.message_done = True
        self._wake()
        drain = self.drain_waiter
        if drain is not None and not drain.done():
            drain.set_result(True)
        self.pool.forget(self)

    def pause_writing(self) -> None:
        self.write_paused = True

    def resume_writing(self) -> None:
        self.write_paused = False
        drain = self.drain_waiter
        if drain is not None and not drain.done():
            drain.set_result(True)

    # -- httptools callbacks ----------------------------------------------------------------

    def on_status(self, status: bytes) -> None:
        self.reason += status

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        parser = self.parser
        status = parser.get_status_code()
        if status < 200 and status != 101:
            # 100 Continue, 103 Early Hints: nothing for the caller, the real answer follows.
            self.informational = True
            return
        self.status = status
        self.headers_done = True
        self.keep_alive = parser.should_keep_alive()
        if self.head or status in _NO_BODY_STATUS:
            # llhttp does not know the request was HEAD and would wait for Content-Length bytes.
            self.message_done = True
        elif not self.keep_alive:
            self.until_eof = not any(name.lower() in (b"content-length", b"transfer-encoding")
                                     for name, _ in self.headers)
        self._wake()

    def on_body(self, body: bytes) -> None:
        if self.message_done:
            return
        self.body.append(body)
        self.body_size += len(body)
        if self.body_size > _READ_HIGH_WATER and not self.reading_paused and self.transport is not None:
            self.reading_paused = True
            self.transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        if self.informational:
            self.informational = False
            self.reason = b""
            self.headers = []
            return
        self.message_done = True
        self._wake()

    # -- the exchange -----------------------------------------------------------------------

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(True)

    def _fail(self, error: Exception) -> None:
        if self.error is None:
            self.error = error
        self.abort()
        self._wake()

    def abort(self) -> None:
        """Close now, without flushing: used whenever the connection is not fit for another request."""
        self.closed = True
        if self.transport is not None:
            self.transport.abort()
        self.pool.forget(self)

    async def _wait(self, seconds: float | None) -> bool:
        """Until the parser or the socket has news; False when ``seconds`` passed first."""
        # A timer handle, not asyncio.timeout(): this runs for every response, and a bare
        # call_later costs a fraction of a timeout context's task bookkeeping.
        waiter = self.loop.create_future()
        self.waiter = waiter
        timer = self.loop.call_later(seconds, _expire, waiter) if seconds is not None else None
        try:
            return await waiter is not _TIMED_OUT
        finally:
            self.waiter = None
            if timer is not None:
                timer.cancel()

    async def _drain(self, seconds: float | None) -> None:
        while self.write_paused and not self.closed:
            waiter = self.loop.create_future()
            self.drain_waiter = waiter
            timer = self.loop.call_later(seconds, _expire, waiter) if seconds is not None else None
            try:
                if await waiter is _TIMED_OUT:
                    raise httpx.WriteTimeout("the upstream did not take the request body in time")
            finally:
                self.drain_waiter = None
                if timer is not None:
                    timer.cancel()

    def _lost_before_answer(self, reused: bool, body: _Body, request: httpx.Request) -> Exception:
        if self.error is not None:
            return self.error
        if reused and not self.received and may_repeat(request, body.written == 0 or body.replayable):
            return _DeadReusedConnection()
        if self.lost_exc is not None:
            return httpx.ReadError(f"the upstream connection broke: {self.lost_exc}")
        return httpx.RemoteProtocolError("the upstream closed the connection without sending a response")

    async def exchange(self, request: httpx.Request, head: bytes, chunked: bool, body: _Body,
                       timeouts: dict[str, float | None], reused: bool) -> httpx.Response:
        method = request.method
        if reused:
            self._begin(method == "HEAD")
        else:
            self.head = method == "HEAD"
        transport = self.transport
        assert transport is not None
        read_timeout = timeouts.get("read")
        try:
            if transport.is_closing():
                # The loop closes a reset connection at once and calls connection_lost an iteration
                # later; a write in between would silently go nowhere. Nothing was sent, so any
                # request may go out on another connection.
                if reused:
                    raise _DeadReusedConnection()
                self.closed = True
            elif body.data is not None:
                if chunked and body.data:
                    transport.write(b"".join((head, b"%x\r\n" % len(body.data), body.data, b"\r\n0\r\n\r\n")))
                elif chunked:
                    transport.write(head + b"0\r\n\r\n")
                else:
                    transport.write(head + body.data if body.data else head)
                body.written += len(body.data)
                self.request_complete = True
                if self.write_paused:
                    await self._drain(timeouts.get("write"))
            else:
                transport.write(head)
                await self._send_stream(body, chunked, timeouts.get("write"))
            while not self.headers_done:
                if self.error is not None or self.closed:
                    raise self._lost_before_answer(reused, body, request)
                if not await self._wait(read_timeout):
                    raise httpx.ReadTimeout(f"no answer from the upstream within {read_timeout:g} s")
            if self.error is not None:  # e.g. a 101 the parser then refused as an upgrade
                raise self.error
        except BaseException:
            # Half an exchange leaves the connection in an unknown state: never pool it.
            self.abort()
            raise
        return httpx.Response(self.status, headers=self.headers, stream=_ResponseStream(self, read_timeout),
                              extensions={"http_version": b"HTTP/1.1", "reason_phrase": self.reason})

    async def _send_stream(self, body: _Body, chunked: bool, write_timeout: float | None) -> None:
        chunks = body.chunks()
        transport = self.transport
        assert transport is not None
        while True:
            if self.closed or transport.is_closing():
                self.closed = True
                return  # the answer (or the error) is read by the caller
            chunk = body.pending
            if chunk is None:
                try:
                    chunk = await chunks.__anext__()
                except StopAsyncIteration:
                    break
                if not chunk:
                    continue
                if self.closed or transport.is_closing():
                    self.closed = True
                    body.pending = chunk  # pulled but not sent: a retry sends it
                    return
            body.pending = None
            if chunked:
                transport.writelines((b"%x\r\n" % len(chunk), chunk, b"\r\n"))
            else:
                transport.write(chunk)
            body.written += len(chunk)
            if self.write_paused:
                await self._drain(write_timeout)
        if chunked and not self.closed and not transport.is_closing():
            transport.write(b"0\r\n\r\n")
        self.request_complete = True

    def take_body(self) -> bytes:
        body = self.body
        chunk = body.popleft() if len(body) == 1 else b"".join(body)
        body.clear()
        self.body_size = 0
        if self.reading_paused and self.transport is not None and not self.closed:
            self.reading_paused = False
            self.transport.resume_reading()
        return chunk

    def incomplete_error(self) -> Exception:
        if self.error is not None:
            return self.error
        if self.lost_exc is not None:
            return httpx.ReadError(f"the upstream connection broke during the body: {self.lost_exc}")
        return httpx.RemoteProtocolError("the upstream closed the connection before the end of the body")

    def close_response(self) -> None:
        if self.response_closed:
            return
        self.response_closed = True
        if (self.message_done and self.request_complete and self.keep_alive and not self.closed
                and self.error is None and not self.body):
            self.in_exchange = False
            self.pool.release(self)
        else:
            self.abort()


def _expire(waiter: asyncio.Future[Any]) -> None:
    if not waiter.done():
        waiter.set_result(_TIMED_OUT)


class _ResponseStream(httpx.AsyncByteStream):
    def __init__(self, connection: _Connection, read_timeout: float | None) -> None:
        self._connection = connection
        self._read_timeout = read_timeout

    async def __aiter__(self) -> AsyncIterator[bytes]:
        connection = self._connection
        while True:
            if connection.body:
                yield connection.take_body()
            elif connection.message_done:
                return
            elif connection.error is not None or connection.closed:
                raise connection.incomplete_error()
            elif not await connection._wait(self._read_timeout):
                connection.abort()
                raise httpx.ReadTimeout(f"the upstream sent nothing for {self._read_timeout:g} s")

    async def aclose(self) -> None:
        self._connection.close_response()


class _Pool:
    """Connections per origin, bounded in total; idle ones reused last-in first-out."""

    def __init__(self, limits: httpx.Limits) -> None:
        self.max_connections = limits.max_connections
        keepalive = limits.max_keepalive_connections
        expiry = limits.keepalive_expiry
        self.max_idle = 0 if expiry == 0 else keepalive
        self.expiry = expiry
        self.total = 0  # connections open or being opened
        self.idle: dict[tuple[str, str, int], list[_Connection]] = {}
        self.idle_count = 0
        self.waiters: deque[tuple[tuple[str, str, int], asyncio.Future[Any]]] = deque()
        self.connections: set[_Connection] = set()
        self.sweeper: asyncio.TimerHandle | None = None
        self.closed = False

    def _has_room(self) -> bool:
        return self.max_connections is None or self.total < self.max_connections

    async def acquire(self, origin: tuple[str, str, int], seconds: float | None,
                      fresh: bool) -> _Connection | None:
        """An idle connection to ``origin``, or None: a slot is reserved and the caller connects."""
        if self.closed:
            raise RuntimeError("the upstream transport is closed")
        idle = self.idle.get(origin)
        if fresh and idle:
            # The connection it replaces was dead; its idle siblings may well be too.
            for connection in list(idle):
                connection.abort()
        while idle:
            connection = idle.pop()
            self.idle_count -= 1
            connection.idle = False
            transport = connection.transport
            if (connection.closed or (transport is not None and transport.is_closing())
                    or (self.expiry is not None and time.monotonic() - connection.idle_since > self.expiry)):
                connection.abort()
                continue
            return connection
        if self._has_room() and not self.waiters:
            self.total += 1
            return None
        if not self.waiters and self._evict_idle():
            self.total += 1
            return None
        return await self._wait(origin, seconds)

    def _evict_idle(self) -> bool:
        """Close the longest-idle connection to another origin, to make room for a new one."""
        oldest: _Connection | None = None
        for connections in self.idle.values():
            if connections and (oldest is None or connections[0].idle_since < oldest.idle_since):
                oldest = connections[0]
        if oldest is None:
            return False
        self._forget_quietly(oldest)
        return True

    async def _wait(self, origin: tuple[str, str, int], seconds: float | None) -> _Connection | None:
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        entry = (origin, waiter)
        self.waiters.append(entry)
        timer = loop.call_later(seconds, _expire, waiter) if seconds is not None else None
        try:
            result = await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._give_back(waiter.result())
            raise
        finally:
            if timer is not None:
                timer.cancel()
            if entry in self.waiters:
                self.waiters.remove(entry)
        if result is _TIMED_OUT:
            raise httpx.PoolTimeout(f"no upstream connection free within {seconds:g} s")
        return result

    def _give_back(self, result: Any) -> None:
        if isinstance(result, _Connection):
            self.release(result)
        elif result is None:
            self.total -= 1
            self._grant_slot()

    def _grant_slot(self) -> None:
        while self.waiters and self._has_room():
            _origin, waiter = self.waiters.popleft()
            if not waiter.done():
                self.total += 1
                waiter.set_result(None)

    def opened(self, connection: _Connection) -> None:
        self.connections.add(connection)

    def connect_failed(self) -> None:
        self.total -= 1
        self._grant_slot()

    def release(self, connection: _Connection) -> None:
        """A connection after a complete exchange: to a waiter, to the idle list, or closed."""
        if connection.closed:
            return
        for index, (origin, waiter) in enumerate(self.waiters):
            if origin == connection.origin and not waiter.done():
                del self.waiters[index]
                waiter.set_result(connection)
                return
        if self.waiters or self.closed or (self.max_idle is not None and self.idle_count >= self.max_idle):
            # Someone waits for another origin, or there are enough idle connections already.
            connection.abort()
            return
        connection.idle = True
        connection.idle_since = time.monotonic()
        self.idle.setdefault(connection.origin, []).append(connection)
        self.idle_count += 1
        if self.sweeper is None and self.expiry is not None:
            self.sweeper = asyncio.get_running_loop().call_later(self.expiry, self._sweep)

    def _forget_quietly(self, connection: _Connection) -> None:
        """Close a connection and free its slot for the caller itself, not for a waiter."""
        if connection.counted:
            connection.counted = False
            self.total -= 1
        self._unlist(connection)
        connection.abort()

    def _unlist(self, connection: _Connection) -> None:
        if connection.idle:
            connection.idle = False
            self.idle[connection.origin].remove(connection)
            self.idle_count -= 1

    def forget(self, connection: _Connection) -> None:
        """The connection is closed (by us or by the peer): free its slot."""
        self._unlist(connection)
        self.connections.discard(connection)
        if connection.counted:
            connection.counted = False
            self.total -= 1
            self._grant_slot()

    def _sweep(self) -> None:
        self.sweeper = None
        if self.expiry is None:
            return
        deadline = time.monotonic() - self.expiry
        for connections in list(self.idle.values()):
            # Oldest first: the list is appended to and popped from its end.
            while connections and connections[0].idle_since <= deadline:
                connections[0].abort()
        if self.idle_count and not self.closed:
            self.sweeper = asyncio.get_running_loop().call_later(self.expiry, self._sweep)

    def close(self) -> None:
        self.closed = True
        if self.sweeper is not None:
            self.sweeper.cancel()
            self.sweeper = None
        for connection in list(self.connections):
            connection.abort()
        while self.waiters:
            _origin, waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_exception(httpx.PoolTimeout("the upstream transport closed"))


class UpstreamTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 to the upstreams over pooled keep-alive connections; see the module docstring."""

    def __init__(self, limits: httpx.Limits | None = None, *, ssl_context: ssl.SSLContext | None = None) -> None:
        self._pool = _Pool(limits or httpx.Limits())
        self._ssl_context = ssl_context

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts = request.extensions.get("timeout") or _DEFAULT_TIMEOUTS
        url = request.url
        scheme = url.scheme
        if scheme not in _DEFAULT_PORTS:
            raise httpx.UnsupportedProtocol(f"the upstream transport speaks http and https, not {scheme!r}")
        origin = (scheme, url.host, url.port or _DEFAULT_PORTS[scheme])
        head, chunked = _request_head(request)
        body = _Body(request)
        fresh = False
        while True:
            connection = await self._pool.acquire(origin, timeouts.get("pool"), fresh)
            reused = connection is not None
            if connection is None:
                connection = await self._connect(origin, timeouts.get("connect"))
            try:
                return await connection.exchange(request, head, chunked, body, timeouts, reused)
            except _DeadReusedConnection:
                if fresh:  # cannot happen (a fresh connection is not reused); kept as a guard
                    raise httpx.RemoteProtocolError("the upstream closed the connection without a response") from None
                fresh = True

    async def _connect(self, origin: tuple[str, str, int], seconds: float | None) -> _Connection:
        scheme, host, port = origin
        loop = asyncio.get_running_loop()
        ssl_context = None
        if scheme == "https":
            if self._ssl_context is None:
                self._ssl_context = httpx.create_ssl_context()
            ssl_context = self._ssl_context
        try:
            async with asyncio.timeout(seconds):
                _transport, connection = await loop.create_connection(
                    lambda: _Connection(self._pool, origin, loop), host, port, ssl=ssl_context,
                    server_hostname=host if ssl_context is not None else None)
        except TimeoutError:
            self._pool.connect_failed()
            raise httpx.ConnectTimeout(f"no connection to {host}:{port} within {seconds:g} s") from None
        except OSError as exc:
            self._pool.connect_failed()
            raise httpx.ConnectError(f"cannot connect to {host}:{port}: {exc}") from exc
        except BaseException:
            self._pool.connect_failed()
            raise
        self._pool.opened(connection)
        return connection

    async def aclose(self) -> None:
        self._pool.close()


def _request_head(request: httpx.Request) -> tuple[bytes, bool]:
    """The request line and headers as bytes, and whether the body goes chunked."""
    parts = [request.method.encode("ascii"), b" ", request.url.raw_path, b" HTTP/1.1\r\n"]
    chunked = False
    headers = request.headers.raw
    for name, value in headers:
        parts += (name, b": ", value, b"\r\n")
        if len(name) == 17 and name.lower() == b"transfer-encoding":
            chunked = value.lower() == b"chunked"
            if not chunked:
                raise httpx.LocalProtocolError(f"cannot send Transfer-Encoding {value!r}")
    parts.append(b"\r\n")
    head = b"".join(parts)
    # One count instead of a check per header: a CR or LF inside a name, value or the target
    # would let a caller smuggle a header or a second request.
    lines = len(headers) + 2
    if head.count(b"\n") != lines or head.count(b"\r") != lines:
        raise httpx.LocalProtocolError("a header or the request target contains CR or LF")
    return head, chunked


class OwnTransportClient:
    """This transport under the proxy, with the interface of ``gateway.upstream_client.UpstreamClient``:
    kept only to measure the two side by side in bench/gateway_overhead."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def send(self, method: str, url: str, headers: list[tuple[str, str]],
                   body: bytes | AsyncIterable[bytes] | None, timeouts: Mapping[str, float | None]) -> _OwnAnswer:
        request = httpx.Request(method, url, headers=headers, content=body, extensions={"timeout": timeouts})
        try:
            response = await self.client.send(request, stream=True)
        except httpx.PoolTimeout as exc:
            raise errors.PoolExhausted(str(exc)) from exc
        except httpx.TimeoutException as exc:
            raise errors.UpstreamTimeout(str(exc)) from exc
        except httpx.ConnectError as exc:
            raise errors.UpstreamUnreachable(str(exc)) from exc
        except httpx.TransportError as exc:
            raise errors.UpstreamBroken(str(exc)) from exc
        return _OwnAnswer(response)


class _OwnAnswer:
    __slots__ = ("_response", "status", "headers")

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.status = response.status_code
        self.headers = response.headers.raw

    async def chunks(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.aiter_raw():
                yield chunk
        except httpx.TimeoutException as exc:
            raise errors.UpstreamTimeout(str(exc)) from exc
        except httpx.TransportError as exc:
            raise errors.UpstreamBroken(str(exc)) from exc

    async def aclose(self) -> None:
        await self._response.aclose()
