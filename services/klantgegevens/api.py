"""HTTP routes of the Klantgegevens API: HTTP in and out only; the rules live in the use-case modules.

A BSN is only ever accepted in a request body (``POST /personen``, ``POST /inschrijvingen``,
``POST /verwerkingen/zoeken``), never in a path or query string.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from sds.runtime.app import Uow
from sds.runtime.auth import Auth
from sds.runtime.errors import NotFound, ValidatieFout
from sds.runtime.pagination import PageParams, Pagination
from services.klantgegevens import contacten, dossier, huishoudens, personen, verwerkingen
from services.klantgegevens.context import Kg
from services.klantgegevens.schemas import (
    QUERY_TYPES,
    Contactmoment,
    Huishouden,
    Inschrijving,
    NieuwContactmoment,
    NieuweToestemming,
    NieuwHuishouden,
    NieuwLid,
    PersonenAntwoord,
    PersonenQuery,
    Persoon,
    RolWijziging,
    Toestemming,
    VerwerkingenZoeken,
)


class _Route(APIRoute):
    """Names a field inside a ``type``-discriminated body as the client wrote it (``burgerservicenummer.0``),
    without the variant pydantic puts in front of it."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                errors = [{**e, "loc": tuple(p for p in e.get("loc", ()) if p not in QUERY_TYPES)}
                          for e in exc.errors()]
                raise RequestValidationError(errors, body=exc.body) from None

        return handle


router = APIRouter(route_class=_Route)

_PERSOON_URL = re.compile(r"/personen/([0-9a-fA-F-]{36})$")
PersoonQuery = Annotated[str, Query(max_length=1000, description="URL van de persoon")]


def _persoon_uuid(url: str) -> str:
    match = _PERSOON_URL.search(url)
    try:
        return str(UUID(match.group(1))) if match else ""
    except ValueError:
        pass
    raise ValidatieFout.single("persoon", "invalid", "Geef de URL van een persoon.")


def _page(items: list[dict[str, Any]], params: PageParams, request: Request) -> dict[str, Any]:
    """Lists per person are small and capped in the query; they still answer in the suite's list shape."""
    chunk = items[params.offset:params.offset + params.page_size]
    if params.page > 1 and not chunk:
        raise NotFound("Ongeldige pagina.")
    base = request.app.state.settings.public_base_url.rstrip("/") + request.url.path

    def url(page: int) -> str:
        return f"{base}?{request.url.include_query_params(page=page).query}"

    return {"count": len(items), "next": url(params.page + 1) if params.offset + len(chunk) < len(items) else None,
            "previous": url(params.page - 1) if params.page > 1 else None, "results": chunk}


# --- personen ----------------------------------------------------------------------------------------------

@router.post("/personen", response_model=PersonenAntwoord, response_model_by_alias=True, tags=["personen"],
             summary="Personen zoeken of raadplegen (zoekvraag in de body, zoals Haal Centraal BRP)")
async def zoek_personen(query: Annotated[PersonenQuery, Body()], kg: Kg, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await personen.raadpleeg(kg, uow.session, auth, query)


@router.post("/inschrijvingen", status_code=201, response_model=Persoon, tags=["personen"],
             summary="Een persoon lokaal inschrijven (zonder BRP achter de suite)")
async def schrijf_in(body: Inschrijving, kg: Kg, uow: Uow, auth: Auth, response: Response) -> Any:
    async with uow:
        out = await personen.schrijf_in(kg, uow.session, auth, body)
    response.headers["Location"] = out["url"]
    return out


@router.get("/personen/{uuid}", response_model=Persoon, tags=["personen"])
async def lees_persoon(uuid: UUID, kg: Kg, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await personen.lees(kg, uow.session, auth, str(uuid))


# --- huishoudens -------------------------------------------------------------------------------------------

@router.post("/huishoudens", status_code=201, response_model=Huishouden, tags=["huishoudens"])
async def registreer_huishouden(body: NieuwHuishouden, kg: Kg, uow: Uow, auth: Auth, response: Response) -> Any:
    async with uow:
        out = await huishoudens.registreer(kg, uow, auth, body)
    response.headers["Location"] = out["url"]
    return out


@router.get("/huishoudens/{uuid}", response_model=Huishouden, tags=["huishoudens"])
async def lees_huishouden(uuid: UUID, kg: Kg, uow: Uow, auth: Auth,
                          historie: Annotated[bool, Query(description="ook vertrokken leden, met van en tot")] = False
                          ) -> Any:
    async with uow:
        return await huishoudens.lees(kg, uow, auth, str(uuid), historie=historie)


@router.post("/huishoudens/{uuid}/leden", status_code=201, response_model=Huishouden, tags=["huishoudens"],
             summary="Een persoon toevoegen; hoort die bij een ander huishouden, dan verhuist hij")
async def voeg_lid_toe(uuid: UUID, body: NieuwLid, kg: Kg, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await huishoudens.voeg_lid_toe(kg, uow, auth, str(uuid), body)


@router.put("/huishoudens/{uuid}/leden/{persoon}", response_model=Huishouden, tags=["huishoudens"])
async def wijzig_rol(uuid: UUID, persoon: UUID, body: RolWijziging, kg: Kg, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await huishoudens.wijzig_rol(kg, uow, auth, str(uuid), str(persoon), body.rol)


@router.delete("/huishoudens/{uuid}/leden/{persoon}", status_code=204, tags=["huishoudens"],
               summary="Het lidmaatschap beëindigen (de historie blijft)")
async def vertrek(uuid: UUID, persoon: UUID, kg: Kg, uow: Uow, auth: Auth) -> Response:
    async with uow:
        await huishoudens.vertrek(kg, uow, auth, str(uuid), str(persoon))
    return Response(status_code=204)


# --- contactmomenten ---------------------------------------------------------------------------------------

@router.post("/contactmomenten", status_code=201, response_model=Contactmoment, tags=["contactmomenten"])
async def registreer_contactmoment(body: NieuwContactmoment, kg: Kg, uow: Uow, auth: Auth,
                                   response: Response) -> Any:
    async with uow:
        out = await contacten.registreer_contactmoment(kg, uow, auth, body)
    response.headers["Location"] = out["url"]
    return out


@router.get("/contactmomenten", tags=["contactmomenten"])
async def lijst_contactmomenten(persoon: PersoonQuery, request: Request, kg: Kg, uow: Uow, auth: Auth,
                                params: Pagination) -> Any:
    persoon_uuid = _persoon_uuid(persoon)
    async with uow:
        return _page(await contacten.contactmomenten_van(kg, uow, auth, persoon_uuid), params, request)


@router.get("/contactmomenten/{uuid}", response_model=Contactmoment, tags=["contactmomenten"])
async def lees_contactmoment(uuid: UUID, kg: Kg, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await contacten.lees_contactmoment(kg, uow, auth, str(uuid))


# --- toestemmingen -----------------------------------------------------------------------------------------

@router.post("/toestemmingen", status_code=201, response_model=Toestemming, tags=["toestemmingen"])
async def registreer_toestemming(body: NieuweToestemming, kg: Kg, uow: Uow, auth: Auth, response: Response) -> Any:
    async with uow:
        out = await contacten.registreer_toestemming(kg, uow, auth, body)
    response.headers["Location"] = out["url"]
    return out


@router.get("/toestemmingen", tags=["toestemmingen"])
async def lijst_toestemmingen(persoon: PersoonQuery, request: Request, kg: Kg, uow: Uow, auth: Auth,
                              params: Pagination) -> Any:
    persoon_uuid = _persoon_uuid(persoon)
    async with uow:
        return _page(await contacten.toestemmingen_van(kg, uow, auth, persoon_uuid), params, request)


@router.post("/toestemmingen/{uuid}/intrekking", response_model=Toestemming, tags=["toestemmingen"])
async def trek_toestemming_in(uuid: UUID, kg: Kg, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await contacten.trek_in(kg, uow, auth, str(uuid))


# --- verwerkingenlog ---------------------------------------------------------------------------------------

@router.get("/verwerkingen", tags=["verwerkingenlog"], summary="De verwerkingenlog doorzoeken (scope "
            "verwerkingenlog.lezen)")
async def lijst_verwerkingen(
    request: Request, uow: Uow, auth: Auth, params: Pagination,
    betrokkene: Annotated[str | None, Query(pattern=r"^[0-9a-f]{32}$", description="pseudoniem")] = None,
    client_id: Annotated[str | None, Query(alias="clientId", max_length=255)] = None,
    trace_id: Annotated[str | None, Query(alias="traceId", pattern=r"^[0-9a-f]{32}$")] = None,
    van: Annotated[datetime | None, Query()] = None,
    tot: Annotated[datetime | None, Query()] = None,
) -> Any:
    async with uow:
        return await verwerkingen.lijst(uow, auth, request, params, betrokkene=betrokkene, client_id=client_id,
                                        trace_id=trace_id, van=van, tot=tot)


@router.post("/verwerkingen/zoeken", tags=["verwerkingenlog"],
             summary="De verwerkingen van één persoon, gezocht op BSN (in de body)")
async def zoek_verwerkingen(body: VerwerkingenZoeken, request: Request, kg: Kg, uow: Uow, auth: Auth,
                            params: Pagination) -> Any:
    async with uow:
        return await verwerkingen.zoek_op_bsn(kg, uow, auth, request, params, body.burgerservicenummer, body.van,
                                              body.tot)


@router.get("/eigen-verwerkingen", tags=["inwoner"],
            summary="Welke organisaties verwerkten mijn gegevens, en wanneer")
async def eigen_verwerkingen(request: Request, kg: Kg, uow: Uow, auth: Auth, params: Pagination) -> Any:
    async with uow:
        return await verwerkingen.eigen(kg, uow, auth, request, params)


@router.get("/eigen-dossier", tags=["inwoner"], summary="Het eigen digitaal klantdossier van het huishouden")
async def eigen_dossier(kg: Kg, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await dossier.eigen_dossier(kg, uow, auth)
