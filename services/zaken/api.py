"""HTTP routes of the Zaken API, the Catalogi API and the Besluiten API, gathered from the packages that own them."""

from fastapi import APIRouter

from services.zaken.besluiten.routes import router as besluiten_routes
from services.zaken.catalogi.routes import router as catalogi_routes
from services.zaken.plannen.routes import router as plannen_routes
from services.zaken.zaken.routes import router as zaken_routes

zaken_router = APIRouter()
zaken_router.include_router(zaken_routes)
zaken_router.include_router(plannen_routes)

catalogi_router = APIRouter()
catalogi_router.include_router(catalogi_routes)

besluiten_router = APIRouter()
besluiten_router.include_router(besluiten_routes)
