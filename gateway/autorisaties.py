"""The Autorisaties API of the gateway: ``/autorisaties/api/v1/applicaties``.

The ZGW Autorisaties API 1.0 shape of an applicatie (``url``, ``uuid``, ``clientIds``, ``label``,
``heeftAlleAutorisaties``, ``autorisaties``), extended with the kolommen and clusters it serves
and a ``secret`` that is write-only: accepted on create and update, never returned or logged.
Reading takes ``autorisaties.lezen``, changing ``autorisaties.bijwerken`` (component
``autorisaties``), or ``heeftAlleAutorisaties``.

An external party is an applicatie limited to its cluster: with an active archetype profile its
clusters must be the profile's, its kolommen must lie in them (and are taken from them when none
are given), so its tokens never reach another cluster's data.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from gateway.applicaties import ApplicatieRecord, SqlApplicatieStore
from gateway.limits import retry_after
from sds.profiles.model import KOLOMMEN, Profile
from sds.runtime.auth import VERTROUWELIJKHEID, AuthContext, Autorisatie
from sds.runtime.errors import ApiError, NotFound, PermissionDenied, ValidatieFout

PREFIX = "/autorisaties/api/v1"
COMPONENTEN = ("zaken", "catalogi", "intake", "klantgegevens", "financien", "beleidsinfo", "autorisaties")
SCOPE_LEZEN = "autorisaties.lezen"
SCOPE_BIJWERKEN = "autorisaties.bijwerken"
_MIN_SECRET_LENGTH = 16

router = APIRouter(prefix=PREFIX)


class _Camel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class AutorisatieIn(_Camel):
    component: Literal["zaken", "catalogi", "intake", "klantgegevens", "financien", "beleidsinfo", "autorisaties"]
    scopes: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(min_length=1)
    zaaktype: str | None = Field(None, max_length=1000)
    catalogus: str | None = Field(None, max_length=1000)
    kolom: str | None = None
    max_vertrouwelijkheidaanduiding: str | None = Field(None, alias="maxVertrouwelijkheidaanduiding")


class ApplicatieIn(_Camel):
    client_ids: list[Annotated[str, Field(min_length=1, max_length=255)]] = Field(alias="clientIds", min_length=1)
    label: str = Field(min_length=1, max_length=100)
    heeft_alle_autorisaties: bool = Field(False, alias="heeftAlleAutorisaties")
    autorisaties: list[AutorisatieIn] = Field(default_factory=list)
    kolommen: list[str] = Field(default_factory=list)
    clusters: list[str] = Field(default_factory=list)
    secret: str | None = Field(None, max_length=1000)


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
    if scope == SCOPE_LEZEN and ctx.has_scope("autorisaties", SCOPE_BIJWERKEN):
        return
    if not ctx.has_scope("autorisaties", scope):
        raise PermissionDenied(f"Deze applicatie heeft de scope '{scope}' niet.", code="permission_denied")


def _store(request: Request) -> SqlApplicatieStore:
    store: SqlApplicatieStore = request.app.state.store
    return store


def _url(request: Request, uuid: str) -> str:
    base = request.app.state.settings.public_base_url.rstrip("/")
    return f"{base}{PREFIX}/applicaties/{uuid}"


def _out(request: Request, record: ApplicatieRecord) -> dict[str, Any]:
    autorisaties = []
    for a in record.autorisaties:
        item: dict[str, Any] = {"component": a.component, "scopes": a.scopes}
        for key, value in (("zaaktype", a.zaaktype), ("catalogus", a.catalogus), ("kolom", a.kolom),
                           ("maxVertrouwelijkheidaanduiding", a.max_vertrouwelijkheidaanduiding)):
            if value is not None:
                item[key] = value
        autorisaties.append(item)
    return {
        "url": _url(request, record.uuid),
        "uuid": record.uuid,
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
    secret = data.secret if data.secret is not None else (existing.secret if existing else None)
    if secret is None:
        problem("secret", "required", "Een nieuwe applicatie heeft een secret nodig.")
    elif len(secret) < _MIN_SECRET_LENGTH:
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
        if a.kolom is not None:
            if a.kolom not in kolommen_in_use:
                problem(f"{name}.kolom", "unknown_kolom", f"'{a.kolom}' is geen kolom van {_where(profile)}.")
            elif kolommen and a.kolom not in kolommen:
                problem(f"{name}.kolom", "outside_kolommen",
                        f"'{a.kolom}' is geen van de kolommen van deze applicatie.")
    if problems:
        raise ValidatieFout(problems)
    assert secret is not None
    return ApplicatieRecord(
        uuid=uuid, client_ids=data.client_ids, label=data.label, secret=secret,
        heeft_alle_autorisaties=data.heeft_alle_autorisaties,
        autorisaties=[Autorisatie(component=a.component, scopes=a.scopes, zaaktype=a.zaaktype,
                                  catalogus=a.catalogus, kolom=a.kolom,
                                  max_vertrouwelijkheidaanduiding=a.max_vertrouwelijkheidaanduiding)
                      for a in data.autorisaties],
        kolommen=kolommen, clusters=clusters,
    )


def _where(profile: Profile | None) -> str:
    return f"profiel {profile.archetype}" if profile is not None else "de suite"


def _parse(body: Any) -> ApplicatieIn:
    if not isinstance(body, dict):
        raise ValidatieFout.single("nonFieldErrors", "invalid", "Verwacht een JSON-object.")
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
) -> dict[str, Any]:
    _require(ctx, SCOPE_LEZEN)
    settings = request.app.state.settings
    size = min(page_size or settings.page_size_default, settings.page_size_max)
    count, records = await _store(request).page((page - 1) * size, size)
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


@router.post("/applicaties", status_code=201)
async def create_applicatie(request: Request, response: Response, ctx: Caller,
                            body: Annotated[Any, Body()]) -> dict[str, Any]:
    _require(ctx, SCOPE_BIJWERKEN)
    record = _record(_parse(body), ApplicatieRecord.new_uuid(), request.app.state.profile, existing=None)
    await _store(request).save(record, new=True)
    response.headers["location"] = _url(request, record.uuid)
    return _out(request, record)


@router.get("/applicaties/{uuid}")
async def read_applicatie(request: Request, uuid: str, ctx: Caller) -> dict[str, Any]:
    _require(ctx, SCOPE_LEZEN)
    return _out(request, await _existing(request, uuid))


@router.put("/applicaties/{uuid}")
async def update_applicatie(request: Request, uuid: str, ctx: Caller,
                            body: Annotated[Any, Body()]) -> dict[str, Any]:
    _require(ctx, SCOPE_BIJWERKEN)
    existing = await _existing(request, uuid)
    # Without a secret the stored one stays: a client that cannot read it back cannot resend it.
    record = _record(_parse(body), uuid, request.app.state.profile, existing=existing)
    await _store(request).save(record, new=False)
    return _out(request, record)


@router.patch("/applicaties/{uuid}")
async def patch_applicatie(request: Request, uuid: str, ctx: Caller,
                           body: Annotated[Any, Body()]) -> dict[str, Any]:
    _require(ctx, SCOPE_BIJWERKEN)
    existing = await _existing(request, uuid)
    if not isinstance(body, dict):
        raise ValidatieFout.single("nonFieldErrors", "invalid", "Verwacht een JSON-object.")
    current = _out(request, existing)
    merged = {key: current[key] for key in ("clientIds", "label", "heeftAlleAutorisaties", "autorisaties",
                                            "kolommen", "clusters")}
    merged.update(body)
    record = _record(_parse(merged), uuid, request.app.state.profile, existing=existing)
    await _store(request).save(record, new=False)
    return _out(request, record)


@router.delete("/applicaties/{uuid}", status_code=204)
async def delete_applicatie(request: Request, uuid: str, ctx: Caller) -> Response:
    _require(ctx, SCOPE_BIJWERKEN)
    if not await _store(request).delete(uuid):
        raise NotFound("Applicatie niet gevonden.", code="not_found")
    return Response(status_code=204)

