"""``/health/live`` (the process answers) and ``/health/ready`` (its database and NATS answer)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(include_in_schema=False)


@router.get("/health/live")
async def live(request: Request) -> dict[str, str]:
    return {"status": "ok", "service": request.app.state.settings.service}


async def readiness(app: Any) -> dict[str, Any]:
    checks: dict[str, str] = {}
    try:
        await asyncio.wait_for(app.state.db.ping(), timeout=2)
        checks["database"] = "ok"
    except Exception as exc:  # any failure means "not ready", with the reason shown
        checks["database"] = f"error: {type(exc).__name__}"
    bus = getattr(app.state, "bus", None)
    checks["nats"] = "ok" if bus is not None and bus.is_connected else "error: not connected"
    return checks


@router.get("/health/ready")
async def ready(request: Request) -> JSONResponse:
    checks = await readiness(request.app)
    healthy = all(v == "ok" for v in checks.values())
    body = {"status": "ok" if healthy else "unavailable", "service": request.app.state.settings.service,
            "checks": checks}
    return JSONResponse(body, status_code=200 if healthy else 503,
                        media_type="application/json")
