"""The proxy: what arrives upstream, what comes back, and what happens when an upstream fails."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import logging
import re
import time
import uuid

import aiohttp
import httpx

from gateway.accesslog import AccessLog
from gateway.app import create_app
from gateway.proxy import DiscardedCookies
from sds.runtime.tracing import parse_traceparent
from tests.gateway import upstream
from tests.gateway.conftest import CLIENT_ID, SLOW_UPSTREAM_TIMEOUT, bearer, closed_port, gateway_settings, serve


def _seen(response: httpx.Response) -> dict:
    return upstream.seen[response.headers["x-request-id"]]


def _header(seen: dict, name: str) -> list[str]:
    return [v for k, v in seen["headers"] if k == name]


def assert_fout(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert {"type", "code", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == status
    assert body["code"] == code
    assert response.headers["api-version"]
    assert body["instance"] == f"urn:uuid:{response.headers['x-request-id']}"


async def test_request_id_and_traceparent_arrive_upstream(client: httpx.AsyncClient) -> None:
    trace_id, span_id = uuid.uuid4().hex, uuid.uuid4().hex[:16]
    response = await client.get("/intake/api/v1/aanvragen", headers={
        **bearer(), "x-request-id": "verzoek-42", "traceparent": f"00-{trace_id}-{span_id}-01"})
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "verzoek-42"
    seen = upstream.seen["verzoek-42"]
    assert _header(seen, "x-request-id") == ["verzoek-42"]
    [traceparent] = _header(seen, "traceparent")
    forwarded = parse_traceparent(traceparent)
    assert forwarded is not None
    assert forwarded.trace_id == trace_id  # one trace across the hop
    assert forwarded.span_id != span_id  # the gateway is a span of its own


async def test_request_id_and_traceparent_are_created_when_missing(client: httpx.AsyncClient) -> None:
    response = await client.get("/intake/api/v1/aanvragen", headers=bearer())
    assert response.status_code == 200
    seen = _seen(response)
    [request_id] = _header(seen, "x-request-id")
    assert uuid.UUID(request_id)
    [traceparent] = _header(seen, "traceparent")
    assert parse_traceparent(traceparent) is not None


async def test_status_headers_body_and_query_pass_through(client: httpx.AsyncClient) -> None:
    response = await client.post("/zaken/api/v1/zaken?status=201&naam=de%20Vries&x=%2F",
                                 headers=bearer(), json={"omschrijving": "test"})
    assert response.status_code == 201
    seen = response.json()
    assert seen["method"] == "POST"
    assert seen["query"] == "status=201&naam=de%20Vries&x=%2F"
    assert seen["bodyLength"] == len(b'{"omschrijving":"test"}')
    assert response.headers["x-eigen"] == "van-de-dienst"
    # The service's own API-Version wins; the gateway adds one only where it is missing.
    assert response.headers.get_list("api-version") == [upstream.API_VERSION]


async def test_the_path_reaches_the_service_as_sent(client: httpx.AsyncClient) -> None:
    response = await client.get("/klantgegevens/api/v1/personen/a%2Fb/%C3%A9", headers=bearer())
    assert response.status_code == 200
    assert response.json()["rawPath"] == "/klantgegevens/api/v1/personen/a%2Fb/%C3%A9"


async def test_no_redirect_on_a_trailing_slash(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaken/api/v1/zaken/", headers=bearer())
    assert response.status_code == 200
    assert response.json()["rawPath"] == "/zaken/api/v1/zaken/"


async def test_a_redirect_is_passed_on_not_followed(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaken/api/v1/omleiding", headers=bearer())
    assert response.status_code == 307
    assert response.headers["location"] == "/elders"


async def test_hop_by_hop_headers_stay_at_the_gateway(client: httpx.AsyncClient) -> None:
    response = await client.get("/intake/api/v1/aanvragen", headers={
        **bearer(), "connection": "keep-alive, x-alleen-deze-verbinding", "x-alleen-deze-verbinding": "1",
        "proxy-authorization": "Basic abc", "te": "trailers", "x-gewoon": "door"})
    assert response.status_code == 200
    names = {k for k, _ in _seen(response)["headers"]}
    assert "x-gewoon" in names
    assert not names & {"x-alleen-deze-verbinding", "proxy-authorization", "te"}
    assert _header(_seen(response), "connection") != ["keep-alive, x-alleen-deze-verbinding"]


async def test_upstream_down_is_502_fout(client: httpx.AsyncClient) -> None:
    response = await client.get("/financien/api/v1/budgetten", headers=bearer())
    assert_fout(response, 502, "bad_gateway")
    assert "financien" in response.json()["detail"]


async def test_upstream_too_slow_is_504_fout(client: httpx.AsyncClient) -> None:
    started = time.perf_counter()
    response = await client.get("/klantgegevens/api/v1/traag", params={"s": 2}, headers=bearer())
    assert_fout(response, 504, "gateway_timeout")
    assert time.perf_counter() - started < 1.5


async def test_read_timeouts_are_per_upstream(client: httpx.AsyncClient) -> None:
    # Slower than klantgegevens may be, well within the default for intake.
    response = await client.get("/intake/api/v1/traag", params={"s": SLOW_UPSTREAM_TIMEOUT * 2},
                                headers=bearer())
    assert response.status_code == 200


async def test_a_large_response_is_streamed(client: httpx.AsyncClient) -> None:
    upstream.first_chunk_sent_on.clear()
    upstream.release_rest.clear()
    size = 0
    digest = hashlib.sha256()
    async with client.stream("GET", "/zaken/api/v1/groot", params={"mb": 16, "wacht": "true"},
                             headers=bearer()) as response:
        assert response.status_code == 200
        assert response.headers["content-length"] == str(16 * 2**20)
        async for chunk in response.aiter_raw():
            if size == 0:
                # We hold bytes while the service still holds the rest: nothing buffered the body.
                upstream.release_rest.set()
            size += len(chunk)
            digest.update(chunk)
    assert size == 16 * 2**20
    assert digest.hexdigest() == hashlib.sha256(bytes(range(256)) * 4096 * 16).hexdigest()
    assert _seen(response)["released"] is True


async def test_a_large_request_body_is_streamed(client: httpx.AsyncClient) -> None:
    upstream.first_chunk_received.clear()
    chunk = b"x" * 2**20
    sent = hashlib.sha256()
    released = []

    async def body():  # type: ignore[no-untyped-def]
        sent.update(chunk)
        yield chunk
        # The service has bytes before we have sent the rest: the gateway did not wait for all of it.
        released.append(await asyncio.to_thread(upstream.first_chunk_received.wait, 5))
        for _ in range(7):
            sent.update(chunk)
            yield chunk

    response = await client.post("/intake/api/v1/upload", content=body(), headers=bearer())
    assert response.status_code == 200, response.text
    assert released == [True]
    assert response.json()["size"] == 8 * 2**20
    assert response.json()["sha256"] == sent.hexdigest()


async def test_paths_outside_the_services_are_the_gateways_own(client: httpx.AsyncClient) -> None:
    response = await client.get("/onbekend/api/v1/iets", headers=bearer())
    assert_fout(response, 404, "not_found")


async def test_metrics_count_per_upstream(client: httpx.AsyncClient) -> None:
    await client.get("/financien/api/v1/budgetten", headers=bearer())
    await client.get("/zaken/api/v1/zaken", headers=bearer())
    text = (await client.get("/metrics")).text
    ok_zaken = r'sds_gateway_upstream_requests_total\{method="GET",status="200",upstream="zaken"\} [1-9]'
    assert re.search(ok_zaken, text)
    assert re.search(r'sds_gateway_upstream_errors_total\{kind="connect",upstream="financien"\} [1-9]', text)
    assert re.search(r'sds_gateway_upstream_duration_seconds_count\{upstream="zaken"\} [1-9]', text)


async def test_a_services_cookie_goes_to_the_caller_and_stays_out_of_the_shared_client(upstream_url: str) -> None:
    proxy = create_app(gateway_settings(upstream_url))
    with serve(proxy) as url:
        async with httpx.AsyncClient(base_url=url, trust_env=False) as caller:
            response = await caller.get("/zaken/api/v1/koekje", headers=bearer())
        async with httpx.AsyncClient(base_url=url, trust_env=False) as other_caller:
            again = await other_caller.get("/zaken/api/v1/zaken", headers=bearer())
        shared = proxy.pool.client
        assert isinstance(shared.cookies, DiscardedCookies)
        assert list(shared.cookies.jar) == []
        session = proxy.pool.upstream.session  # type: ignore[union-attr]
        assert isinstance(session.cookie_jar, aiohttp.DummyCookieJar)
        assert len(session.cookie_jar) == 0
    assert response.status_code == 200
    assert response.headers["set-cookie"].startswith("sessie=van-een-gebruiker")
    # The next caller's request carries no cookie the gateway picked up along the way.
    assert _header(_seen(again), "cookie") == []


async def test_one_json_line_per_proxied_request_without_path_or_query(upstream_url: str) -> None:
    proxy = create_app(gateway_settings(upstream_url, upstream_financien=f"http://127.0.0.1:{closed_port()}"))
    lines = io.StringIO()
    proxy.access_log = AccessLog("gateway", logging.getLogger("sds.gateway"), stream=lines)
    with serve(proxy) as url:
        async with httpx.AsyncClient(base_url=url, trust_env=False) as caller:
            ok = await caller.get("/zaken/api/v1/zaken/geheim-bsn?bsn=123456782",
                                  headers={**bearer(), "traceparent": f"00-{'a' * 32}-{'b' * 16}-01"})
            down = await caller.get("/financien/api/v1/budgetten", headers=bearer())
            refused = await caller.get("/intake/api/v1/aanvragen")
    proxy.access_log.flush()
    entries = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert [(e["upstream"], e["status"]) for e in entries] == [("zaken", 200), ("financien", 502), ("intake", 401)]
    first = entries[0]
    assert first["requestId"] == ok.headers["x-request-id"]
    assert first["traceId"] == "a" * 32
    assert first["clientId"] == CLIENT_ID
    assert first["message"] == "GET /zaken 200"
    assert first["level"] == "INFO" and first["service"] == "gateway" and first["logger"] == "sds.gateway"
    assert isinstance(first["durationMs"], float)
    assert "geheim" not in lines.getvalue() and "123456782" not in lines.getvalue()
    assert entries[1]["requestId"] == down.headers["x-request-id"]
    assert entries[2]["requestId"] == refused.headers["x-request-id"]
    assert entries[2]["clientId"] is None
