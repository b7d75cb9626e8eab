"""Accept-Crs / Content-Crs as the ZGW APIs require them (``sds.runtime.crs``), on a route that takes them."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI, Response

from sds.runtime.crs import RequireCrs, crs_header
from sds.runtime.errors import install_error_handlers


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/zaken")
    async def read(response: Response, _crs: RequireCrs) -> dict[str, Any]:
        crs_header(response)
        return {}

    @app.post("/zaken")
    async def create(body: dict[str, Any], response: Response, _crs: RequireCrs) -> dict[str, Any]:
        crs_header(response)
        return body

    @app.delete("/zaken")
    async def remove(_crs: RequireCrs) -> Response:
        return Response(status_code=204)

    return app


async def test_accept_and_content_crs() -> None:
    wgs84 = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()), base_url="http://t") as client:
        r = await client.get("/zaken")
        assert r.status_code == 412 and r.headers["content-type"] == "application/problem+json"
        assert r.json()["code"] == "precondition_failed"
        r = await client.get("/zaken", headers={"Accept-Crs": "EPSG:28992"})
        assert r.status_code == 406 and r.json()["code"] == "not_acceptable"
        r = await client.get("/zaken", headers={"Accept-Crs": "EPSG:4326"})
        assert r.status_code == 200 and r.headers["content-crs"] == "EPSG:4326"
        r = await client.post("/zaken", json={}, headers={"Accept-Crs": "EPSG:4326"})
        assert r.status_code == 412
        r = await client.post("/zaken", json={}, headers={**wgs84, "Content-Crs": "EPSG:28992"})
        assert r.status_code == 415 and r.json()["code"] == "unsupported_media_type"
        r = await client.post("/zaken", json={"a": 1}, headers=wgs84)
        assert r.status_code == 200 and r.headers["content-crs"] == "EPSG:4326"
        assert (await client.delete("/zaken")).status_code == 204  # nothing to negotiate
