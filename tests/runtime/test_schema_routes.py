"""Each API's contract where ZGW clients look for it: ``{prefix}/schema/openapi.yaml`` (the same document as
``{prefix}/openapi.json``) and a readable page at ``{prefix}/schema`` that works without internet."""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sds.runtime.apidocs import STATIC_FILES, YAML_MEDIA_TYPE, ZGW_OPERATION_IDS
from sds.runtime.db import create_engine
from sds.runtime.settings import ServiceSettings
from tests.support import sample_service
from tests.support.anchors import ZGW
from tests.support.browser import browser_page
from tests.support.openapi import assert_zgw_readable
from tests.support.servers import serve

SERVICES = ["intake", "zaken", "klantgegevens", "financien", "beleidsinfo", "notificaties", "documenten"]


def _create_app(service: str, database_url: str) -> FastAPI:
    factory: Any = (sample_service.create_app if service == "proef"
                    else importlib.import_module(f"services.{service}.app").create_app)
    return factory(ServiceSettings(service=service, env="dev", database_url=database_url,
                                   nats_url="nats://127.0.0.1:1"))


def _prefixes(app: FastAPI) -> list[str]:
    paths = [getattr(route, "path", "") for route in app.router.routes]
    return sorted(p.removesuffix("/openapi.json") for p in paths if p.endswith("/api/v1/openapi.json"))


@pytest.mark.parametrize("service", [*SERVICES, "proef"])
async def test_every_api_serves_its_contract_as_yaml_and_as_a_page_without_a_token(service: str,
                                                                                  tmp_path: Path) -> None:
    app = _create_app(service, f"sqlite:///{tmp_path}/{service}.db")
    prefixes = _prefixes(app)
    assert prefixes, "the service serves at least one API"
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            for prefix in prefixes:
                as_json = await client.get(f"{prefix}/openapi.json")
                as_yaml = await client.get(f"{prefix}/schema/openapi.yaml")
                assert as_yaml.status_code == 200, (prefix, as_yaml.text)
                assert as_yaml.headers["content-type"].startswith(YAML_MEDIA_TYPE)
                assert yaml.safe_load(as_yaml.text) == as_json.json()

                page = await client.get(f"{prefix}/schema")
                assert page.status_code == 200
                assert page.headers["content-type"].startswith("text/html")
                for name, media_type in STATIC_FILES.items():
                    assert f'"{prefix}/schema/static/{name}"' in page.text
                    asset = await client.get(f"{prefix}/schema/static/{name}")
                    assert asset.status_code == 200, (prefix, name)
                    assert asset.headers["content-type"].startswith(media_type)
                # Only the page's own files are served from the wheel, and nothing else is public.
                assert (await client.get(f"{prefix}/schema/static/redoc.standalone.js")).status_code == 401
                assert (await client.get(f"{prefix}/schema/static/..%2F__init__.py")).status_code == 401


def test_the_contract_page_shows_the_operations_with_the_network_cut_off(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/proef.db"
    app = _create_app("proef", url)

    async def create_tables() -> None:
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(sample_service.metadata.create_all)
        await engine.dispose()

    asyncio.run(create_tables())
    with serve(app) as base, browser_page(offline=True) as page:
        page.goto(f"{base}/proef/api/v1/schema")
        # Swagger UI's script has run, read the YAML and drawn an operation block per endpoint.
        page.wait_for_selector(".opblock", timeout=15000)
        shown = page.inner_text("#swagger-ui")
        assert "Proef API" in shown
        assert "/notities" in shown and "/proef/api/v1" in shown
        assert page.blocked_requests == []


def test_the_operation_ids_are_the_zgw_standards_own() -> None:
    """``zgw_operation_ids.json`` holds, per API, every operationId of VNG's document for that path and method."""
    for prefix, entry in ZGW_OPERATION_IDS.items():
        standard = yaml.safe_load((ZGW / entry["standard"]).read_text(encoding="utf-8"))
        assert entry["operations"] == {
            f"{method} {path}": operation["operationId"] for path, item in standard["paths"].items()
            for method, operation in item.items() if isinstance(operation, dict) and "operationId" in operation
        }, prefix


@pytest.mark.parametrize("service", [*SERVICES, "proef"])
async def test_every_api_serves_an_openapi_3_0_document_a_zgw_client_reads(service: str, tmp_path: Path) -> None:
    app = _create_app(service, f"sqlite:///{tmp_path}/{service}.db")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            for prefix in _prefixes(app):
                doc = (await client.get(f"{prefix}/openapi.json")).json()
                assert_zgw_readable(doc, prefix, app.state.settings.public_base_url)


def test_the_zgw_operations_the_suite_serves_carry_the_standards_operation_ids(tmp_path: Path) -> None:
    app = _create_app("zaken", f"sqlite:///{tmp_path}/zaken.db")
    client = TestClient(app)
    for prefix, wanted in (("/zaken/api/v1", {("post", "/zaken"): "zaak_create",
                                              ("post", "/zaken/_zoek"): "zaak__zoek",
                                              ("get", "/zaken/{uuid}"): "zaak_retrieve",
                                              ("post", "/statussen"): "status_create",
                                              ("post", "/resultaten"): "resultaat_create",
                                              ("get", "/zaken/{zaak_uuid}/audittrail"): "audittrail_list",
                                              ("post", "/plannen"): "plan_create"}),
                           ("/catalogi/api/v1", {("post", "/catalogussen"): "catalogus_create",
                                                 ("post", "/zaaktypen/{uuid}/publish"): "zaaktype_publish",
                                                 ("post", "/statustypen"): "statustype_create",
                                                 ("get", "/zaaktype-informatieobjecttypen"):
                                                     "zaakinformatieobjecttype_list"}),
                           ("/besluiten/api/v1", {("post", "/besluiten"): "besluit_create",
                                                  ("get", "/besluiten/{besluit_uuid}/audittrail"): "audittrail_list",
                                                  ("delete", "/besluitinformatieobjecten/{uuid}"):
                                                      "besluitinformatieobject_delete"})):
        doc = client.get(f"{prefix}/openapi.json").json()
        for (method, path), operation_id in wanted.items():
            assert doc["paths"][path][method]["operationId"] == operation_id, (method, path)
        # Every operation the standard names carries the standard's id; the suite's own keep their route's name.
        standard = ZGW_OPERATION_IDS[prefix]["operations"]
        for path, item in doc["paths"].items():
            for method, operation in item.items():
                assert operation["operationId"] == standard.get(f"{method} {path}", operation["operationId"])
                assert "_api_v1_" not in operation["operationId"], (method, path)


def test_the_documenten_api_carries_the_standards_operation_ids(tmp_path: Path) -> None:
    client = TestClient(_create_app("documenten", f"sqlite:///{tmp_path}/documenten.db"))
    doc = client.get("/documenten/api/v1/openapi.json").json()
    assert doc["paths"]["/enkelvoudiginformatieobjecten"]["post"]["operationId"] == "enkelvoudiginformatieobject_create"
    assert doc["paths"]["/enkelvoudiginformatieobjecten/{uuid}/download"]["get"]["operationId"] == \
        "enkelvoudiginformatieobject_download"
    assert doc["paths"]["/bestandsdelen/{uuid}"]["put"]["operationId"] == "bestandsdeel_update"
    standard = ZGW_OPERATION_IDS["/documenten/api/v1"]["operations"]
    served = {f"{method} {path}" for path, item in doc["paths"].items() for method in item}
    # Every operation of the standard is served, under the standard's id.
    assert set(standard) == served
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            assert operation["operationId"] == standard[f"{method} {path}"], (method, path)
