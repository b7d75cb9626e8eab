"""HTTP routes of the Intake API: aanvragen (with statusberichten and termijnen) and signalen."""

from fastapi import APIRouter

from services.intake.aanvragen.routes import router as aanvragen_router
from services.intake.signalen.routes import router as signalen_router

router = APIRouter()
router.include_router(aanvragen_router)
router.include_router(signalen_router)
