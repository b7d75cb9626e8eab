"""The proxy's HTTP client against real sockets: a uvicorn app, and raw asyncio servers that
misbehave on purpose for the protocol's edge cases.

Every scenario runs on the standard asyncio loop and on uvloop (what the gateway runs on under
uvicorn): the two loops deliver EOF, pause_reading and write buffering differently enough to matter.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import uvloop
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse
from multidict import CIMultiDict

from gateway.proxy import ClientGone
from gateway.upstream_client import (
    PoolExhausted,
    UpstreamBroken,
    UpstreamClient,
    UpstreamTimeout,
    UpstreamUnreachable,
    may_repeat,
)
from tests.gateway.conftest import closed_port
from tests.support.servers import serve

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter, int], Awaitable[None]]
TIMEOUTS: dict[str, float | None] = {"connect": 5.0, "read": 5.0, "write": 5.0, "pool": 5.0}
MB = bytes(range(256)) * 4096


@pytest.fixture(params=["asyncio", "uvloop"])
def run(request: pytest.FixtureRequest) -> Callable[[Coroutine[Any, Any, Any]], Any]:
    factory = uvloop.new_event_loop if request.param == "uvloop" else asyncio.new_event_loop

    def runner(coro: Coroutine[Any, Any, Any]) -> Any:
        with asyncio.Runner(loop_factory=factory) as loop_runner:
            return loop_runner.run(asyncio.wait_for(coro, 20))

    return runner


produced: list[int] = []


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/poort")
    async def port(request: Request) -> dict[str, int]:
        assert request.client is not None
        return {"poort": request.client.port}

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
                "chunked": request.headers.get("transfer-encoding") == "chunked",
                "headers": sorted(request.headers.keys())}

    @app.get("/groot")
    async def large(mb: int) -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            for index in range(mb):
                produced.append(index)
                yield MB

        return StreamingResponse(body(), media_type="application/octet-stream")

    return app


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    with serve(_app()) as url:
        yield url


@asynccontextmanager
async def client(max_connections: int = 100, keepalive_expiry: float = 30.0) -> AsyncIterator[UpstreamClient]:
    upstream = UpstreamClient(max_connections, keepalive_expiry)
    await upstream.open()
    try:
        yield upstream
    finally:
        await upstream.close()


async def get(c: UpstreamClient, url: str, headers: list[tuple[str, str]] | None = None,
              method: str = "GET", body: Any = None, timeouts: dict[str, float | None] | None = None) -> bytes:
    answer = await c.send(method, url, headers or [], body, timeouts or TIMEOUTS)
    try:
        return b"".join([chunk async for chunk in answer.chunks()])
    finally:
        await answer.aclose()


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


async def answers_every_request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
    while True:
        await read_request(reader)
        writer.write(ok())
        await writer.drain()


# -- against uvicorn ------------------------------------------------------------------------------


def test_requests_share_one_keep_alive_connection(run: Any, app_url: str) -> None:
    async def scenario() -> None:
        async with client() as c:
            ports = set()
            for _ in range(5):
                answer = await c.send("GET", f"{app_url}/poort", [], None, TIMEOUTS)
                assert answer.status == 200
                ports.add(b"".join([chunk async for chunk in answer.chunks()]))
                await answer.aclose()
            assert len(ports) == 1

    run(scenario())


def test_no_header_goes_upstream_that_the_caller_did_not_send(run: Any, app_url: str) -> None:
    async def scenario() -> None:
        async with client() as c:
            body = await get(c, f"{app_url}/echo", [("x-eigen", "1")], method="POST", body=b"abc")
            headers = json.loads(body)["headers"]
            assert headers == ["content-length", "host", "x-eigen"]

    run(scenario())


def test_head_has_no_body_and_keeps_the_connection(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        lines, _ = await read_request(reader)
        assert lines[0].startswith(b"HEAD ")
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 15\r\n\r\n")
        await answers_every_request(reader, writer, _index)

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            answer = await c.send("HEAD", server.url, [], None, TIMEOUTS)
            assert answer.status == 200
            assert (b"content-length", b"15") in [(k.lower(), v) for k, v in answer.headers]
            assert [chunk async for chunk in answer.chunks()] == []
            await answer.aclose()
            assert await get(c, server.url) == b"ok"
            assert server.accepted == 1

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
            echoed = json.loads(await get(c, f"{app_url}/echo", method="POST", body=body()))
            assert (echoed["size"], echoed["sha256"], echoed["chunked"]) == (6_000_000, sent.hexdigest(), True)
            known = json.loads(await get(c, f"{app_url}/echo", method="POST", body=b"abc" * 1000))
            assert (known["size"], known["chunked"]) == (3000, False)

    run(scenario())


def test_a_large_response_streams_with_bounded_buffering(run: Any, app_url: str) -> None:
    async def scenario() -> None:
        produced.clear()
        async with client() as c:
            size = 0
            digest = hashlib.sha256()
            answer = await c.send("GET", f"{app_url}/groot?mb=64", [], None, TIMEOUTS)
            async for chunk in answer.chunks():
                if size == 0:
                    # A consumer that lags: the client stops reading instead of buffering 64 MiB,
                    # and the upstream stops with it (what is out is in the sockets' buffers).
                    await asyncio.sleep(0.5)
                    assert len(produced) < 24
                size += len(chunk)
                digest.update(chunk)
            await answer.aclose()
            assert size == 64 * 2**20
            assert digest.hexdigest() == hashlib.sha256(MB * 64).hexdigest()

    run(scenario())


def test_connection_refused_is_unreachable(run: Any) -> None:
    async def scenario() -> None:
        async with client() as c:
            with pytest.raises(UpstreamUnreachable):
                await c.send("GET", f"http://127.0.0.1:{closed_port()}/", [], None, TIMEOUTS)

    run(scenario())


# -- against raw servers ----------------------------------------------------------------------------


def test_an_idle_connection_the_server_closed_is_replaced(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)
        writer.write(ok())  # keep-alive by HTTP/1.1 default, then closed as an idle timeout would
        await writer.drain()

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            assert await get(c, server.url) == b"ok"
            for _ in range(100):
                if server.closed:
                    break
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)
            assert await get(c, server.url) == b"ok"
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
            assert await get(c, server.url) == b"0"
            await asyncio.sleep(0.05)
            assert await get(c, server.url) == b"1"
            assert server.accepted == 2

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
            assert await get(c, server.url + "/een") == b"ok"
            assert await get(c, server.url + "/twee") == b"ok"
            assert requests == [(0, b"GET /een HTTP/1.1"), (0, b"GET /twee HTTP/1.1"), (1, b"GET /twee HTTP/1.1")]

    run(scenario())


def test_a_post_with_a_body_on_a_dead_reused_connection_is_not_repeated(run: Any) -> None:
    async def scenario() -> None:
        requests: list[tuple[int, bytes]] = []
        async with RawServer(_dies_on_second_request(requests)) as server, client() as c:
            assert await get(c, server.url + "/een") == b"ok"
            with pytest.raises(UpstreamBroken):
                await get(c, server.url + "/aanvraag", method="POST", body=b'{"bedrag": 100}')
            # The server may have acted on it: the caller decides, not the client.
            assert requests == [(0, b"GET /een HTTP/1.1"), (0, b"POST /aanvraag HTTP/1.1")]
            assert server.accepted == 1

    run(scenario())


def test_a_post_with_an_idempotency_key_on_a_dead_reused_connection_is_repeated(run: Any) -> None:
    async def scenario() -> None:
        requests: list[tuple[int, bytes]] = []
        async with RawServer(_dies_on_second_request(requests)) as server, client() as c:
            assert await get(c, server.url + "/een") == b"ok"
            answer = await get(c, server.url + "/aanvraag", [("Idempotency-Key", "3f1c")], method="POST",
                               body=b'{"bedrag": 100}')
            assert answer == b"ok"
            assert requests == [(0, b"GET /een HTTP/1.1"), (0, b"POST /aanvraag HTTP/1.1"),
                                (1, b"POST /aanvraag HTTP/1.1")]

    run(scenario())


def test_a_streamed_put_on_a_dead_reused_connection_is_not_repeated(run: Any) -> None:
    async def scenario() -> None:
        requests: list[tuple[int, bytes]] = []

        async def body() -> AsyncIterator[bytes]:
            yield b"deel een"
            yield b"deel twee"

        async with RawServer(_dies_on_second_request(requests)) as server, client() as c:
            assert await get(c, server.url + "/een") == b"ok"
            with pytest.raises(UpstreamBroken):
                await get(c, server.url + "/document", method="PUT", body=body())
            assert server.accepted == 1  # what was pulled from the caller cannot be sent again

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
    ("PUT", {}, False, False),  # a streamed body cannot go again
])
def test_the_one_retry_rule(method: str, headers: dict[str, str], resendable: bool, expected: bool) -> None:
    assert may_repeat(method, CIMultiDict(headers), resendable) is expected


def test_a_fresh_connection_that_dies_without_an_answer_is_not_retried(run: Any) -> None:
    """Also the check that aiohttp's own retry is off (it would repeat this GET)."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            with pytest.raises(UpstreamBroken):
                await get(c, server.url)
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
                answer = await c.send("GET", server.url, [], None, TIMEOUTS)
                parts = [chunk async for chunk in answer.chunks()]
                await answer.aclose()
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
            assert await get(c, server.url) == b"zonder lengte"
            assert await get(c, server.url) == b"zonder lengte"
            assert server.accepted == 2

    run(scenario())


def test_an_informational_response_is_skipped(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\n" + ok(b"echt", b"x-echt: ja"))
        await writer.drain()
        await reader.read()

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            answer = await c.send("GET", server.url, [], None, TIMEOUTS)
            assert answer.status == 200
            names = {k.lower() for k, _ in answer.headers}
            assert b"x-echt" in names and b"link" not in names
            assert b"".join([chunk async for chunk in answer.chunks()]) == b"echt"
            await answer.aclose()

    run(scenario())


def test_a_slow_server_is_a_timeout(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)
        await asyncio.sleep(2)

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            started = asyncio.get_running_loop().time()
            with pytest.raises(UpstreamTimeout):
                await get(c, server.url, timeouts={**TIMEOUTS, "read": 0.2})
            assert asyncio.get_running_loop().time() - started < 1.0

    run(scenario())


def test_a_body_that_stalls_is_a_timeout(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhalf")
        await writer.drain()
        await asyncio.sleep(2)

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            answer = await c.send("GET", server.url, [], None, {**TIMEOUTS, "read": 0.2})
            assert answer.status == 200
            with pytest.raises(UpstreamTimeout):
                async for _chunk in answer.chunks():
                    pass
            await answer.aclose()

    run(scenario())


def test_a_body_cut_short_is_broken(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhalf")
        await writer.drain()

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            with pytest.raises(UpstreamBroken):
                await get(c, server.url)

    run(scenario())


@pytest.mark.parametrize("answer", [b"HTTP/1.1 2x0 OK\r\n\r\n", b"SSH-2.0-OpenSSH_9.6\r\n\r\n",
                                    b"HTTP/1.1 200 OK\r\ncontent-length: twee\r\n\r\n"])
def test_a_malformed_answer_is_broken(run: Any, answer: bytes) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)
        writer.write(answer)
        await writer.drain()
        await reader.read()

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            with pytest.raises(UpstreamBroken):
                await get(c, server.url)

    run(scenario())


def test_the_pool_limit_is_pool_exhausted_and_a_freed_connection_is_handed_on(run: Any) -> None:
    rest = asyncio.Event()

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, index: int) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nha")
        await writer.drain()
        await rest.wait()  # the answer holds its connection until its body is in
        writer.write(b"lf")
        await answers_every_request(reader, writer, index)

    async def scenario() -> None:
        async with RawServer(handler) as server, client(max_connections=1) as c:
            held = await c.send("GET", server.url, [], None, TIMEOUTS)
            with pytest.raises(PoolExhausted):
                # aiohttp has one deadline for the wait and the connect: pool + connect.
                await c.send("GET", server.url, [], None, {**TIMEOUTS, "pool": 0.2, "connect": 0.2})
            waiting = asyncio.ensure_future(get(c, server.url))
            await asyncio.sleep(0.05)
            assert not waiting.done()
            rest.set()
            assert b"".join([chunk async for chunk in held.chunks()]) == b"half"
            await held.aclose()
            assert await waiting == b"ok"
            assert server.accepted == 1  # the waiter got the released connection itself

    run(scenario())


def test_a_connect_that_hangs_is_a_timeout_not_the_pool(run: Any) -> None:
    async def scenario() -> None:
        # A non-routable address (RFC 5737 TEST-NET-1): the SYN goes unanswered.
        async with client() as c:
            started = asyncio.get_running_loop().time()
            with pytest.raises((UpstreamTimeout, UpstreamUnreachable)) as raised:
                await c.send("GET", "http://192.0.2.1:81/", [], None, {**TIMEOUTS, "connect": 0.2})
            assert not isinstance(raised.value, PoolExhausted)
            assert asyncio.get_running_loop().time() - started < 2.0

    run(scenario())


def test_idle_connections_expire(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)
        writer.write(ok())
        await writer.drain()
        await reader.read()

    async def scenario() -> None:
        async with RawServer(handler) as server, client(keepalive_expiry=0.2) as c:
            await get(c, server.url)
            await asyncio.sleep(0.1)
            assert server.closed == []
            for _ in range(200):
                if server.closed:
                    break
                await asyncio.sleep(0.01)
            assert server.closed == [0]

    run(scenario())


def test_a_slow_reader_upstream_is_a_write_timeout(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await reader.readuntil(b"\r\n\r\n")
        await asyncio.sleep(3)  # reads no body: the socket buffers fill up

    async def scenario() -> None:
        async def body() -> AsyncIterator[bytes]:
            for _ in range(512):
                yield b"x" * 2**20

        async with RawServer(handler) as server, client() as c:
            started = asyncio.get_running_loop().time()
            with pytest.raises(UpstreamTimeout):
                await get(c, server.url, method="POST", body=body(), timeouts={**TIMEOUTS, "write": 0.3})
            assert asyncio.get_running_loop().time() - started < 2.0

    run(scenario())


def test_a_caller_gone_mid_body_comes_out_as_itself(run: Any) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        await read_request(reader)

    async def scenario() -> None:
        async def body() -> AsyncIterator[bytes]:
            yield b"begin"
            raise ClientGone()

        async with RawServer(handler) as server, client() as c:
            with pytest.raises(ClientGone):
                await get(c, server.url, method="PUT", body=body())

    run(scenario())


def test_a_header_with_a_line_break_is_never_sent(run: Any) -> None:
    received: list[bytes] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _index: int) -> None:
        received.append(await reader.read())

    async def scenario() -> None:
        async with RawServer(handler) as server, client() as c:
            with pytest.raises((ValueError, UpstreamBroken)):
                await get(c, server.url, [("x-a", "b\r\nx-sds-auth: vals")])
            for _ in range(100):
                if server.closed or not server.accepted:
                    break
                await asyncio.sleep(0.01)
            assert b"x-sds-auth" not in b"".join(received)

    run(scenario())
