"""Bad input to any endpoint of any service: 400 ValidatieFout (or another 4xx), never a 5xx.

Walks every route each service app registers, so each endpoint a later change adds is
covered without a test of its own having to remember it.
"""

from __future__ import annotations

import importlib
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from sds.runtime.db import create_engine
from sds.runtime.settings import ServiceSettings
from tests.runtime.conftest import auth_headers
from tests.support import sample_service
from tests.support.databases import fresh_database_url

SERVICES = ["intake", "zaken", "klantgegevens", "financien", "beleidsinfo", "notificaties", "documenten"]
GARBAGE_PATH = ["%00", "-1", "x" * 300, "niet-een-uuid", "1e309"]
GARBAGE_QUERY = ["", "-1", "0", "x" * 300, "[]", "2026-13-45", "%00"]
GARBAGE_BODIES: list[bytes] = [b"", b"{", b"[]", b"null", b"123", b'"x"', b'{"a": {"b": [1, {"c": null}]}}',
                               b'{"' + b"x" * 5000 + b'": 1}', b"\xff\xfe\x00"]


def _factory(name: str) -> Any:
    if name == "proef":
        return sample_service.create_app
    return importlib.import_module(f"services.{name}.app").create_app


async def _requests(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue  # health and metrics take no input (and /health/ready is 503 here on purpose)
        query_names = [p.alias for p in route.dependant.query_params]
        for method in context.methods or ():
            for value, qvalue, body in _all_pairs(method in ("POST", "PUT", "PATCH")):
                path = context.path_format
                for param in route.dependant.path_params:
                    path = path.replace("{" + param.name + "}", value)
                params = {name: qvalue for name in query_names}
                if body is None:
                    out.append((method, path, {"params": params}))
                else:
                    out.append((method, path, {"params": params, "content": body,
                                               "headers": {"content-type": "application/json"}}))
    return out


def _all_pairs(with_body: bool) -> list[tuple[str, str, bytes | None]]:
    """Every pair of garbage values of any two of path, query and body, each at least once, without the whole
    product: query × body in full, the path value cycling along (5 and 9 are coprime, so it meets every body and,
    within each query value's run of 9, every query value)."""
    if not with_body:
        return [(p, q, None) for p in GARBAGE_PATH for q in GARBAGE_QUERY]
    combos = [(q, b) for q in GARBAGE_QUERY for b in GARBAGE_BODIES]
    return [(GARBAGE_PATH[i % len(GARBAGE_PATH)], q, b) for i, (q, b) in enumerate(combos)]


def test_the_walk_covers_every_pair_of_garbage_values() -> None:
    triples = _all_pairs(with_body=True)
    assert {(p, q) for p, q, _ in triples} == {(p, q) for p in GARBAGE_PATH for q in GARBAGE_QUERY}
    assert {(p, b) for p, _, b in triples} == {(p, b) for p in GARBAGE_PATH for b in GARBAGE_BODIES}
    assert {(q, b) for _, q, b in triples} == {(q, b) for q in GARBAGE_QUERY for b in GARBAGE_BODIES}


@pytest.mark.parametrize("service", [*SERVICES, "proef"])
async def test_garbage_to_every_route_is_a_4xx_problem(service: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    create_app = _factory(service)
    async with fresh_database_url(tmp_path, service) as url:
        settings = ServiceSettings(service=service, env="dev", database_url=url, nats_url="nats://127.0.0.1:1")
        app = create_app(settings)
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(app.state.metadata.create_all)
        await engine.dispose()
        seen_routes = 0
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                for method, path, kwargs in await _requests(app):
                    seen_routes += 1
                    headers = {**kwargs.pop("headers", {}), **auth_headers()}
                    response = await client.request(method, path, headers=headers, **kwargs)
                    assert response.status_code < 500, (method, path, kwargs, response.text)
                    if response.status_code >= 400:
                        assert response.headers["content-type"] == "application/problem+json", (method, path)
                    if response.status_code == 400 and method != "HEAD":  # an answer to HEAD has no body
                        assert response.json().get("invalidParams"), (method, path, kwargs, response.text)
        if service == "proef":
            assert seen_routes > 100  # the walk does reach the routes
