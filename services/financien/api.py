"""HTTP routes of the Financien API: HTTP in and out only; the rules live in the use-case modules."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from sds.runtime.app import Uow
from sds.runtime.auth import Auth
from sds.runtime.errors import ValidatieFout
from sds.runtime.pagination import Pagination
from services.financien import budgetten, declaraties, inkoop, schemas, toewijzingen, verzoeken

router = APIRouter()
HUISHOUDEN_URL = r"^https?://[^\s?#]+/huishoudens/[0-9a-fA-F-]{36}$"


def _created(response: Response, out: dict[str, Any]) -> dict[str, Any]:
    response.headers["Location"] = out["url"]
    return out


def _uuid_query(kind: str) -> Any:
    return Query(description=f"URL van een {kind}", max_length=1000)


def _uuid_of(ref: str | None, name: str) -> str | None:
    """The uuid at the end of a resource URL given as a query filter."""
    if ref is None:
        return None
    try:
        return str(UUID(ref.rstrip("/").rsplit("/", 1)[-1]))
    except ValueError:
        raise ValidatieFout.single(name, "invalid", "Geen URL van een resource.") from None


# --- aanbieders -------------------------------------------------------------------------------------------

@router.post("/aanbieders", status_code=201, tags=["inkoop"])
async def maak_aanbieder(body: schemas.NieuweAanbieder, request: Request, response: Response, uow: Uow,
                         auth: Auth) -> Any:
    async with uow:
        return _created(response, await inkoop.maak_aanbieder(uow.session, request, auth, body))


@router.get("/aanbieders", tags=["inkoop"])
async def lijst_aanbieders(request: Request, uow: Uow, auth: Auth, params: Pagination) -> Any:
    async with uow:
        return await inkoop.lijst_aanbieders(uow.session, request, auth, params)


@router.get("/aanbieders/{uuid}", tags=["inkoop"])
async def lees_aanbieder(uuid: UUID, request: Request, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await inkoop.lees_aanbieder(uow.session, request, auth, str(uuid))


# --- contracten, producten, tarieven ----------------------------------------------------------------------

@router.post("/contracten", status_code=201, tags=["inkoop"])
async def maak_contract(body: schemas.NieuwContract, request: Request, response: Response, uow: Uow,
                        auth: Auth) -> Any:
    async with uow:
        return _created(response, await inkoop.maak_contract(uow.session, request, auth, body))


@router.get("/contracten", tags=["inkoop"])
async def lijst_contracten(request: Request, uow: Uow, auth: Auth, params: Pagination) -> Any:
    async with uow:
        return await inkoop.lijst_contracten(uow.session, request, auth, params)


@router.get("/contracten/{uuid}", tags=["inkoop"])
async def lees_contract(uuid: UUID, request: Request, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await inkoop.lees_contract(uow.session, request, auth, str(uuid))


@router.post("/producten", status_code=201, tags=["inkoop"])
async def maak_product(body: schemas.NieuwProduct, request: Request, response: Response, uow: Uow,
                       auth: Auth) -> Any:
    async with uow:
        return _created(response, await inkoop.maak_product(uow.session, request, auth, body))


@router.get("/producten", tags=["inkoop"])
async def lijst_producten(request: Request, uow: Uow, auth: Auth, params: Pagination,
                          contract: Annotated[str | None, _uuid_query("contract")] = None) -> Any:
    async with uow:
        return await inkoop.lijst_producten(uow.session, request, auth, params, _uuid_of(contract, "contract"))


@router.post("/tarieven", status_code=201, tags=["inkoop"])
async def maak_tarief(body: schemas.NieuwTarief, request: Request, response: Response, uow: Uow,
                      auth: Auth) -> Any:
    async with uow:
        return _created(response, await inkoop.maak_tarief(uow.session, request, auth, body))


@router.get("/tarieven", tags=["inkoop"])
async def lijst_tarieven(request: Request, uow: Uow, auth: Auth, params: Pagination,
                         product: Annotated[str | None, _uuid_query("product")] = None) -> Any:
    async with uow:
        return await inkoop.lijst_tarieven(uow.session, request, auth, params, _uuid_of(product, "product"))


# --- budgetten --------------------------------------------------------------------------------------------

@router.post("/budgetten", status_code=201, tags=["budgetten"])
async def maak_budget(body: schemas.NieuwBudget, request: Request, response: Response, uow: Uow,
                      auth: Auth) -> Any:
    async with uow:
        return _created(response, await budgetten.maak_budget(uow.session, request, auth, body))


@router.get("/budgetten", tags=["budgetten"])
async def lijst_budgetten(request: Request, uow: Uow, auth: Auth, params: Pagination,
                          jaar: Annotated[int | None, Query(ge=2015, le=2100)] = None) -> Any:
    async with uow:
        return await budgetten.lijst_budgetten(uow.session, request, auth, params, jaar)


@router.get("/budgetmonitor", tags=["budgetten"],
            summary="Budget, verplichtingen en realisatie per kolom, per cluster en per aanbieder")
async def budgetmonitor(request: Request, uow: Uow, auth: Auth,
                        jaar: Annotated[int, Query(ge=2015, le=2100)]) -> Any:
    async with uow:
        return await budgetten.monitor(uow.session, request, auth, jaar)


@router.get("/budgetmonitor/huishouden", tags=["budgetten"],
            summary="Wat de ondersteuning van één huishouden kost, over alle kolommen (verplicht en gerealiseerd)")
async def huishoudkosten(request: Request, uow: Uow, auth: Auth,
                         huishouden: Annotated[str, Query(max_length=1000, pattern=HUISHOUDEN_URL,
                                                          description="URL van een huishouden in klantgegevens")],
                         jaar: Annotated[int, Query(ge=2015, le=2100)]) -> Any:
    async with uow:
        return await budgetten.huishouden(uow.session, request, auth, huishouden, jaar)


@router.get("/budgetten/{uuid}", tags=["budgetten"])
async def lees_budget(uuid: UUID, request: Request, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await budgetten.lees_budget(uow.session, request, auth, str(uuid))


# --- toewijzingen -----------------------------------------------------------------------------------------

@router.get("/toewijzingen", tags=["toewijzingen"])
async def lijst_toewijzingen(
    request: Request, uow: Uow, auth: Auth, params: Pagination,
    status: Annotated[Literal["toegewezen", "afgewezen", "gestart", "gestopt"] | None, Query()] = None,
) -> Any:
    async with uow:
        return await toewijzingen.lijst(uow.session, request, auth, params, status)


@router.get("/toewijzingen/{uuid}", tags=["toewijzingen"])
async def lees_toewijzing(uuid: UUID, request: Request, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await toewijzingen.lees(uow.session, request, auth, str(uuid))


@router.post("/toewijzingen/{uuid}/start-zorg", tags=["toewijzingen"], summary="Start zorg melden (iJw/iWmo 305)")
async def start_zorg(uuid: UUID, body: schemas.StartZorg, request: Request, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await toewijzingen.start_zorg(uow, request, auth, str(uuid), body)


@router.post("/toewijzingen/{uuid}/stop-zorg", tags=["toewijzingen"], summary="Stop zorg melden (iJw/iWmo 307)")
async def stop_zorg(uuid: UUID, body: schemas.StopZorg, request: Request, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await toewijzingen.stop_zorg(uow, request, auth, str(uuid), body)


# --- verzoeken van de aanbieder (315, 317) -----------------------------------------------------------------

VerzoekStatus = Annotated[Literal["ingediend", "toegekend", "afgewezen"] | None, Query()]


@router.post("/toewijzingen/{uuid}/verzoeken-om-wijziging", status_code=201, tags=["verzoeken"],
             summary="Verzoek om wijziging van een toewijzing (iJw/iWmo 317), door de aanbieder")
async def dien_verzoek_om_wijziging_in(uuid: UUID, body: schemas.NieuwVerzoekOmWijziging, request: Request,
                                       response: Response, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return _created(response, await verzoeken.dien_verzoek_om_wijziging_in(uow, request, auth, str(uuid), body))


@router.get("/toewijzingen/{uuid}/verzoeken-om-wijziging", tags=["verzoeken"])
async def lijst_verzoeken_om_wijziging_van(uuid: UUID, request: Request, uow: Uow, auth: Auth, params: Pagination,
                                           status: VerzoekStatus = None) -> Any:
    async with uow:
        return await verzoeken.lijst_verzoeken_om_wijziging(uow.session, request, auth, params, str(uuid), status)


@router.get("/toewijzingen/{uuid}/verzoeken-om-wijziging/{verzoek}", tags=["verzoeken"])
async def lees_verzoek_om_wijziging(uuid: UUID, verzoek: UUID, request: Request, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await verzoeken.lees_verzoek_om_wijziging(uow.session, request, auth, str(uuid), str(verzoek))


@router.post("/toewijzingen/{uuid}/verzoeken-om-wijziging/{verzoek}/toekennen", tags=["verzoeken"],
             summary="Een verzoek om wijziging toekennen, door de gemeente: de toewijzing wijzigt")
async def ken_verzoek_om_wijziging_toe(uuid: UUID, verzoek: UUID, request: Request, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await verzoeken.ken_verzoek_om_wijziging_toe(uow, request, auth, str(uuid), str(verzoek))


@router.post("/toewijzingen/{uuid}/verzoeken-om-wijziging/{verzoek}/afwijzen", tags=["verzoeken"],
             summary="Een verzoek om wijziging afwijzen, door de gemeente, met een reden")
async def wijs_verzoek_om_wijziging_af(uuid: UUID, verzoek: UUID, body: schemas.Afwijzing, request: Request,
                                       uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await verzoeken.wijs_verzoek_om_wijziging_af(uow, request, auth, str(uuid), str(verzoek), body)


@router.get("/verzoeken-om-wijziging", tags=["verzoeken"], summary="Alle verzoeken om wijziging binnen bereik")
async def lijst_verzoeken_om_wijziging(request: Request, uow: Uow, auth: Auth, params: Pagination,
                                       status: VerzoekStatus = None) -> Any:
    async with uow:
        return await verzoeken.lijst_verzoeken_om_wijziging(uow.session, request, auth, params, None, status)


@router.post("/verzoeken-om-toewijzing", status_code=201, tags=["verzoeken"],
             summary="Verzoek om toewijzing (iJw/iWmo 315), door de aanbieder")
async def dien_verzoek_om_toewijzing_in(body: schemas.NieuwVerzoekOmToewijzing, request: Request,
                                        response: Response, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return _created(response, await verzoeken.dien_verzoek_om_toewijzing_in(uow, request, auth, body))


@router.get("/verzoeken-om-toewijzing", tags=["verzoeken"])
async def lijst_verzoeken_om_toewijzing(request: Request, uow: Uow, auth: Auth, params: Pagination,
                                        status: VerzoekStatus = None) -> Any:
    async with uow:
        return await verzoeken.lijst_verzoeken_om_toewijzing(uow.session, request, auth, params, status)


@router.get("/verzoeken-om-toewijzing/{uuid}", tags=["verzoeken"])
async def lees_verzoek_om_toewijzing(uuid: UUID, request: Request, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await verzoeken.lees_verzoek_om_toewijzing(uow.session, request, auth, str(uuid))


@router.post("/verzoeken-om-toewijzing/{uuid}/toekennen", tags=["verzoeken"],
             summary="Een verzoek om toewijzing toekennen, door de gemeente: de toewijzing wordt gemaakt")
async def ken_verzoek_om_toewijzing_toe(uuid: UUID, body: schemas.ToekenningVanVerzoek, request: Request, uow: Uow,
                                        auth: Auth) -> Any:
    async with uow:
        return await verzoeken.ken_verzoek_om_toewijzing_toe(uow, request, auth, str(uuid), body)


@router.post("/verzoeken-om-toewijzing/{uuid}/afwijzen", tags=["verzoeken"],
             summary="Een verzoek om toewijzing afwijzen, door de gemeente, met een reden")
async def wijs_verzoek_om_toewijzing_af(uuid: UUID, body: schemas.Afwijzing, request: Request, uow: Uow,
                                        auth: Auth) -> Any:
    async with uow:
        return await verzoeken.wijs_verzoek_om_toewijzing_af(uow, request, auth, str(uuid), body)


# --- declaraties ------------------------------------------------------------------------------------------

@router.post("/declaraties", status_code=201, tags=["declaraties"],
             summary="Een declaratie indienen (iJw/iWmo 323); het antwoord is per regel (325)")
async def dien_declaratie_in(body: schemas.NieuweDeclaratie, request: Request, response: Response, uow: Uow,
                             auth: Auth) -> Any:
    async with uow:
        return _created(response, await declaraties.dien_in(uow, request, auth, body))


@router.get("/declaraties", tags=["declaraties"])
async def lijst_declaraties(request: Request, uow: Uow, auth: Auth, params: Pagination) -> Any:
    async with uow:
        return await declaraties.lijst(uow.session, request, auth, params)


@router.get("/declaraties/{uuid}", tags=["declaraties"])
async def lees_declaratie(uuid: UUID, request: Request, uow: Uow, auth: Auth) -> Any:
    async with uow:
        return await declaraties.lees(uow.session, request, auth, str(uuid))
