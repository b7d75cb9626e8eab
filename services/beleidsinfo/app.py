"""Composition root of the beleidsinfo service: ``uvicorn --factory services.beleidsinfo.app:create_app``."""

from fastapi import FastAPI

from sds.runtime.app import Api, create_service_app
from sds.runtime.settings import ServiceSettings
from services.beleidsinfo import api
from services.beleidsinfo.models import metadata

SERVICE = "beleidsinfo"


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or ServiceSettings(service=SERVICE)
    return create_service_app(settings, metadata=metadata, apis=[
        Api(prefix="/beleidsinfo/api/v1", title="Beleidsinfo API", version="1.0.0", router=api.router),
    ])
