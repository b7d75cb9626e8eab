"""A local Referentielijsten (Selectielijst) API serving Open Zaak's fixtures from the shared anchors, its URLs
rewritten onto its own address: what a municipality's own Referentielijsten API answers, without a public host.

``python -m tests.support.referentielijsten PORT`` runs it on its own (for a run of VNG's Postman collection).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.anchors import ZGW
from tests.support.servers import listening_socket, serve

FIXTURES = ZGW / "referentielijsten"
ORIGINAL = "https://selectielijst.openzaak.nl/api/v1"


def _load(name: str, base: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8").replace(ORIGINAL, base))


def referentielijsten_app(base: str) -> Starlette:
    """``base``: the URL the app is reached at, ``.../api/v1``; every URL in the answers starts with it."""
    resultaten = _load("resultaten.json", base)
    collections: dict[str, list[dict[str, Any]]] = {
        "resultaten": resultaten["results"],
        "procestypen": _load("procestypen.json", base),
        "resultaattypeomschrijvingen": _load("resultaattypeomschrijvingen.json", base),
    }

    async def listing(request: Request) -> Response:
        name = request.path_params["collection"]
        if name not in collections:
            return JSONResponse({"detail": "Niet gevonden."}, status_code=404)
        items = collections[name]
        if name == "resultaten":
            if procestype := request.query_params.get("procesType"):
                items = [r for r in items if r["procesType"] == procestype]
            return JSONResponse({"count": len(items), "next": None, "previous": None, "results": items})
        return JSONResponse(items)

    async def detail(request: Request) -> Response:
        name = request.path_params["collection"]
        wanted = f"{base}/{name}/{request.path_params['uuid']}"
        for item in collections.get(name, []):
            if item["url"] == wanted:
                return JSONResponse(item)
        return JSONResponse({"detail": "Niet gevonden."}, status_code=404)

    return Starlette(routes=[Route("/api/v1/{collection}", listing), Route("/api/v1/{collection}/{uuid}", detail)])


@contextmanager
def running_referentielijsten() -> Iterator[str]:
    """A stub on a free port for the block; yields its API base URL (``http://127.0.0.1:PORT/api/v1``)."""
    sock = listening_socket()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}/api/v1"
    with serve(referentielijsten_app(base), sock):
        yield base


if __name__ == "__main__":  # pragma: no cover - a manual run
    import uvicorn

    port = int(sys.argv[1])
    uvicorn.run(referentielijsten_app(f"http://127.0.0.1:{port}/api/v1"), host="127.0.0.1", port=port)
