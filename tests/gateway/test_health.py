"""Suite health through the gateway: each part reported, 503 as soon as one is not ready."""

from __future__ import annotations

import asyncio
import time

import httpx
from fastapi import FastAPI

from gateway.app import create_app
from tests.gateway.conftest import gateway_settings, serve


async def test_health_reports_each_part_and_is_503_when_one_is_down(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    parts = body["parts"]
    assert set(parts) == {"intake", "zaken", "klantgegevens", "financien", "beleidsinfo", "notificaties", "documenten"}
    assert parts["financien"]["status"] == "unavailable"
    assert "niet bereikbaar" in parts["financien"]["error"]
    for name in ("intake", "zaken", "klantgegevens", "beleidsinfo"):
        assert parts[name]["status"] == "ok", parts[name]
        assert parts[name]["checks"] == {"database": "ok", "nats": "ok"}


async def test_health_is_200_when_every_part_is_ready(upstream_url: str) -> None:
    with serve(create_app(gateway_settings(upstream_url))) as url:
        async with httpx.AsyncClient(base_url=url, trust_env=False) as client:
            response = await client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert {part["status"] for part in response.json()["parts"].values()} == {"ok"}


async def test_a_hanging_part_costs_the_health_timeout_not_more(upstream_url: str) -> None:
    hanging = FastAPI()

    @hanging.get("/health/ready")
    async def never_ready() -> dict[str, str]:
        await asyncio.sleep(2)
        return {"status": "ok"}

    with serve(hanging) as hanging_url:
        settings = gateway_settings(upstream_url, upstream_zaken=hanging_url, upstream_intake=hanging_url,
                                    health_timeout=0.3)
        with serve(create_app(settings)) as url:
            async with httpx.AsyncClient(base_url=url, trust_env=False) as client:
                started = time.perf_counter()
                response = await client.get("/health")
                elapsed = time.perf_counter() - started
    assert response.status_code == 503
    parts = response.json()["parts"]
    assert parts["zaken"]["status"] == parts["intake"]["status"] == "unavailable"
    assert parts["klantgegevens"]["status"] == "ok"
    # Both hanging parts were asked at once.
    assert elapsed < 0.9


async def test_live_and_ready_are_about_the_gateway_itself(client: httpx.AsyncClient) -> None:
    live = await client.get("/health/live")
    assert live.status_code == 200
    assert live.json() == {"status": "ok", "service": "gateway"}
    # Ready although financien is down: that is /health's business, not a reason to stop routing.
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert live.headers["api-version"]
