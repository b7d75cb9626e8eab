"""Composition root of the klantgegevens service: ``uvicorn --factory services.klantgegevens.app:create_app``."""

from fastapi import FastAPI

from sds.runtime.app import Api, Subscription, create_service_app
from sds.runtime.settings import ServiceSettings
from sds.runtime.verwerkingenlog import Verwerkingenlog
from services.klantgegevens import api, handlers
from services.klantgegevens.brp import HaalCentraalBrp
from services.klantgegevens.context import API_PREFIX, Klantgegevens
from services.klantgegevens.models import metadata, verwerkingen
from services.klantgegevens.settings import KlantgegevensSettings

SERVICE = "klantgegevens"


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    if not isinstance(settings, KlantgegevensSettings):
        # A plain ServiceSettings (as the suite's generic tests pass) gets this service's settings from the env.
        settings = KlantgegevensSettings(**(settings.model_dump() if settings else {"service": SERVICE}))
    eigen_dossier = settings.eigen_dossier_aan()
    subscriptions = [Subscription("toegang", handlers.TOEGANG_SUBJECTS, handlers.toegang)]
    if eigen_dossier:
        # The read model is kept only where the archetype has the dossier; a new durable replays the stream.
        subscriptions.append(Subscription("dossier", handlers.DOSSIER_SUBJECTS, handlers.dossier))
    app = create_service_app(settings, metadata=metadata, apis=[
        Api(prefix=API_PREFIX, title="Klantgegevens API", version="1.0.0", router=api.router),
    ], subscriptions=subscriptions)
    bron = (HaalCentraalBrp(settings.brp_url, api_key=settings.brp_api_key, timeout=settings.brp_timeout)
            if settings.brp_url else None)
    app.state.klantgegevens = Klantgegevens(
        settings=settings,
        log=Verwerkingenlog.uit(verwerkingen, settings),
        bron=bron,
        eigen_dossier=eigen_dossier,
    )
    return app
