"""Composition root of the financien service: ``uvicorn --factory services.financien.app:create_app``."""

from fastapi import FastAPI

from sds.runtime.app import Api, Subscription, create_service_app
from sds.runtime.settings import ServiceSettings
from sds.runtime.verwerkingenlog import Verwerkingenlog
from services.financien import api, toewijzingen
from services.financien.context import API_PREFIX
from services.financien.models import metadata, verwerkingen
from services.financien.settings import FinancienSettings

SERVICE = "financien"


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    if not isinstance(settings, FinancienSettings):
        # A plain ServiceSettings (as the suite's generic tests pass) gets this service's settings from the env.
        settings = FinancienSettings(**(settings.model_dump() if settings else {"service": SERVICE}))
    app = create_service_app(settings, metadata=metadata, apis=[
        Api(prefix=API_PREFIX, title="Financien API", version="1.0.0", router=api.router),
    ], subscriptions=[
        Subscription("toewijzingen", toewijzingen.SUBJECTS, toewijzingen.handler(settings.public_base_url)),
    ])
    app.state.indeling = settings.indeling()
    app.state.verwerkingenlog = Verwerkingenlog.uit(verwerkingen, settings)
    return app
