"""What every service's HTTP API does, shown on the sample service built with the runtime."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx
from fastapi import Request
from sqlalchemy import func, select

from contracts.envelope import CloudEvent
from sds.runtime.db import idempotency_table, outbox_table
from sds.runtime.tracing import traced_client
from tests.runtime.conftest import auth_headers
from tests.support import sample_service

BASE = sample_service.PREFIX
GOOD = {"onderwerp": "huishoudelijke hulp", "aantal": 3, "datum": "2026-11-28"}


async def _count(app, table) -> int:  # type: ignore[no-untyped-def]
    async with app.state.db.transaction() as session:
        return (await session.execute(select(func.count()).select_from(table))).scalar_one()


def _assert_fout(response: httpx.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert {"type", "code", "title", "status", "detail", "instance"} <= body.keys()
    assert body["status"] == status
    if code:
        assert body["code"] == code
    return body


async def test_no_auth_context_is_401_fout(client: httpx.AsyncClient) -> None:
    _assert_fout(await client.get(f"{BASE}/notities"), 401, "not_authenticated")


async def test_auth_context_signed_with_another_secret_is_401(client: httpx.AsyncClient) -> None:
    forged = auth_headers(secret="a-secret-that-is-not-the-suites-own")
    _assert_fout(await client.get(f"{BASE}/notities", headers=forged), 401, "not_authenticated")
    _assert_fout(await client.get(f"{BASE}/notities", headers={"x-sds-auth": "not-a-token"}), 401)


async def test_every_response_has_api_version(client: httpx.AsyncClient) -> None:
    for response in (await client.get(f"{BASE}/notities"),
                     await client.get(f"{BASE}/notities", headers=auth_headers()),
                     await client.get("/health/live")):
        assert response.headers["api-version"] == "1.0.0"


async def test_invalid_body_is_400_validatiefout_and_stores_nothing(client, sample_app) -> None:  # type: ignore[no-untyped-def]
    bad = {"onderwerp": "", "aantal": -1, "datum": "gisteren", "onbekend": 1}
    body = _assert_fout(await client.post(f"{BASE}/notities", json=bad, headers=auth_headers()), 400, "invalid")
    params = {p["name"]: p["code"] for p in body["invalidParams"]}
    assert params == {"onderwerp": "min_length", "aantal": "min_value", "datum": "invalid",
                      "onbekend": "unknown-parameters"}
    missing = _assert_fout(await client.post(f"{BASE}/notities", json={}, headers=auth_headers()), 400)
    assert {p["name"] for p in missing["invalidParams"] if p["code"] == "required"} == {"onderwerp", "aantal", "datum"}
    assert await _count(sample_app, sample_service.notities) == 0
    assert await _count(sample_app, outbox_table(sample_service.metadata)) == 0


async def test_malformed_json_and_wrong_types_are_400(client: httpx.AsyncClient) -> None:
    headers = {**auth_headers(), "content-type": "application/json"}
    for raw in (b'{"onderwerp": ', b"[]", b"null", b"\xff\xfe", b'"tekst"'):
        _assert_fout(await client.post(f"{BASE}/notities", content=raw, headers=headers), 400)


async def test_invalid_query_and_path_params_are_400(client: httpx.AsyncClient) -> None:
    h = auth_headers()
    for query in ("page=0", "page=abc", "pageSize=0", "pageSize=-5", "onderwerp=" + "x" * 200):
        body = _assert_fout(await client.get(f"{BASE}/notities?{query}", headers=h), 400)
        assert body["invalidParams"], query
    body = _assert_fout(await client.get(f"{BASE}/notities/geen-uuid", headers=h), 400)
    assert body["invalidParams"][0]["name"] == "notitie_uuid"


async def test_create_returns_201_with_location_and_detail(client: httpx.AsyncClient) -> None:
    created = await client.post(f"{BASE}/notities", json=GOOD, headers=auth_headers())
    assert created.status_code == 201, created.text
    assert created.headers["location"] == created.json()["url"]
    detail = await client.get(f"{BASE}/notities/{created.json()['uuid']}", headers=auth_headers())
    assert detail.json() == created.json()
    missing = await client.get(f"{BASE}/notities/{'0' * 8}-0000-4000-8000-{'0' * 12}", headers=auth_headers())
    _assert_fout(missing, 404, "not_found")


async def test_list_pages_with_count_next_previous_and_capped_page_size(client: httpx.AsyncClient) -> None:
    h = auth_headers()
    for i in range(7):
        assert (await client.post(f"{BASE}/notities", json={**GOOD, "aantal": i}, headers=h)).status_code == 201
    first = (await client.get(f"{BASE}/notities?pageSize=3", headers=h)).json()
    assert first["count"] == 7 and len(first["results"]) == 3 and first["previous"] is None
    assert first["next"].endswith(f"{BASE}/notities?pageSize=3&page=2")
    last = (await client.get(f"{BASE}/notities?pageSize=3&page=3", headers=h)).json()
    assert [r["aantal"] for r in last["results"]] == [6] and last["next"] is None
    assert last["previous"].endswith("page=2")
    capped = (await client.get(f"{BASE}/notities?pageSize=100000", headers=h)).json()
    assert capped["count"] == 7 and len(capped["results"]) == 7  # capped at 50, all 7 fit
    _assert_fout(await client.get(f"{BASE}/notities?page=9", headers=h), 404)


async def test_page_size_cap_applies(client: httpx.AsyncClient) -> None:
    h = auth_headers()
    for i in range(55):
        await client.post(f"{BASE}/notities", json={**GOOD, "aantal": i}, headers=h)
    page = (await client.get(f"{BASE}/notities?pageSize=100000", headers=h)).json()
    assert page["count"] == 55 and len(page["results"]) == 50 and page["next"]


async def test_no_redirect_on_trailing_slash(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{BASE}/notities/", headers=auth_headers())
    assert response.status_code == 404
    assert "location" not in response.headers
    _assert_fout(response, 404)


async def test_unknown_method_is_405_problem(client: httpx.AsyncClient) -> None:
    _assert_fout(await client.delete(f"{BASE}/notities", headers=auth_headers()), 405, "method_not_allowed")


async def test_unhandled_error_is_500_problem_without_details(client, sample_app) -> None:  # type: ignore[no-untyped-def]
    async def broken() -> None:
        raise RuntimeError("an error the client must not see the details of")

    sample_app.router.add_api_route(f"{BASE}/kapot", broken)
    body = _assert_fout(await client.get(f"{BASE}/kapot", headers=auth_headers()), 500)
    assert "RuntimeError" not in json.dumps(body) and "must not see" not in json.dumps(body)


async def test_idempotency_key_replays_the_first_response(client, sample_app) -> None:  # type: ignore[no-untyped-def]
    h = {**auth_headers(), "Idempotency-Key": "aanvraag-42"}
    first = await client.post(f"{BASE}/notities", json=GOOD, headers=h)
    again = await client.post(f"{BASE}/notities", json=GOOD, headers=h)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert await _count(sample_app, sample_service.notities) == 1
    other = await client.post(f"{BASE}/notities", json={**GOOD, "aantal": 9}, headers=h)
    _assert_fout(other, 422, "idempotency-key-reused")
    # The key belongs to the client: another client with the same key creates its own.
    other_client = {**auth_headers(client_id="ander"), "Idempotency-Key": "aanvraag-42"}
    assert (await client.post(f"{BASE}/notities", json=GOOD, headers=other_client)).json() != first.json()
    assert await _count(sample_app, sample_service.notities) == 2


async def test_idempotency_key_answer_is_recorded_before_it_goes_out(sample_app) -> None:  # type: ignore[no-untyped-def]
    """A client that has the answer and asks again at once gets that answer, not "still running" or "effected"."""
    keys = idempotency_table(sample_service.metadata)
    seen: list[list[str]] = []
    body = json.dumps(GOOD).encode()
    headers = [(k.lower().encode(), v.encode()) for k, v in
               {**auth_headers(), "Idempotency-Key": "meteen-weer", "content-type": "application/json"}.items()]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": f"{BASE}/notities", "raw_path": f"{BASE}/notities".encode(), "query_string": b"",
             "root_path": "", "headers": headers, "client": ("127.0.0.1", 1), "server": ("testserver", 80)}

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            async with sample_app.state.db.transaction() as session:
                seen.append(list((await session.execute(select(keys.c.state))).scalars()))

    await sample_app(scope, receive, send)
    assert seen == [["done"]]


async def test_idempotency_key_in_use_is_409(client, sample_app) -> None:  # type: ignore[no-untyped-def]
    h = {**auth_headers(), "Idempotency-Key": "tegelijk"}
    sample_service.hold_create = asyncio.Event()
    try:
        first = asyncio.create_task(client.post(f"{BASE}/notities", json=GOOD, headers=h))
        await asyncio.sleep(0.3)
        _assert_fout(await client.post(f"{BASE}/notities", json=GOOD, headers=h), 409, "idempotency-key-in-use")
        sample_service.hold_create.set()
        assert (await first).status_code == 201
    finally:
        sample_service.hold_create = None
    assert (await client.post(f"{BASE}/notities", json=GOOD, headers=h)).status_code == 201
    assert await _count(sample_app, sample_service.notities) == 1


async def test_failed_request_frees_its_idempotency_key(client, sample_app) -> None:  # type: ignore[no-untyped-def]
    h = {**auth_headers(), "Idempotency-Key": "eerst-fout"}
    assert (await client.post(f"{BASE}/notities", json={}, headers=h)).status_code == 400
    # A 4xx is the answer to that body; the same body gets the same answer, another body is refused.
    assert (await client.post(f"{BASE}/notities", json={}, headers=h)).status_code == 400
    assert await _count(sample_app, sample_service.notities) == 0


async def test_request_id_and_traceparent_carried_into_response_and_event(client, sample_app) -> None:  # type: ignore[no-untyped-def]
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    h = {**auth_headers(), "traceparent": f"00-{trace_id}-00f067aa0ba902b7-01", "x-request-id": "req-123"}
    response = await client.post(f"{BASE}/notities", json=GOOD, headers=h)
    assert response.headers["x-request-id"] == "req-123"
    assert response.headers["traceparent"].split("-")[1] == trace_id
    outbox = outbox_table(sample_service.metadata)
    async with sample_app.state.db.transaction() as session:
        payload = (await session.execute(select(outbox.c.payload))).scalar_one()
    event = CloudEvent.from_json(payload)
    assert event.traceparent is not None and event.traceparent.split("-")[1] == trace_id
    assert event.subject == response.json()["uuid"]
    # Without incoming ids, new ones are made.
    fresh = await client.get("/health/live")
    assert len(fresh.headers["traceparent"].split("-")[1]) == 32 and fresh.headers["x-request-id"]


async def test_problem_instance_names_the_request(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{BASE}/notities", headers={"x-request-id": "req-abc"})
    assert response.json()["instance"] == "urn:uuid:req-abc"


async def test_json_log_line_per_request_without_query_string(client, caplog) -> None:  # type: ignore[no-untyped-def]
    from sds.runtime.logging import JsonFormatter

    with caplog.at_level(logging.INFO, logger="sds.http"):
        await client.get(f"{BASE}/notities?onderwerp=geheim", headers={**auth_headers(), "x-request-id": "log-1"})
    record = next(r for r in caplog.records if r.name == "sds.http")
    line = json.loads(JsonFormatter("proef").format(record))
    assert line["route"] == f"{BASE}/notities" and line["status"] == 200 and line["clientId"] == "test-client"
    assert "geheim" not in json.dumps(line)


async def test_metrics_count_requests_per_route(client: httpx.AsyncClient) -> None:
    await client.get(f"{BASE}/notities", headers=auth_headers())
    text = (await client.get("/metrics")).text
    assert 'sds_http_requests_total{method="GET",route="/proef/api/v1/notities",service="proef",status="200"}' in text


async def test_health_live_and_ready_without_nats(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health/live")).json()["status"] == "ok"
    ready = await client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json()["checks"] == {"database": "ok", "nats": "error: not connected"}


async def test_openapi_is_public_and_lists_the_api(client: httpx.AsyncClient) -> None:
    doc = (await client.get(f"{BASE}/openapi.json")).json()
    assert doc["info"]["title"] == "Proef API"
    assert doc["servers"][0]["url"].endswith(BASE) and "/notities" in doc["paths"]


async def test_rest_calls_from_a_service_carry_its_request_id_and_trace(client, sample_app) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, str] = {}

    async def downstream(request: httpx.Request) -> httpx.Response:
        seen.update(request.headers)
        return httpx.Response(200, json={})

    async def calls_another_service(request: Request) -> dict[str, str]:
        async with traced_client(transport=httpx.MockTransport(downstream)) as other:
            await other.get("http://klantgegevens.internal/klantgegevens/api/v1/huishoudens")
        return {}

    sample_app.router.add_api_route(f"{BASE}/doorgeven", calls_another_service)
    trace_id = "0af7651916cd43dd8448eb211c80319c"
    response = await client.get(f"{BASE}/doorgeven", headers={
        **auth_headers(), "x-request-id": "keten-1", "traceparent": f"00-{trace_id}-b7ad6b7169203331-01"})
    assert response.status_code == 200, response.text
    assert seen["x-request-id"] == "keten-1"
    assert seen["traceparent"].split("-")[1] == trace_id
    assert seen["traceparent"].split("-")[2] != "b7ad6b7169203331"  # a span of its own
