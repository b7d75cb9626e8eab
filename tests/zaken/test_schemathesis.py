"""The implemented operations of the Zaken API 1.5.1 and Catalogi API 1.3.1, fuzzed from the specs themselves.

Schemathesis generates requests from the VNG specs (not from this service's own OpenAPI document) and checks
every answer: no 5xx, a status code and content type the spec documents, headers and a body that conform to
the spec's response schema. The service runs under uvicorn on a free port, as a ZGW client would reach it.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
import uvicorn
import yaml
from fastapi.routing import APIRoute
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sds.runtime.db import create_engine
from sds.runtime.settings import ServiceSettings
from services.zaken.app import create_app
from services.zaken.seed_catalogus import run as seed
from tests.support.anchors import ZGW
from tests.zaken.conftest import RSIN, headers

SPECS = ZGW
APIS = {"/zaken/api/v1": SPECS / "zaken-api-1.5.1-openapi.yaml",
        "/catalogi/api/v1": SPECS / "catalogi-api-1.3.1-openapi.yaml",
        "/besluiten/api/v1": SPECS / "besluiten-api-1.0.2-openapi.yaml"}
# How many operations each run must reach: every one the suite serves of the Besluiten API (12).
MIN_EXERCISED = {"/zaken/api/v1": 20, "/catalogi/api/v1": 20, "/besluiten/api/v1": 12}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
EXAMPLES = 12


def _known_deviations(raw: dict[str, Any]) -> None:
    """Where this service knowingly differs from the spec, said here rather than hidden in a check list.

    The catalogue has no zaakobjecttypen, so a statustype has no zaakobjecttype URL to give; it leaves the
    field out instead of inventing one.

    A page past the end of a list is 404 "Ongeldige pagina", as Open Zaak (Django REST framework) answers;
    the spec's list operations do not document that status. The same for the lists under a zaak (its
    audittrail, its zaakeigenschappen) or a besluit (its audittrail) when it does not exist or the client may not
    see it.

    An ``expand`` this service does not offer is a 400 ValidatieFout, also on the detail of a zaak, where
    the spec lists no 400.

    A besluit without a vervalreden shows ``"vervalreden": ""`` and ``"vervalredenWeergave": ""``, as Open Zaak
    does (the spec's enum and minLength leave no value for "none", and the field is not nullable).
    """
    schemas = raw["components"]["schemas"]
    if "Besluit" in schemas:
        schemas["Besluit"]["properties"]["vervalreden"]["enum"].append("")
        del schemas["Besluit"]["properties"]["vervalredenWeergave"]["minLength"]
    if "StatusType" in schemas:
        schemas["StatusType"]["required"].remove("zaakobjecttype")
    if "/zaken/{uuid}" in raw["paths"]:
        raw["paths"]["/zaken/{uuid}"]["get"]["responses"].setdefault("400", {
            "description": "expand niet ondersteund", "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/ValidatieFout"}}}})
    for path, item in raw["paths"].items():
        get = item.get("get")
        paged = get and any(p.get("name") == "page" for p in get.get("parameters", []))
        under_zaak = get and path.startswith(("/zaken/{zaak_uuid}/", "/besluiten/{besluit_uuid}/")) \
            and not path.endswith("{uuid}")
        if paged or under_zaak:
            get["responses"].setdefault("404", {"description": "Ongeldige pagina", "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Fout"}}}})


def _populate(base: str, zaaktypen: dict[str, str]) -> None:
    """Zaken with something under each of them, so the lists answer with real resources to check."""
    import httpx

    with httpx.Client(base_url=base, headers=headers(), timeout=30) as client:
        zaaktype = client.get(zaaktypen["WMO-HBH"]).json()
        rol_types = {client.get(u).json()["omschrijving"]: u for u in zaaktype["roltypen"]}
        for i in range(3):
            zaak = client.post("/zaken/api/v1/zaken", json={
                "bronorganisatie": RSIN, "verantwoordelijkeOrganisatie": RSIN, "zaaktype": zaaktypen["WMO-HBH"],
                "startdatum": "2026-11-01", "omschrijving": f"zaak {i}",
                "huishouden": "http://testserver/klantgegevens/api/v1/huishoudens/1"}).json()
            for path, body in (
                ("statussen", {"statustype": zaaktype["statustypen"][0], "datumStatusGezet": "2026-11-02T10:00:00Z"}),
                ("rollen", {"roltype": rol_types["Behandelaar"], "betrokkeneType": "medewerker",
                            "roltoelichting": "behandelaar", "betrokkeneIdentificatie": {"identificatie": "mw-1"}}),
                ("resultaten", {"resultaattype": zaaktype["resultaattypen"][0]}),
                ("zaakobjecten", {"objectType": "huishouden", "object": "http://testserver/huishoudens/1",
                                  "objectIdentificatie": {"nummer": "H-1"}}),
                ("klantcontacten", {"datumtijd": "2026-11-03T09:00:00Z", "kanaal": "telefoon"}),
                (f"zaken/{zaak['uuid']}/zaakeigenschappen", {"eigenschap": zaaktype["eigenschappen"][0],
                                                              "waarde": "20261101"}),
            ):
                r = client.post(f"/zaken/api/v1/{path}", json={"zaak": zaak["url"], **body})
                assert r.status_code == 201, r.text
            r = client.post("/besluiten/api/v1/besluiten", json={
                "verantwoordelijkeOrganisatie": RSIN, "besluittype": zaaktype["besluittypen"][0],
                "zaak": zaak["url"], "datum": "2026-11-20", "ingangsdatum": "2026-12-01"})
            assert r.status_code == 201, r.text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert port not in (4222, *range(8000, 8006))
    return port


def _routes(routes: Any, prefix: str = "") -> Any:
    """Every APIRoute with its full path; included routers are nested (FastAPI 0.165 keeps them as branches)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):
            yield from _routes(route.original_router.routes, prefix + route.include_context.prefix)


def _implemented(app: Any, prefix: str) -> set[tuple[str, str]]:
    return {(method, path[len(prefix):]) for path, route in _routes(app.routes)
            if path.startswith(prefix + "/") for method in route.methods}


def _fuzz(schema: Any, implemented: set[tuple[str, str]], base_url: str) -> list[str]:
    """Run every implemented operation of ``schema``; returns the operations that were exercised."""
    exercised = []
    auth = headers()
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) not in implemented:
            continue
        exercised.append(f"{operation.method.upper()} {operation.path}")

        @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                             suppress_health_check=list(hypothesis.HealthCheck), phases=[
                                 hypothesis.Phase.explicit, hypothesis.Phase.generate])
        @hypothesis.given(case=operation.as_strategy())
        def check(case: Any) -> None:
            response = case.call(base_url=base_url, headers=auth, timeout=30)
            case.validate_response(response, checks=CHECKS)

        check()
    return exercised


@pytest.mark.parametrize("prefix", sorted(APIS))
async def test_implemented_operations_conform_to_the_zgw_spec(prefix: str, tmp_path: Path) -> None:
    from tests.support.databases import fresh_database_url

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    async with fresh_database_url(tmp_path, "st") as url:
        settings = ServiceSettings(service="zaken", env="dev", database_url=url, nats_url="nats://127.0.0.1:1",
                                   public_base_url=base, log_level="WARNING")
        app = create_app(settings)
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(app.state.metadata.create_all)
        await engine.dispose()
        zaaktypen = await seed(url, base, RSIN)
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                               access_log=False))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            for _ in range(200):
                if server.started:
                    break
                await asyncio.sleep(0.05)
            await asyncio.to_thread(_populate, base, zaaktypen)
            raw = yaml.safe_load(APIS[prefix].read_text())
            raw["servers"] = [{"url": base + prefix}]
            _known_deviations(raw)
            schema = schemathesis.openapi.from_dict(raw)
            exercised = await asyncio.to_thread(_fuzz, schema, _implemented(app, prefix), base + prefix)
        finally:
            server.should_exit = True
            await asyncio.to_thread(thread.join, 30)
    # The run reached the operations it claims to cover.
    assert len(exercised) >= MIN_EXERCISED[prefix], exercised
