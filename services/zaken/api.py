"""HTTP routes of the Zaken API and the Catalogi API, gathered from the packages that own them."""

from fastapi import APIRouter

from services.zaken.catalogi.routes import router as catalogi_routes
from services.zaken.plannen.routes import router as plannen_routes
from services.zaken.zaken.routes import router as zaken_routes

zaken_router = APIRouter()
zaken_router.include_router(zaken_routes)
zaken_router.include_router(plannen_routes)

catalogi_router = APIRouter()
catalogi_router.include_router(catalogi_routes)
