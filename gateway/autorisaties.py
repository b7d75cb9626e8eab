"""The Autorisaties API 1.0 of the gateway: ``/autorisaties/api/v1/applicaties``.

An applicatie as the standard has it (``url``, ``clientIds``, ``label``, ``heeftAlleAutorisaties``,
``autorisaties`` with ``component``, the derived ``componentWeergave``, ``scopes``, and per component
``zaaktype``/``informatieobjecttype``/``besluittype`` with ``maxVertrouwelijkheidaanduiding``), its
validation codes (``clientId-exists``, ``ambiguous-authorizations-specified``, ``missing-authorizations``,
``required`` for the narrowing a ``zrc``/``drc``/``brc`` grant needs) and ``GET /applicaties/consumer``.
Reading takes ``autorisaties.lezen``, changing ``autorisaties.bijwerken`` (component ``ac``), or
``heeftAlleAutorisaties``. Read-only fields in a request (``url``, ``uuid``, ``componentWeergave``) and
unknown fields are ignored, as the ZGW reference does.

The suite's extension beside the standard values, never instead of them:

- components ``intake``, ``klantgegevens``, ``financien`` and ``beleidsinfo`` for the suite's own APIs
  (sds.runtime.scopes.SUITE_COMPONENTS);
- per grant ``catalogus`` and ``kolom``: a ``zrc`` grant narrowed by one of them, or in an applicatie
  limited to kolommen, needs no ``zaaktype``;
- per applicatie ``kolommen`` and ``clusters``, and a write-only ``secret``: accepted on create and update,
  never returned or logged. Without one (a standard client registers none) no token of it is accepted
  until a secret is set.

An external party is an applicatie limited to its cluster: with an active archetype profile its
clusters must be the profile's, its kolommen must lie in them (and are taken from them when none
are given), so its tokens never reach another cluster's data.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Body, Depends, FastAPI, Query, Request, Response
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict, Field, field_validator

from gateway.applicaties import ApplicatieRecord, SqlApplicatieStore
from gateway.limits import retry_after
from sds.profiles.model import KOLOMMEN, Profile
from sds.runtime.apidocs import DocumentSource, zgw_document
from sds.runtime.auth import VERTROUWELIJKHEID, AuthContext, Autorisatie
from sds.runtime.errors import ApiError, NotFound, PermissionDenied, ValidatieFout
from sds.runtime.scopes import (
    AC,
    AUTORISATIES_BIJWERKEN,
    AUTORISATIES_LEZEN,
    BRC,
    COMPONENTS,
    DRC,
    SUITE_COMPONENTS,
    ZRC,
)

PREFIX = "/autorisaties/api/v1"
API_VERSION = "1.0.0"
TITLE = "Autorisaties API"
_MIN_SECRET_LENGTH = 16
# Fields a client may send back as it read them; they are the server's, so they are dropped.
_READ_ONLY = ("url", "uuid")
_READ_ONLY_AUTORISATIE = ("componentWeergave",)

# What a grant of these components must name when it has one of the component's own scopes (the
# standard's rule, vng-api-common's AutorisatieValidator): its type and, for zaken and documenten, the
# highest vertrouwelijkheidaanduiding it reaches.
_TYPE_FIELD = {ZRC: "zaaktype", DRC: "informatieobjecttype", BRC: "besluittype"}
_SCOPE_PREFIX = {ZRC: "zaken.", DRC: "documenten.", BRC: "besluiten."}
_NEEDS_VERTROUWELIJKHEID = frozenset({ZRC, DRC})

router = APIRouter(prefix=PREFIX, tags=["applicaties"])
# The bodies are read as JSON and validated by ApplicatieIn (so a read-only field can be dropped first);
# the document names that schema.
_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/Applicatie"}}}}}


class _Camel(BaseModel):
    # Unknown fields are ignored, as the ZGW reference does.
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


Component = Literal["ac", "nrc", "zrc", "ztc", "drc", "brc", "intake", "klantgegevens", "financien", "beleidsinfo"]
_Url = Annotated[str, Field(max_length=1000)]


class AutorisatieIn(_Camel):
    component: Component = Field(description=(
        "Component waarop de autorisatie van toepassing is: de standaard `ac`, `nrc`, `zrc`, `ztc`, `drc`, "
        "`brc`; uitbreiding van de suite: " + ", ".join(f"`{c}`" for c in SUITE_COMPONENTS) + "."))
    scopes: list[Annotated[str, Field(min_length=1, max_length=100)]]
    zaaktype: _Url | None = None
    informatieobjecttype: _Url | None = None
    besluittype: _Url | None = None
    max_vertrouwelijkheidaanduiding: str | None = Field(None, alias="maxVertrouwelijkheidaanduiding")
    catalogus: _Url | None = Field(None, description="Uitbreiding van de suite: de autorisatie geldt per catalogus.")
    kolom: str | None = Field(None, description="Uitbreiding van de suite: de autorisatie geldt per kolom.")

    @field_validator("zaaktype", "informatieobjecttype", "besluittype", "catalogus", "kolom",
                     "max_vertrouwelijkheidaanduiding", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        # The standard's representation shows a field it does not use as "", and clients send it back.
        return None if value == "" else value


class ApplicatieIn(_Camel):
    client_ids: list[Annotated[str, Field(min_length=1, max_length=255)]] = Field(alias="clientIds", min_length=1)
    label: str = Field(min_length=1, max_length=100)
    heeft_alle_autorisaties: bool = Field(False, alias="heeftAlleAutorisaties")
    autorisaties: list[AutorisatieIn] = Field(default_factory=list)
    kolommen: list[str] = Field(default_factory=list, description="Uitbreiding van de suite.")
    clusters: list[str] = Field(default_factory=list, description="Uitbreiding van de suite.")
    secret: str | None = Field(None, max_length=1000, description="Uitbreiding van de suite; alleen te schrijven.")


async def caller(request: Request) -> AuthContext:
    """The JWT-ZGW caller of the Autorisaties API, under the same rate limit as proxied calls."""
    state = request.app.state
    resolved = await state.verifier.resolve(request.headers.get("authorization"))
    limiter = state.rate_limiter
    if limiter is not None:
        wait = limiter.take(resolved.ctx.client_id)
        if wait:
            raise ApiError("Te veel verzoeken van deze applicatie; probeer het later opnieuw.", status=429,
                           code="throttled", headers={"retry-after": retry_after(wait).decode()})
    return resolved.ctx


Caller = Annotated[AuthContext, Depends(caller)]


def _require(ctx: AuthContext, scope: str) -> None:
    # Either scope reads: who may change the applicaties may also see them.
    if scope == AUTORISATIES_LEZEN and ctx.has_scope(AC, AUTORISATIES_BIJWERKEN):
        return
    if not ctx.has_scope(AC, scope):
        raise PermissionDenied(f"Deze applicatie heeft de scope '{scope}' niet.", code="permission_denied")


def _store(request: Request) -> SqlApplicatieStore:
    store: SqlApplicatieStore = request.app.state.store
    return store


def _url(request: Request, uuid: str) -> str:
    base = request.app.state.settings.public_base_url.rstrip("/")
    return f"{base}{PREFIX}/applicaties/{uuid}"


def _out(request: Request, record: ApplicatieRecord) -> dict[str, Any]:
    return {"url": _url(request, record.uuid), "uuid": record.uuid, **_fields(record)}


def _fields(record: ApplicatieRecord) -> dict[str, Any]:
    autorisaties = []
    for a in record.autorisaties:
        item: dict[str, Any] = {"component": a.component, "componentWeergave": COMPONENTS.get(a.component, a.component),
                                "scopes": a.scopes}
        # The standard's shape per component: its type field and vertrouwelijkheid always ("" when unset).
        type_field = _TYPE_FIELD.get(a.component)
        if type_field is not None:
            item[type_field] = getattr(a, type_field) or ""
        if a.component in _NEEDS_VERTROUWELIJKHEID:
            item["maxVertrouwelijkheidaanduiding"] = a.max_vertrouwelijkheidaanduiding or ""
        for key, value in (("zaaktype", a.zaaktype), ("informatieobjecttype", a.informatieobjecttype),
                           ("besluittype", a.besluittype),
                           ("maxVertrouwelijkheidaanduiding", a.max_vertrouwelijkheidaanduiding),
                           ("catalogus", a.catalogus), ("kolom", a.kolom)):
            if value is not None:
                item[key] = value
        autorisaties.append(item)
    return {
        "clientIds": record.client_ids,
        "label": record.label,
        "heeftAlleAutorisaties": record.heeft_alle_autorisaties,
        "autorisaties": autorisaties,
        "kolommen": record.kolommen,
        "clusters": record.clusters,
    }


def _record(data: ApplicatieIn, uuid: str, profile: Profile | None, *,
            existing: ApplicatieRecord | None) -> ApplicatieRecord:
    """The record to store, after the checks a model cannot make alone; ValidatieFout otherwise."""
    problems: list[dict[str, str]] = []

    def problem(name: str, code: str, reason: str) -> None:
        problems.append({"name": name, "code": code, "reason": reason})

    if len(set(data.client_ids)) != len(data.client_ids):
        problem("clientIds", "unique", "Een clientId staat er meer dan eens in.")
    if data.autorisaties and data.heeft_alle_autorisaties:
        problem("nonFieldErrors", "ambiguous-authorizations-specified",
                "Geef autorisaties of heeftAlleAutorisaties op, niet allebei.")
    if not data.autorisaties and not data.heeft_alle_autorisaties:
        problem("nonFieldErrors", "missing-authorizations", "Geef autorisaties of heeftAlleAutorisaties op.")
    # Without a secret the stored one stays: a client that cannot read it back cannot resend it.
    secret = data.secret if data.secret is not None else (existing.secret if existing else None)
    if secret is not None and len(secret) < _MIN_SECRET_LENGTH:
        problem("secret", "min_length", f"Het secret moet minstens {_MIN_SECRET_LENGTH} tekens hebben.")

    kolommen_in_use = set(profile.kolommen) if profile is not None else set(KOLOMMEN)
    for index, kolom in enumerate(data.kolommen):
        if kolom not in kolommen_in_use:
            problem(f"kolommen.{index}", "unknown_kolom",
                    f"'{kolom}' is geen kolom van {_where(profile)}: {', '.join(sorted(kolommen_in_use))}.")
    kolommen = list(dict.fromkeys(data.kolommen))
    clusters = list(dict.fromkeys(data.clusters))
    if profile is not None:
        cluster_kolommen: set[str] = set()
        for index, cluster in enumerate(clusters):
            if cluster not in profile.clusters:
                problem(f"clusters.{index}", "unknown_cluster",
                        f"'{cluster}' is geen cluster van profiel {profile.archetype}: "
                        f"{', '.join(profile.clusters)}.")
            else:
                cluster_kolommen.update(profile.clusters[cluster].kolommen)
        if clusters and not problems:
            outside = [k for k in kolommen if k not in cluster_kolommen]
            if outside:
                problem("kolommen", "outside_clusters",
                        f"De kolommen {', '.join(outside)} horen niet bij de clusters {', '.join(clusters)}.")
            if not kolommen:
                # Limited to its clusters: then it serves exactly their kolommen.
                kolommen = [k for k in profile.kolommen if k in cluster_kolommen]
    elif clusters:
        for index, cluster in enumerate(clusters):
            if not cluster.strip():
                problem(f"clusters.{index}", "blank", "Een cluster heeft een naam.")

    for index, a in enumerate(data.autorisaties):
        name = f"autorisaties.{index}"
        if a.max_vertrouwelijkheidaanduiding is not None and a.max_vertrouwelijkheidaanduiding not in VERTROUWELIJKHEID:
            problem(f"{name}.maxVertrouwelijkheidaanduiding", "invalid_choice",
                    f"Kies uit: {', '.join(VERTROUWELIJKHEID)}.")
        for field in ("zaaktype", "informatieobjecttype", "besluittype", "catalogus"):
            value = getattr(a, field)
            if value is not None and not _is_url(value):
                problem(f"{name}.{field}", "invalid", "Voer een geldige URL in.")
        for field in ("zaaktype", "informatieobjecttype", "besluittype"):
            if getattr(a, field) is not None and _TYPE_FIELD.get(a.component) != field:
                problem(f"{name}.{field}", "invalid", f"Een autorisatie op component {a.component} heeft geen {field}.")
        prefix = _SCOPE_PREFIX.get(a.component)
        if prefix is not None and any(scope.startswith(prefix) for scope in a.scopes):
            type_field = _TYPE_FIELD[a.component]
            # The suite's narrowing (per catalogus or kolom) stands in for a zaaktype.
            narrowed = a.component == ZRC and bool(a.catalogus or a.kolom or kolommen)
            if getattr(a, type_field) is None and not narrowed:
                problem(f"{name}.{type_field}", "required",
                        f"Dit veld is vereist als `component` {a.component} is.")
            if a.component in _NEEDS_VERTROUWELIJKHEID and a.max_vertrouwelijkheidaanduiding is None:
                problem(f"{name}.maxVertrouwelijkheidaanduiding", "required",
                        f"Dit veld is vereist als `component` {a.component} is.")
        if a.kolom is not None:
            if a.kolom not in kolommen_in_use:
                problem(f"{name}.kolom", "unknown_kolom", f"'{a.kolom}' is geen kolom van {_where(profile)}.")
            elif kolommen and a.kolom not in kolommen:
                problem(f"{name}.kolom", "outside_kolommen",
                        f"'{a.kolom}' is geen van de kolommen van deze applicatie.")
    if problems:
        raise ValidatieFout(problems)
    return ApplicatieRecord(
        uuid=uuid, client_ids=data.client_ids, label=data.label, secret=secret,
        heeft_alle_autorisaties=data.heeft_alle_autorisaties,
        autorisaties=[Autorisatie(component=a.component, scopes=a.scopes, zaaktype=a.zaaktype,
                                  informatieobjecttype=a.informatieobjecttype, besluittype=a.besluittype,
                                  catalogus=a.catalogus, kolom=a.kolom,
                                  max_vertrouwelijkheidaanduiding=a.max_vertrouwelijkheidaanduiding)
                      for a in data.autorisaties],
        kolommen=kolommen, clusters=clusters,
    )


def _where(profile: Profile | None) -> str:
    return f"profiel {profile.archetype}" if profile is not None else "de suite"


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _object(body: Any) -> dict[str, Any]:
    """The body as a JSON object without the read-only fields a client may send back as it read them."""
    if not isinstance(body, dict):
        raise ValidatieFout.single("nonFieldErrors", "invalid", "Verwacht een JSON-object.")
    data = {key: value for key, value in body.items() if key not in _READ_ONLY}
    if isinstance(data.get("autorisaties"), list):
        data["autorisaties"] = [
            {k: v for k, v in a.items() if k not in _READ_ONLY_AUTORISATIE} if isinstance(a, dict) else a
            for a in data["autorisaties"]]
    return data


def _parse(body: dict[str, Any]) -> ApplicatieIn:
    # Raises pydantic's ValidationError, which the shared handlers turn into a ValidatieFout.
    return ApplicatieIn.model_validate(body)


async def _existing(request: Request, uuid: str) -> ApplicatieRecord:
    record = await _store(request).fetch(uuid)
    if record is None:
        raise NotFound("Applicatie niet gevonden.", code="not_found")
    return record


@router.get("/applicaties")
async def list_applicaties(
    request: Request, ctx: Caller,
    page: Annotated[int, Query(ge=1, le=10_000_000)] = 1,
    page_size: Annotated[int | None, Query(alias="pageSize", ge=1)] = None,
    client_ids: Annotated[str | None, Query(alias="clientIds", max_length=10_000,
                                            description="Komma-gescheiden: applicaties met een van deze clientIds.")]
    = None,
) -> dict[str, Any]:
    _require(ctx, AUTORISATIES_LEZEN)
    settings = request.app.state.settings
    size = min(page_size or settings.page_size_default, settings.page_size_max)
    wanted = [c.strip() for c in (client_ids or "").split(",") if c.strip()]
    count, records = await _store(request).page((page - 1) * size, size, client_ids=wanted)
    if page > 1 and not records:
        raise NotFound("Ongeldige pagina.", code="not_found")
    base = f"{settings.public_base_url.rstrip('/')}{PREFIX}/applicaties"

    def link(number: int) -> str:
        return f"{base}?{request.url.include_query_params(page=number).query}"

    return {
        "count": count,
        "next": link(page + 1) if (page - 1) * size + len(records) < count else None,
        "previous": link(page - 1) if page > 1 else None,
        "results": [_out(request, r) for r in records],
    }


@router.post("/applicaties", status_code=201, openapi_extra=_BODY)
async def create_applicatie(request: Request, response: Response, ctx: Caller,
                            body: Annotated[Any, Body()]) -> dict[str, Any]:
    _require(ctx, AUTORISATIES_BIJWERKEN)
    record = _record(_parse(_object(body)), ApplicatieRecord.new_uuid(), request.app.state.profile, existing=None)
    await _store(request).save(record, new=True)
    response.headers["location"] = _url(request, record.uuid)
    return _out(request, record)


# Before /applicaties/{uuid}, which would take "consumer" for a uuid.
@router.get("/applicaties/consumer")
async def consumer_applicatie(request: Request, ctx: Caller,
                              client_id: Annotated[str, Query(alias="clientId", min_length=1, max_length=255)]
                              ) -> dict[str, Any]:
    """The applicatie of one client id, with its autorisaties (as the standard's reference answers: one
    object, 404 when no applicatie has it)."""
    _require(ctx, AUTORISATIES_LEZEN)
    record = await _store(request).by_client_id(client_id)
    if record is None:
        raise NotFound("Geen applicatie met deze clientId.", code="not_found")
    return _out(request, record)


@router.get("/applicaties/{uuid}")
async def read_applicatie(request: Request, uuid: str, ctx: Caller) -> dict[str, Any]:
    _require(ctx, AUTORISATIES_LEZEN)
    return _out(request, await _existing(request, uuid))


@router.put("/applicaties/{uuid}", openapi_extra=_BODY)
async def update_applicatie(request: Request, uuid: str, ctx: Caller,
                            body: Annotated[Any, Body()]) -> dict[str, Any]:
    _require(ctx, AUTORISATIES_BIJWERKEN)
    existing = await _existing(request, uuid)
    record = _record(_parse(_object(body)), uuid, request.app.state.profile, existing=existing)
    await _store(request).save(record, new=False)
    return _out(request, record)


@router.patch("/applicaties/{uuid}", openapi_extra=_BODY)
async def patch_applicatie(request: Request, uuid: str, ctx: Caller,
                           body: Annotated[Any, Body()]) -> dict[str, Any]:
    _require(ctx, AUTORISATIES_BIJWERKEN)
    existing = await _existing(request, uuid)
    merged = _fields(existing)
    # What the body leaves out stays as stored (so heeftAlleAutorisaties beside stored autorisaties is as
    # ambiguous as in one body, as in the reference).
    merged.update(_object(body))
    record = _record(_parse(merged), uuid, request.app.state.profile, existing=existing)
    await _store(request).save(record, new=False)
    return _out(request, record)


@router.delete("/applicaties/{uuid}", status_code=204)
async def delete_applicatie(request: Request, uuid: str, ctx: Caller) -> Response:
    _require(ctx, AUTORISATIES_BIJWERKEN)
    if not await _store(request).delete(uuid):
        raise NotFound("Applicatie niet gevonden.", code="not_found")
    return Response(status_code=204)


def openapi_document(app: FastAPI) -> DocumentSource:
    """The OpenAPI document of this API (served public by ``contract_routes``, as every API's is)."""
    cache: dict[str, Any] = {}

    async def document() -> dict[str, Any]:
        if "doc" not in cache:
            doc = get_openapi(
                title=TITLE, version=API_VERSION,
                description=("De Autorisaties API 1.0 van VNG (componenten `ac`, `nrc`, `zrc`, `ztc`, `drc`, `brc`), "
                             "met de uitbreiding van de Sociaal Domein Suite: de componenten "
                             + ", ".join(f"`{c}`" for c in SUITE_COMPONENTS)
                             + ", per autorisatie `catalogus` en `kolom`, per applicatie `kolommen`, `clusters` en "
                             "een alleen te schrijven `secret`."),
                routes=[r for r in router.routes if getattr(r, "include_in_schema", False)],
            )
            doc["components"] = {**doc.get("components", {}), "schemas": {
                **doc.get("components", {}).get("schemas", {}),
                **_body_schemas(),
            }}
            cache["doc"] = zgw_document(doc, prefix=PREFIX, base_url=app.state.settings.public_base_url)
        return cache["doc"]

    return document


def _body_schemas() -> dict[str, Any]:
    schema = ApplicatieIn.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")
    definitions = schema.pop("$defs", {})
    return {**definitions, "Applicatie": schema}
