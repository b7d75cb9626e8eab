"""The gateway's upstream transport against real sockets: a uvicorn app, and raw asyncio servers
that misbehave on purpose for the protocol's edge cases.

Every scenario runs on the standard asyncio loop and on uvloop (what the gateway runs on under
uvicorn): the transport relies on the loop's protocol callbacks, and the two loops deliver them
differently enough (EOF, pause_reading, write buffering) to matter.
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from typing import Any

import httpx
import pytest
import uvloop
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

from gateway import transport as transport_module
from gateway.transport import UpstreamTransport
from tests.gateway.conftest import closed_port, serve

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter, int], Awaitable[None]]


@pytest.fixture(params=["asyncio", "uvloop"])
def run(request: pytest.FixtureRequest) -> Callable[[Coroutine[Any, Any, Any]], Any]:
    factory = uvloop.new_event_loop if request.param == "uvloop" else asyncio.new_event_loop

    def runner(coro: Coroutine[Any, Any, Any]) -> Any:
        with asyncio.Runner(loop_factory=factory) as loop_runner:
            return loop_runner.run(asyncio.wait_for(coro, 20))

    return runner


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/klein")
    async def small() -> dict[str, str]:
        return {"status": "ok"}

    @app.head("/klein")
    async def small_head() -> StreamingResponse:
        return StreamingResponse(iter(()), headers={"content-length": "15"})

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, Any]:
        digest = hashlib.sha256()
        size = 0
        async for part in request.stream():
            digest.update(part)
            size += len(part)
        return {"size": size, "sha256": digest.hexdigest(),
                "chunked": request.headers.get("transfer-encoding") == "chunked"}

    @app.get("/groot")
    async def large(mb: int) -> StreamingResponse:
        chunk = bytes(range(256)) * 4096

        async def body() -> AsyncIterator[bytes]:
            for _ in range(mb):
                yield chunk

        return StreamingResponse(body(), media_type="application/octet-stream")

    return app


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    with serve(_app()) as url:
        yield url


def client(**limits: Any) -> httpx.AsyncClient:
    timeout = limits.pop("timeout", httpx.Timeout(5.0))
    return httpx.AsyncClient(transport=UpstreamTransport(httpx.Limits(**limits)), timeout=timeout,
                             trust_env=False)


class RawServer:
    """A TCP server whose per-connection behaviour a test writes, and which counts connections."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.accepted = 0
        self.closed: list[int] = []

    async def __aenter__(self) -> RawServer:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        index = self.accepted
        self.accepted += 1
        try:
            await self.handler(reader, writer, index)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            self.closed.append(index)


async def read_request(reader: asyncio.StreamReader) -> tuple[list[bytes], bytes]:
    """One request: its head lines and its (de-chunked) body."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")[:-2]
    fields = {line.split(b":", 1)[0].lower(): line.split(b":", 1)[1].strip() for line in lines[1:]}
    if b"content-length" in fields:
        return lines, await reader.readexactly(int(fields[b"content-length"]))
    body = b""
    if fields.get(b"transfer-encoding") == b"chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n"))[:-2], 16)
            body += await reader.readexactly(size + 2)
            if size == 0:
                return lines, body[:-2]
            body = body[:-2]
    return lines, body


def ok(body: bytes = b"ok", *extra: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n%s\r\n%s" % (len(body), b"".join(e + b"\r\n" for e in extra),
                                                                    body)


# -- against uvicorn ------------------------------------------------------------------------------


def test_requests_share_one_keep_alive_connection(run: Any, app_url: str) -> None:
    async def scenario() -> None:
        async with client() as c:
            for _ in range(5):
                response = await c.get(f"{app_url}/klein")
                assert response.status_code == 200
                assert response.json() == {"status": "ok"}
                assert response.http_version == "HTTP/1.1"
                assert response.reason_phrase == "OK"
            pool = c._transport._pool  # type: ignore[attr-defined]
            assert pool.total == 1
            assert pool.idle_count == 1

    run(scenario())


def test_concurrent_requests_open_connections_and_pool_them(run: Any, app_url: str) -> None:
    async def scenario() -> None:
        async with client(max_connections=4, max_keepalive_connections=2) as c:
            responses = await asyncio.gather(*(c.get(f"{app_url}/klein") for _ in range(20)))
            assert {r.status_code for r in responses} == {200}
            pool = c._transport._pool  # type: ignore[attr-defined]
            assert pool.total <= 2  # the idle ones beyond max_keepalive were closed
            assert pool.idle_count <= 2

    run(scenario())


def test_head_has_no_body_and_keeps_the_connection(run: Any, app_url: str) -> None:
    async def scenario() -> None:
        async with client() as c:
            head = await c.head(f"{app_url}/klein")
            assert head.status_code == 200
            assert head.headers["content-length"] == "15"
            assert head.content == b""
            assert (await c.get(f"{app_url}/klein")).json() == {"status": "ok"}
            assert c._transport._pool.total == 1  # type: ignore[attr-defined]

    run(scenario())


def test_a_streamed_request_body_goes_chunked(run: Any, app_url: str) -> None:
    async def scenario() -> None:
        sent = hashlib.sha256()

        async def body() -> AsyncIterator[bytes]:
            for index in range(20):
                chunk = bytes([index]) * 300_000
                sent.update(chunk)
                yield chunk

        async with client() as c:
            response = await c.post(f"{app_url}/echo", content=body())
            assert response.json() == {"size": 6_000_000, "sha256": sent.hexdigest(), "chunked": True}
            known = await c.post(f"{app_url}/echo", content=b"abc" * 1000)
            assert known.json()["size"] == 3000
            assert known.json()["chunked"] is False

    run(scenario())


def test_a_large_response_streams_with_bounded_buffering(run: Any, app_url: str) -> None:
    async def scenario() -> None:
        async with client() as c:
            size = 0
            digest = hashlib.sha256()
            async with c.stream("GET", f"{app_url}/groot", params={"mb": 64}) as response:
                [connection] = c._transport._pool.connections  # type: ignore[attr-defined]
                async for chunk in response.aiter_raw():
                    if size == 0:
                        # A consumer that lags: the transport stops reading instead of buffering 64 MiB.
                        await asyncio.sleep(0.3)
                        assert connection.reading_paused
                        assert connection.body_size <= transport_module._READ_HIGH_WATER + 2**20
                    size += len(chunk)
                    digest.update(chunk)
            assert size == 64 * 2**20
            assert digest.hexdigest() == hashlib.sha256(bytes(range(256)) * 4096 * 64).hexdigest()
            # Read to the end: the connection goes back to the pool.
            assert c._transport._pool.idle_count == 1  # type: ignore[attr-defined]

    run(scenario())


def test_connection_refused_is_connect_error(run: Any) -> None:
    async def scenario() -> None:
        async with client() as c:
            with pytest.raises(httpx.ConnectError):
                await c.get(f"http://127.0.0.1:{closed_port()}/")
            assert c._transport._pool.total == 0  # type: ignore[attr-defined]

    run(scenario())


# -- against raw servers ----------------------------------------------------------------------------


def test_an_idle_connection_the_server_closed_is_replaced(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)
        writer.write(ok())  # keep-alive by HTTP/1.1 default, then closed as an idle timeout would
        await writer.drain()

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            assert (await c.get(server.url)).text == "ok"
            for _ in range(100):  # until the loop has delivered the close to the idle connection
                if server.closed and c._transport._pool.idle_count == 0:  # type: ignore[attr-defined]
                    break
                await asyncio.sleep(0.01)
            assert c._transport._pool.idle_count == 0  # type: ignore[attr-defined]
            assert (await c.get(server.url)).text == "ok"
            assert server.accepted == 2

    run(scenario())


def test_an_idle_connection_reset_by_the_server_is_replaced(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, index: int) -> None:
        await read_request(reader)
        writer.write(ok(b"%d" % index))
        await writer.drain()
        if index == 0:
            writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()  # a reset, not a FIN
            return
        await reader.read()

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            assert (await c.get(server.url)).text == "0"
            await asyncio.sleep(0.05)
            assert (await c.get(server.url)).text == "1"
            assert server.accepted == 2

    run(scenario())


def test_a_connection_the_loop_closed_but_not_yet_reported_lost_is_not_used(run: Any) -> None:
    """On a reset the loop closes the transport at once and calls connection_lost an iteration
    later. Closing the transport and asking again without yielding puts the next request exactly
    in that window, where the connection still looks idle and alive."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, index: int) -> None:
        while True:
            await read_request(reader)
            writer.write(ok(b"%d" % index))
            await writer.drain()

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            assert (await c.get(server.url)).text == "0"
            [connection] = c._transport._pool.connections  # type: ignore[attr-defined]
            connection.transport.close()
            assert not connection.closed  # connection_lost has not run yet
            assert (await c.get(server.url)).text == "1"

    run(scenario())


def _dies_on_second_request(requests: list[tuple[int, bytes]]) -> Handler:
    """The keep-alive race: the connection looks idle and alive, but the server has closed it by the
    time the next request arrives (here: it reads that request and closes without an answer)."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, index: int) -> None:
        lines, body = await read_request(reader)
        requests.append((index, lines[0]))
        writer.write(ok())
        await writer.drain()
        if index == 0:
            lines, body = await read_request(reader)
            requests.append((index, lines[0]))
            writer.transport.abort()
            return
        while True:
            lines, body = await read_request(reader)
            requests.append((index, lines[0]))
            writer.write(ok())
            await writer.drain()

    return handler


def test_a_reused_connection_found_dead_is_retried_once_on_a_fresh_one(run: Any) -> None:
    async def scenario() -> None:
        requests: list[tuple[int, bytes]] = []
        async with RawServer(_dies_on_second_request(requests)) as server, client() as c:
            assert (await c.get(server.url + "/een")).text == "ok"
            assert (await c.get(server.url + "/twee")).text == "ok"
            assert requests == [(0, b"GET /een HTTP/1.1"), (0, b"GET /twee HTTP/1.1"), (1, b"GET /twee HTTP/1.1")]

    run(scenario())


def test_a_post_with_a_body_on_a_dead_reused_connection_is_not_repeated(run: Any) -> None:
    async def scenario() -> None:
        requests: list[tuple[int, bytes]] = []
        async with RawServer(_dies_on_second_request(requests)) as server, client() as c:
            assert (await c.get(server.url + "/een")).text == "ok"
            with pytest.raises(httpx.TransportError):
                await c.post(server.url + "/aanvraag", content=b'{"bedrag": 100}')
            # The server may have acted on it: the caller decides, not the transport.
            assert requests == [(0, b"GET /een HTTP/1.1"), (0, b"POST /aanvraag HTTP/1.1")]
            assert server.accepted == 1

    run(scenario())


def test_a_post_with_an_idempotency_key_on_a_dead_reused_connection_is_repeated(run: Any) -> None:
    async def scenario() -> None:
        requests: list[tuple[int, bytes]] = []
        async with RawServer(_dies_on_second_request(requests)) as server, client() as c:
            assert (await c.get(server.url + "/een")).text == "ok"
            response = await c.post(server.url + "/aanvraag", content=b'{"bedrag": 100}',
                                    headers={"Idempotency-Key": "3f1c"})
            assert response.text == "ok"
            assert requests == [(0, b"GET /een HTTP/1.1"), (0, b"POST /aanvraag HTTP/1.1"),
                                (1, b"POST /aanvraag HTTP/1.1")]

    run(scenario())


@pytest.mark.parametrize(("method", "headers", "resendable", "expected"), [
    ("GET", {}, True, True),
    ("PUT", {}, True, True),
    ("DELETE", {}, True, True),
    ("OPTIONS", {}, True, True),
    ("HEAD", {}, True, True),
    ("POST", {}, True, False),
    ("PATCH", {}, True, False),
    ("POST", {"Idempotency-Key": "k"}, True, True),
    ("PATCH", {"idempotency-key": "k"}, True, True),
    ("PUT", {}, False, False),  # a streamed body already partly sent cannot go again
])
def test_the_one_retry_rule(method: str, headers: dict[str, str], resendable: bool, expected: bool) -> None:
    request = httpx.Request(method, "http://upstream/x", headers=headers)
    assert transport_module.may_repeat(request, resendable) is expected


def test_a_fresh_connection_that_dies_without_an_answer_is_not_retried(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            with pytest.raises(httpx.RemoteProtocolError):
                await c.get(server.url)
            assert server.accepted == 1

    run(scenario())


def test_a_chunked_response_arrives_whole_and_keeps_the_connection(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        for _ in range(2):
            await read_request(reader)
            writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-type: text/plain\r\n\r\n")
            for part in (b"een ", b"twee ", b"drie"):
                writer.write(b"%x\r\n%s\r\n" % (len(part), part))
                await writer.drain()
                await asyncio.sleep(0.02)
            writer.write(b"0\r\n\r\n")
            await writer.drain()
        await reader.read()

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            for _ in range(2):
                async with c.stream("GET", server.url) as response:
                    assert "transfer-encoding" in response.headers
                    parts = [chunk async for chunk in response.aiter_raw()]
                assert b"".join(parts) == b"een twee drie"
                assert len(parts) > 1  # streamed as it came, not collected first
            assert server.accepted == 1

    run(scenario())


def test_a_body_until_close_ends_with_the_connection(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nzonder lengte")
        await writer.drain()

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            assert (await c.get(server.url)).text == "zonder lengte"
            assert c._transport._pool.total == 0  # type: ignore[attr-defined]

    run(scenario())


def test_an_informational_response_is_skipped(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\n" + ok(b"echt", b"x-echt: ja"))
        await writer.drain()
        await reader.read()

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            response = await c.get(server.url)
            assert response.status_code == 200
            assert response.text == "echt"
            assert "link" not in response.headers
            assert response.headers["x-echt"] == "ja"

    run(scenario())


def test_a_slow_server_is_read_timeout(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)
        await asyncio.sleep(2)

    async def scenario() -> None:
        async with RawServer(handler) as server, client(timeout=httpx.Timeout(5.0, read=0.2)) as c:
            started = asyncio.get_running_loop().time()
            with pytest.raises(httpx.ReadTimeout):
                await c.get(server.url)
            assert asyncio.get_running_loop().time() - started < 1.0
            assert c._transport._pool.total == 0  # type: ignore[attr-defined]

    run(scenario())


def test_a_body_that_stalls_is_read_timeout(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhalf")
        await writer.drain()
        await asyncio.sleep(2)

    async def scenario() -> None:
        async with RawServer(handler) as server, client(timeout=httpx.Timeout(5.0, read=0.2)) as c:
            async with c.stream("GET", server.url) as response:
                assert response.status_code == 200
                with pytest.raises(httpx.ReadTimeout):
                    await response.aread()

    run(scenario())


def test_a_body_cut_short_is_a_protocol_error(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhalf")
        await writer.drain()

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            with pytest.raises(httpx.RemoteProtocolError):
                await c.get(server.url)
            assert c._transport._pool.total == 0  # type: ignore[attr-defined]

    run(scenario())


@pytest.mark.parametrize("answer", [b"HTTP/1.1 2x0 OK\r\n\r\n", b"SSH-2.0-OpenSSH_9.6\r\n\r\n",
                                    b"HTTP/1.1 200 OK\r\ncontent-length: twee\r\n\r\n"])
def test_a_malformed_answer_is_a_protocol_error(run: Any, answer: bytes) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)
        writer.write(answer)
        await writer.drain()
        await reader.read()

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            with pytest.raises(httpx.RemoteProtocolError):
                await c.get(server.url)
            assert c._transport._pool.total == 0  # type: ignore[attr-defined]

    run(scenario())


def test_the_pool_limit_is_pool_timeout_and_a_freed_connection_is_handed_on(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        while True:
            await read_request(reader)
            writer.write(ok())
            await writer.drain()

    async def scenario() -> None:
        limits = {"max_connections": 1, "timeout": httpx.Timeout(5.0, pool=0.2)}
        async with RawServer(handler) as server, client(**limits) as c:
            async with c.stream("GET", server.url) as held:
                with pytest.raises(httpx.PoolTimeout):
                    await c.get(server.url)
                waiting = asyncio.ensure_future(c.get(server.url, timeout=httpx.Timeout(5.0)))
                await asyncio.sleep(0.05)
                assert not waiting.done()
                await held.aread()
            assert (await waiting).text == "ok"
            assert server.accepted == 1  # the waiter got the released connection itself

    run(scenario())


def test_a_full_pool_makes_room_by_closing_an_idle_connection_to_another_upstream(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        while True:
            await read_request(reader)
            writer.write(ok())
            await writer.drain()

    async def scenario() -> None:
        # A pool timeout shorter than the keep-alive expiry: only eviction can make room in time.
        limits = {"max_connections": 1, "keepalive_expiry": 30, "timeout": httpx.Timeout(5.0, pool=0.5)}
        async with RawServer(handler) as one, RawServer(handler) as two, client(**limits) as c:
            assert (await c.get(one.url)).text == "ok"
            assert (await c.get(two.url)).text == "ok"
            for _ in range(100):
                if one.closed:
                    break
                await asyncio.sleep(0.01)
            assert one.closed == [0]

    run(scenario())


def test_idle_connections_expire(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)
        writer.write(ok())
        await writer.drain()
        await reader.read()

    async def scenario() -> None:
        async with RawServer(handler) as server, client(keepalive_expiry=0.1) as c:
            await c.get(server.url)
            assert c._transport._pool.idle_count == 1  # type: ignore[attr-defined]
            await asyncio.sleep(0.4)
            assert server.closed == [0]
            assert c._transport._pool.total == 0  # type: ignore[attr-defined]

    run(scenario())


def test_a_slow_reader_upstream_is_write_timeout(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await reader.readuntil(b"\r\n\r\n")
        await asyncio.sleep(3)  # reads no body: the socket buffers fill up

    async def scenario() -> None:
        async def body() -> AsyncIterator[bytes]:
            for _ in range(512):
                yield b"x" * 2**20

        async with RawServer(handler) as server, client(timeout=httpx.Timeout(5.0, write=0.3)) as c:
            with pytest.raises(httpx.WriteTimeout):
                await c.post(server.url, content=body())

    run(scenario())


def test_a_header_with_a_line_break_is_refused(run: Any) -> None:
    async def scenario() -> None:
        async with client() as c:
            with pytest.raises(httpx.LocalProtocolError):
                await c.get(f"http://127.0.0.1:{closed_port()}/", headers={"x-a": "b\r\nx-sds-auth: vals"})

    run(scenario())
