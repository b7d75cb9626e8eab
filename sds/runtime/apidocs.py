"""Where ZGW clients look for an API's contract, beside ``{prefix}/openapi.json``.

Open Zaak serves each API's OpenAPI document at ``{prefix}/schema/openapi.yaml`` and a readable
page at ``{prefix}/schema``; clients and developers who know it look there. The page is Swagger UI
from the ``fastapi-offline`` wheel, served by the suite itself under ``{prefix}/schema/static/``,
so it works on a machine without internet. Every one of these paths is public, like the JSON
document (ARCHITECTURE.md): ``schema_paths`` lists them for the services' and the gateway's
authentication.

The document is the one a standard ZGW client (VNG's gemma-zds-client, Open Zaak's clients) reads, as
``zgw_document`` makes it of FastAPI's: OpenAPI 3.0.3 (FastAPI writes 3.1), the paths relative to
``servers: [{url: <base>/<prefix>}]``, and the operationIds of the ZGW standard for every path and method
the standard has (``zgw_operation_ids.json``, taken from VNG's documents; ``zaak_create``,
``zaaktype_publish``); an operation of the suite's own is named by its route function (``plan_create``).
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import fastapi_offline
import yaml
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

# What the page needs of the wheel's files; nothing else there is served.
STATIC_DIR = Path(fastapi_offline.__file__).parent / "static"
STATIC_FILES = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css"}
YAML_MEDIA_TYPE = "application/vnd.oai.openapi"

DocumentSource = Callable[[], Awaitable[dict[str, Any]]]

OPENAPI_VERSION = "3.0.3"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Per API prefix: the ZGW standard's document and its operationId per "method /path".
ZGW_OPERATION_IDS: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).parent / "zgw_operation_ids.json").read_text(encoding="utf-8"))


def schema_paths(prefix: str) -> list[str]:
    """The public paths of one API's contract, the JSON document included."""
    return [f"{prefix}/openapi.json", f"{prefix}/schema", f"{prefix}/schema/openapi.yaml",
            *(f"{prefix}/schema/static/{name}" for name in STATIC_FILES)]


def zgw_document(doc: dict[str, Any], *, prefix: str, base_url: str) -> dict[str, Any]:
    """FastAPI's OpenAPI 3.1 document of the API at ``prefix`` (paths with the prefix) as a ZGW client reads
    it; ``doc`` is left as it is."""
    standard = ZGW_OPERATION_IDS.get(prefix, {}).get("operations", {})
    named: dict[tuple[str, str], str] = {}
    for full_path, item in doc.get("paths", {}).items():
        path = full_path.removeprefix(prefix) or "/"
        for method, operation in item.items():
            if method in _METHODS and isinstance(operation, dict):
                own = operation.get("operationId", "")
                named[full_path, method] = standard.get(f"{method} {path}") or _route_name(own, full_path, method)
    # A route name two operations share (two routers' ``lijst``) keeps FastAPI's unique id.
    taken = Counter(named.values())
    paths: dict[str, Any] = {}
    for full_path, item in doc.get("paths", {}).items():
        paths[full_path.removeprefix(prefix) or "/"] = {
            method: {**operation, "operationId": named[full_path, method] if taken[named[full_path, method]] == 1
                     else operation["operationId"]} if (full_path, method) in named else operation
            for method, operation in item.items()}
    converted = _as_openapi_30({key: value for key, value in doc.items() if key not in ("paths", "servers")})
    return {"openapi": OPENAPI_VERSION, **{k: v for k, v in converted.items() if k != "openapi"},
            "servers": [{"url": f"{base_url.rstrip('/')}{prefix}"}], "paths": _as_openapi_30(paths)}


def _route_name(operation_id: str, full_path: str, method: str) -> str:
    # FastAPI's own ids are "{route name}{path with every non-word character as _}_{method}".
    suffix = re.sub(r"\W", "_", full_path) + f"_{method}"
    return operation_id.removesuffix(suffix) if operation_id.endswith(suffix) else operation_id


def _as_openapi_30(node: Any) -> Any:
    """What OpenAPI 3.1 (JSON Schema 2020-12) constructs FastAPI and pydantic write, as OpenAPI 3.0 says them."""
    if isinstance(node, list):
        return [_as_openapi_30(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _as_openapi_30(value) for key, value in node.items()}
    for key in ("anyOf", "oneOf"):
        if isinstance(out.get(key), list) and {"type": "null"} in out[key]:
            rest = [option for option in out.pop(key) if option != {"type": "null"}]
            out["nullable"] = True
            if len(rest) == 1 and "$ref" in rest[0]:
                out["allOf"] = rest
            elif len(rest) == 1:
                out = {**rest[0], **out}
            elif rest:
                out[key] = rest
    if isinstance(out.get("type"), list):
        types = [t for t in out.pop("type") if t != "null"]
        out["nullable"] = True if len(types) < len(node["type"]) else out.get("nullable", False)
        if len(types) == 1:
            out["type"] = types[0]
        elif types:
            out["anyOf"] = [{"type": t} for t in types]
        if not out["nullable"]:
            del out["nullable"]
    if out.get("type") == "null":
        del out["type"]
        out["nullable"] = True
    if "const" in out:
        out["enum"] = [out.pop("const")]
    if isinstance(out.get("examples"), list):  # a schema's examples; an Example object map stays
        examples = out.pop("examples")
        if examples:
            out["example"] = examples[0]
    for bound in ("Minimum", "Maximum"):
        value = out.get(f"exclusive{bound}")
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[bound.lower()] = value
            out[f"exclusive{bound}"] = True
    for key in ("contentMediaType", "contentEncoding", "$schema", "$id", "propertyNames"):
        out.pop(key, None)
    if "$ref" in out:  # OpenAPI 3.0 ignores what stands beside a $ref: a title goes, a constraint wraps it
        siblings = {k: v for k, v in out.items() if k not in ("$ref", "title", "description")}
        out = {**siblings, "allOf": [{"$ref": out["$ref"]}]} if siblings else {"$ref": out["$ref"]}
    return out


def contract_routes(prefix: str, title: str, document: DocumentSource) -> list[Route]:
    """The routes that serve one API's OpenAPI ``document``: as JSON, as YAML and as a readable page."""

    async def as_json(_request: Request) -> Response:
        return JSONResponse(await document())

    async def as_yaml(_request: Request) -> Response:
        text = yaml.safe_dump(await document(), sort_keys=False, allow_unicode=True)
        return Response(text, media_type=YAML_MEDIA_TYPE)

    async def page(_request: Request) -> Response:
        return HTMLResponse(_page_html(prefix, title))

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC_FILES:
            return Response(status_code=404)
        return FileResponse(STATIC_DIR / name, media_type=STATIC_FILES[name],
                            headers={"cache-control": "public, max-age=86400"})

    return [
        Route(f"{prefix}/openapi.json", as_json, include_in_schema=False),
        Route(f"{prefix}/schema/openapi.yaml", as_yaml, include_in_schema=False),
        Route(f"{prefix}/schema", page, include_in_schema=False),
        Route(f"{prefix}/schema/static/{{name}}", static, include_in_schema=False),
    ]


def _page_html(prefix: str, title: str) -> str:
    static = f"{prefix}/schema/static"
    return f"""<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="{static}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{static}/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({{
  url: "{prefix}/schema/openapi.yaml",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout"
}});
</script>
</body>
</html>
"""
