"""Composition root of the financien service: ``uvicorn --factory services.financien.app:create_app``."""

from fastapi import FastAPI

from sds.runtime.app import Api, create_service_app
from sds.runtime.settings import ServiceSettings
from services.financien import api
from services.financien.models import metadata

SERVICE = "financien"


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or ServiceSettings(service=SERVICE)
    return create_service_app(settings, metadata=metadata, apis=[
        Api(prefix="/financien/api/v1", title="Financien API", version="1.0.0", router=api.router),
    ])
