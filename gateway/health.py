"""Health: ``/health/live`` for the gateway process, ``/health`` for the whole suite.

``/health`` asks every service's ``/health/ready`` at once, each with a short timeout, so one
hanging service costs the caller ``health_timeout`` at most, not the sum.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gateway.routing import Upstream
from sds.runtime.tracing import outgoing_headers

router = APIRouter(include_in_schema=False)


@router.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok", "service": "gateway"}


@router.get("/health/ready")
async def ready(request: Request) -> JSONResponse:
    # Ready means: the gateway can take traffic. An upstream being down is /health's business;
    # taking the gateway out of the load balancer for it would make every other part unreachable too.
    pool_open = request.app.state.pool.is_open
    return JSONResponse({"status": "ok" if pool_open else "unavailable", "service": "gateway"},
                        status_code=200 if pool_open else 503)


@router.get("/health")
async def suite_health(request: Request) -> JSONResponse:
    parts = await suite_parts(request.app.state)
    healthy = all(part["status"] == "ok" for part in parts.values())
    body = {"status": "ok" if healthy else "degraded", "parts": parts}
    return JSONResponse(body, status_code=200 if healthy else 503)


async def suite_parts(state: Any) -> dict[str, dict[str, Any]]:
    """Each service's (and per-cluster instance's) readiness, asked at once: name -> what it answered."""
    upstreams: dict[str, Upstream] = dict(state.upstreams)
    if state.clusters is not None:
        # A service's instance per cluster is part of the suite too; an external party is not ours to judge.
        upstreams.update({u.name: u for u in state.clusters.instances.values()})
    timeout = state.settings.health_timeout
    names = list(upstreams)
    results = await asyncio.gather(*(
        _check(state.pool.client, upstreams[name], timeout) for name in names
    ))
    return dict(zip(names, results, strict=True))


async def _check(client: httpx.AsyncClient, upstream: Upstream, limit: float) -> dict[str, Any]:
    started = time.perf_counter()
    part: dict[str, Any] = {"url": upstream.base_url}
    try:
        response = await client.get(f"{upstream.base_url}/health/ready", timeout=limit,
                                    headers=outgoing_headers())
    except httpx.TimeoutException:
        part.update(status="unavailable", error=f"geen antwoord binnen {limit:g} s")
    except httpx.TransportError as exc:
        part.update(status="unavailable", error=f"niet bereikbaar ({type(exc).__name__})")
    else:
        part["status"] = "ok" if response.status_code == 200 else "unavailable"
        part["httpStatus"] = response.status_code
        try:
            data = response.json()
        except ValueError:
            data = None
        checks = data.get("checks") if isinstance(data, dict) else None
        if isinstance(checks, dict):
            part["checks"] = checks
    part["durationMs"] = round((time.perf_counter() - started) * 1000, 1)
    return part
