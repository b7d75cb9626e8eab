"""HTTP routes of the Zaken API and the Catalogi API, gathered from the packages that own them."""

from fastapi import APIRouter

from services.zaken.catalogi.routes import router as catalogi_routes

zaken_router = APIRouter()

catalogi_router = APIRouter()
catalogi_router.include_router(catalogi_routes)
