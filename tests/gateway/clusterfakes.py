"""Stand-ins for routing per cluster: a service-shaped instance with a catalogue and zaken, an external party.

``instance(name)`` runs the services' request pipeline (a valid ``x-sds-auth`` or nothing) and answers
the catalogue look-ups the gateway makes, a small zaken API filtered by the caller's grants the way
services/zaken filters them (a ``zaken.lezen`` grant with a kolom covers that kolom, one without covers
all), and echoes anything else with its own name, so a test sees which instance a request reached.
``partij(secret)`` checks a JWT-ZGW token signed with the party's secret, answers ``POST /aanvragen``
once per ``Idempotency-Key`` (a repeat changes nothing) and echoes anything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from sds.runtime.auth import AuthContext
from sds.runtime.errors import install_error_handlers
from sds.runtime.jwt_zgw import JwtZgwError, decode_jwt_zgw
from sds.runtime.middleware import RequestContextMiddleware
from tests.support.servers import serve

CATALOGUS = {"wmo": "11111111-1111-4111-8111-000000000001", "jeugd": "11111111-1111-4111-8111-000000000002",
             "schuldhulp": "11111111-1111-4111-8111-000000000003", "integraal": "11111111-1111-4111-8111-000000000004"}
ZAAKTYPE = {"wmo": "22222222-2222-4222-8222-000000000001", "jeugd": "22222222-2222-4222-8222-000000000002",
            "schuldhulp": "22222222-2222-4222-8222-000000000003", "integraal": "22222222-2222-4222-8222-000000000004"}
ZAAK = {"wmo": "33333333-3333-4333-8333-000000000001", "jeugd": "33333333-3333-4333-8333-000000000002",
        "schuldhulp": "33333333-3333-4333-8333-000000000003"}
PUBLIC = "http://gateway.test"


def zaaktype_url(kolom: str, host: str = PUBLIC) -> str:
    return f"{host}/catalogi/api/v1/zaaktypen/{ZAAKTYPE[kolom]}"


@dataclass
class Seen:
    """What one stand-in received, in order."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    lookups: int = 0

    def paths(self) -> list[str]:
        return [r["path"] for r in self.requests]


def _visible(auth: AuthContext, kolom: str) -> bool:
    if auth.heeft_alle_autorisaties:
        return True
    return any(g.kolom is None or g.kolom == kolom for g in auth.grants("zrc", "zaken.lezen"))


def instance(name: str, internal_secret: str, *, catalogue: bool = True) -> tuple[FastAPI, Seen]:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, redirect_slashes=False)
    install_error_handlers(app)
    seen = Seen()
    zaaktype_kolom = {uuid: kolom for kolom, uuid in ZAAKTYPE.items()}
    catalogus_kolom = {uuid: kolom for kolom, uuid in CATALOGUS.items()}

    def zaak(kolom: str) -> dict[str, Any]:
        return {"url": f"{PUBLIC}/zaken/api/v1/zaken/{ZAAK[kolom]}", "uuid": ZAAK[kolom],
                "zaaktype": zaaktype_url(kolom), "kolom": kolom}

    def visible(request: Request, zaaktype: str | None) -> list[dict[str, Any]]:
        auth: AuthContext = request.state.auth
        found = [zaak(k) for k in ZAAK if _visible(auth, k)]
        return [z for z in found if zaaktype is None or z["zaaktype"].endswith(zaaktype.rsplit("/", 1)[-1])]

    if catalogue:
        @app.get("/catalogi/api/v1/zaaktypen/{uuid}")
        async def zaaktype(uuid: str) -> Any:
            seen.lookups += 1
            kolom = zaaktype_kolom.get(uuid)
            if kolom is None:
                return JSONResponse({"status": 404}, status_code=404)
            return {"url": zaaktype_url(kolom), "concept": False,
                    "catalogus": f"{PUBLIC}/catalogi/api/v1/catalogussen/{CATALOGUS[kolom]}"}

        @app.get("/catalogi/api/v1/catalogussen/{uuid}")
        async def catalogus(uuid: str) -> Any:
            seen.lookups += 1
            kolom = catalogus_kolom.get(uuid)
            if kolom is None:
                return JSONResponse({"status": 404}, status_code=404)
            return {"url": f"{PUBLIC}/catalogi/api/v1/catalogussen/{uuid}", "kolom": kolom}

    def record(request: Request, body: bytes = b"") -> None:
        auth = getattr(request.state, "auth", None)
        seen.requests.append({"path": request.url.path, "query": request.url.query, "method": request.method,
                              "auth": auth.model_dump() if auth else None, "body": body.decode()})

    @app.get("/zaken/api/v1/zaken")
    async def zaken_list(request: Request, zaaktype: str | None = None) -> Any:
        record(request)
        results = visible(request, zaaktype)
        return {"instance": name, "count": len(results), "next": None, "previous": None, "results": results}

    @app.post("/zaken/api/v1/zaken/_zoek")
    async def zoek(request: Request) -> Any:
        body = await request.body()
        record(request, body)
        data = await request.json()
        results = visible(request, data.get("zaaktype"))
        return {"instance": name, "count": len(results), "next": None, "previous": None, "results": results}

    @app.get("/zaken/api/v1/zaken/{uuid}")
    async def zaken_detail(request: Request, uuid: str) -> Any:
        record(request)
        for z in visible(request, None):
            if z["uuid"] == uuid:
                return {"instance": name, **z}
        return JSONResponse({"status": 404, "instance": name}, status_code=404)

    @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def echo(request: Request) -> Any:
        body = await request.body()
        record(request, body)
        auth = request.state.auth
        return {"instance": name, "path": request.url.path, "auth": auth.model_dump(), "body": body.decode()}

    app.add_middleware(RequestContextMiddleware, service=name, api_version="1.0.0",
                       internal_secret=internal_secret, is_public={"/health/ready"}.__contains__)
    return app, seen


@dataclass
class Partij:
    """What the external party received, and how it answers."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    accepted: dict[str, dict[str, Any]] = field(default_factory=dict)  # idempotency key -> aanvraag
    unavailable: int = 0  # answer this many calls with 503 first

    def aanvragen(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"].endswith("/aanvragen")]


def partij(secret: str, client_id: str, base_path: str = "/v1") -> tuple[FastAPI, Partij]:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, redirect_slashes=False)
    state = Partij()

    @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def everything(request: Request) -> Any:
        body = await request.body()
        entry: dict[str, Any] = {"path": request.url.path, "query": request.url.query, "method": request.method,
                                 "headers": dict(request.headers), "body": body.decode()}
        state.requests.append(entry)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        try:
            claims = decode_jwt_zgw(token, secret, max_age=300)
        except JwtZgwError as exc:
            return JSONResponse({"detail": str(exc)}, status_code=401)
        if scheme != "Bearer" or claims.client_id != client_id:
            return JSONResponse({"detail": "unknown client"}, status_code=403)
        entry["client_id"] = claims.client_id
        if state.unavailable > 0:
            state.unavailable -= 1
            return JSONResponse({"detail": "even niet"}, status_code=503)
        if request.url.path == f"{base_path}/aanvragen" and request.method == "POST":
            key = request.headers.get("idempotency-key")
            if not key:
                return JSONResponse({"detail": "Idempotency-Key ontbreekt"}, status_code=400)
            if key in state.accepted:
                return JSONResponse(state.accepted[key], status_code=200)
            state.accepted[key] = await request.json()
            return JSONResponse(state.accepted[key], status_code=201)
        return {"partij": True, "path": request.url.path, "query": request.url.query}

    return app, state


@contextmanager
def serve_on(app: Any, port: int) -> Iterator[str]:
    """Like conftest.serve, on a port chosen beforehand (a party that comes up later on its known address)."""
    with serve(app, port=port) as url:
        yield url


INKOMEN = "financiele-en-inkomensondersteuning"
JEUGD_SECRET_ENV = "SDS_TEST_JEUGD_PARTIJ_SECRET"
ZORG_SECRET_ENV = "SDS_TEST_ZORG_PARTIJ_SECRET"


def write_profile(directory: Any, *, partij_url: str, instance_url: str | None) -> str:
    """The shipped geclusterd-integraal-elders profile with the parties at ``partij_url`` (jeugd under
    /v1, zorg under /zorg) and, when given, zaken and intake of cluster inkomen at ``instance_url``."""
    import yaml

    from sds.profiles.loading import shipped_path

    data = yaml.safe_load(shipped_path("geclusterd-integraal-elders").read_text())
    data["externe_partijen"]["regionale-jeugdorganisatie"].update(api=f"{partij_url}/v1",
                                                                  credentials=f"env:{JEUGD_SECRET_ENV}")
    data["externe_partijen"]["zorgverzekeraar"].update(api=f"{partij_url}/zorg", credentials=f"env:{ZORG_SECRET_ENV}")
    data["upstreams"] = ({service: {"clusters": {INKOMEN: instance_url}} for service in ("zaken", "intake")}
                         if instance_url else {})
    path = directory / "profiel.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return str(path)
