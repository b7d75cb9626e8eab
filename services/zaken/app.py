"""Composition root of the zaken service: ``uvicorn --factory services.zaken.app:create_app``."""

from fastapi import FastAPI

from sds.runtime.app import Api, Subscription, create_service_app
from sds.runtime.settings import ServiceSettings
from sds.runtime.verwerkingenlog import Verwerkingenlog
from services.zaken import api, intake
from services.zaken.models import metadata
from services.zaken.settings import ZakenSettings
from services.zaken.zaken.models import verwerkingen

SERVICE = "zaken"


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    if not isinstance(settings, ZakenSettings):
        # A plain ServiceSettings (as the suite's generic tests pass) gets this service's settings from the env.
        settings = ZakenSettings(**(settings.model_dump() if settings else {"service": SERVICE}))
    app = create_service_app(settings, metadata=metadata, apis=[
        Api(prefix="/zaken/api/v1", title="Zaken API", version="1.5.1", router=api.zaken_router),
        Api(prefix="/catalogi/api/v1", title="Catalogi API", version="1.3.1", router=api.catalogi_router),
        # Beside Zaken and Catalogi, as Open Zaak hosts it: a besluit's besluittype and zaak are in this database.
        Api(prefix="/besluiten/api/v1", title="Besluiten API", version="1.0.2", router=api.besluiten_router),
    ], subscriptions=[
        Subscription(purpose="triage", subjects=[intake.SUBJECT], handler=intake.make_handler(settings)),
    ])
    app.state.verwerkingenlog = Verwerkingenlog.uit(verwerkingen, settings)
    return app
