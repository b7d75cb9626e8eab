"""Composition root of the intake service: ``uvicorn --factory services.intake.app:create_app``."""

from fastapi import FastAPI

from sds.runtime.app import Api, create_service_app
from sds.runtime.settings import ServiceSettings
from services.intake import api
from services.intake.models import metadata

SERVICE = "intake"


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or ServiceSettings(service=SERVICE)
    return create_service_app(settings, metadata=metadata, apis=[
        Api(prefix="/intake/api/v1", title="Intake API", version="1.0.0", router=api.router),
    ])
