"""Composition root of the documenten service: ``uvicorn --factory services.documenten.app:create_app``."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from sds.runtime.app import Api, create_service_app
from sds.runtime.settings import ServiceSettings
from services.documenten import api, kolommen, opruimen
from services.documenten.common import PREFIX
from services.documenten.models import metadata
from services.documenten.settings import DocumentenSettings
from services.documenten.storage import DiskStore, Store

SERVICE = "documenten"


def make_store(settings: DocumentenSettings) -> Store:
    if settings.storage == "s3":
        from services.documenten.s3 import S3Store

        return S3Store(settings)
    return DiskStore(settings.storage_dir)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    if not isinstance(settings, DocumentenSettings):
        # A plain ServiceSettings (as the suite's generic tests pass) gets this service's settings from the env.
        settings = DocumentenSettings(**(settings.model_dump() if settings else {"service": SERVICE}))
    app = create_service_app(settings, metadata=metadata, apis=[
        Api(prefix=PREFIX, title="Documenten API", version="1.4.3", router=api.router),
    ], background=[opruimen.loop, kolommen.loop])
    app.state.store = make_store(settings)
    app.state.zaken = None
    runtime_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with runtime_lifespan(app):
            try:
                yield
            finally:
                if app.state.zaken is not None:
                    await app.state.zaken.close()

    app.router.lifespan_context = lifespan
    return app
