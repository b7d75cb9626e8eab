"""The Notificaties API's router: kanalen, abonnementen, notificaties and the suite's leveringen."""

from fastapi import APIRouter

from services.notificaties.abonnementen.routes import router as abonnementen
from services.notificaties.kanalen.routes import router as kanalen
from services.notificaties.notificaties.routes import router as notificaties

router = APIRouter()
router.include_router(kanalen)
router.include_router(abonnementen)
router.include_router(notificaties)
