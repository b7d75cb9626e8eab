"""Composition root of the klantgegevens service: ``uvicorn --factory services.klantgegevens.app:create_app``."""

from fastapi import FastAPI

from sds.runtime.app import Api, create_service_app
from sds.runtime.settings import ServiceSettings
from services.klantgegevens import api
from services.klantgegevens.models import metadata

SERVICE = "klantgegevens"


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or ServiceSettings(service=SERVICE)
    return create_service_app(settings, metadata=metadata, apis=[
        Api(prefix="/klantgegevens/api/v1", title="Klantgegevens API", version="1.0.0", router=api.router),
    ])
