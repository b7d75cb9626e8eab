"""Composition root of the intake service: ``uvicorn --factory services.intake.app:create_app``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from sds.profiles import load_profile
from sds.runtime.app import Api, Subscription, create_service_app
from sds.runtime.settings import ServiceSettings
from sds.runtime.verwerkingenlog import Verwerkingenlog
from services.intake import api, worker
from services.intake.aanvragen import handlers
from services.intake.context import API_PREFIX, Intake
from services.intake.models import metadata, verwerkingen
from services.intake.settings import IntakeSettings
from services.intake.upstream import Upstreams

SERVICE = "intake"


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    if not isinstance(settings, IntakeSettings):
        # A plain ServiceSettings (as the suite's generic tests pass) gets this service's settings from the env.
        settings = IntakeSettings(**(settings.model_dump() if settings else {"service": SERVICE}))
    # A profile that does not load stops the service here, with the place and the problem.
    intake = Intake(settings=settings, profile=load_profile(settings.archetype) if settings.archetype else None,
                    log=Verwerkingenlog.uit(verwerkingen, settings))
    app = create_service_app(settings, metadata=metadata, apis=[
        Api(prefix=API_PREFIX, title="Intake API", version="1.0.0", router=api.router,
            description="Aanvragen, vroegsignalering en triage volgens het archetype van de gemeente."),
    ], subscriptions=[Subscription("zaken", handlers.SUBJECTS, handlers.make_handler(intake))],
        background=[worker.triage_loop])
    app.state.intake = intake
    app.state.upstreams = Upstreams(settings)
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: FastAPI) -> AsyncIterator[None]:
        async with inner(a):
            try:
                yield
            finally:
                await a.state.upstreams.close()

    app.router.lifespan_context = lifespan
    return app
