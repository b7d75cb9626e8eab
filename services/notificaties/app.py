"""Composition root of the notificaties service: ``uvicorn --factory services.notificaties.app:create_app``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from sds.runtime.app import Api, Subscription, create_service_app
from sds.runtime.settings import ServiceSettings
from services.notificaties import api
from services.notificaties.context import API_PREFIX, Notificaties
from services.notificaties.kanalen import service as kanalen
from services.notificaties.models import metadata
from services.notificaties.notificaties.delivery import Bezorger
from services.notificaties.notificaties.handlers import SUBJECTS, Bridge
from services.notificaties.settings import NotificatiesSettings

SERVICE = "notificaties"
log = logging.getLogger("sds.notificaties")


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    if not isinstance(settings, NotificatiesSettings):
        # A plain ServiceSettings (as the suite's generic tests pass) gets this service's settings from the env.
        settings = NotificatiesSettings(**(settings.model_dump() if settings else {"service": SERVICE}))
    wakers: list[Bezorger] = []

    def wake() -> None:
        for bezorger in wakers:
            bezorger.wake()

    app = create_service_app(settings, metadata=metadata, apis=[
        Api(prefix=API_PREFIX, title="Notificaties API", version="1.0.0", router=api.router,
            description="ZGW Notificaties API 1.0: kanalen, abonnementen met callbackUrl, notificaties; de "
                        "gebeurtenissen van de suite als notificaties, afgeleverd met retries, dead letters "
                        "(leveringen) en opnieuw versturen."),
    ], subscriptions=[Subscription("bridge", SUBJECTS, Bridge(wake))])
    app.state.bezorger_wake = wake
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: FastAPI) -> AsyncIterator[None]:
        # For the callbackUrl check; the delivery worker keeps a pool per abonnement.
        http = httpx.AsyncClient()
        a.state.notificaties = Notificaties(settings=settings, http=http)
        async with inner(a):
            tasks = [asyncio.create_task(_seed_kanalen(a, settings), name="notificaties-kanalen")]
            bezorger = Bezorger(a.state.db, settings)
            if settings.delivery_worker:
                wakers.append(bezorger)
                tasks.append(asyncio.create_task(bezorger.run(), name="notificaties-delivery"))
            try:
                yield
            finally:
                await bezorger.stop()
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                wakers.clear()
                await http.aclose()

    app.router.lifespan_context = lifespan
    return app


async def _seed_kanalen(app: FastAPI, settings: NotificatiesSettings) -> None:
    """The declared kanalen in the database; retried while the database is not there yet."""
    while True:
        try:
            async with app.state.db.transaction() as session:
                await kanalen.ensure(session, settings.public_base_url)
            return
        except Exception as exc:
            log.warning("kanalen not seeded yet (%s: %s); retrying", type(exc).__name__, exc)
            await asyncio.sleep(1.0)
