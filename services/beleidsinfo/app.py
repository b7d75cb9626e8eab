"""Composition root of the beleidsinfo service: ``uvicorn --factory services.beleidsinfo.app:create_app``."""

from fastapi import FastAPI

from sds.runtime.app import Api, Subscription, create_service_app
from sds.runtime.settings import ServiceSettings
from services.beleidsinfo import api, dashboard, projectie
from services.beleidsinfo.context import API_PREFIX, Beleidsinfo
from services.beleidsinfo.models import metadata
from services.beleidsinfo.settings import BeleidsinfoSettings

SERVICE = "beleidsinfo"

DESCRIPTION = """Policy information per kolom, cluster and period, projected from the suite's events.

Only aggregates: a cell resting on fewer than 5 households (`minimumCel`) is suppressed (`onderdrukt: true`,
its figures `null`), and where a group of cells has a published total a second cell is suppressed with it so
the first cannot be found back by subtraction. Every indicator is available as JSON and as CSV
(`?formaat=csv` or `Accept: text/csv`)."""


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    if not isinstance(settings, BeleidsinfoSettings):
        # A plain ServiceSettings (as the suite's generic tests pass) gets this service's settings from the env.
        settings = BeleidsinfoSettings(**(settings.model_dump() if settings else {"service": SERVICE}))
    context = Beleidsinfo.from_settings(settings)
    app = create_service_app(settings, metadata=metadata, apis=[
        Api(prefix=API_PREFIX, title="Beleidsinfo API", version="1.0.0", router=api.router,
            description=DESCRIPTION),
    ], subscriptions=[
        Subscription(projectie.PURPOSE, projectie.SUBJECTS, projectie.Projectie(context.pseudoniem)),
    ])
    app.state.beleidsinfo = context
    app.include_router(dashboard.router)
    return app
