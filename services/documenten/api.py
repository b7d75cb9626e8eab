"""HTTP routes of the Documenten API, gathered from the packages that own them."""

from fastapi import APIRouter

from services.documenten.gebruiksrechten.routes import router as gebruiksrechten_routes
from services.documenten.informatieobjecten.routes import router as informatieobjecten_routes
from services.documenten.objectinformatieobjecten.routes import router as oio_routes
from services.documenten.verzendingen.routes import router as verzendingen_routes

router = APIRouter()
router.include_router(informatieobjecten_routes)
router.include_router(gebruiksrechten_routes)
router.include_router(oio_routes)
router.include_router(verzendingen_routes)
