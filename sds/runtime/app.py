"""The composition root every service uses: one call builds a service app with the runtime.

``create_service_app`` wires settings, database, bus, outbox relay, event consumers, errors,
auth, tracing, metrics and health into a FastAPI app. Service code adds only its routers and
event handlers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.routing import iter_route_contexts
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.routing import Route

from contracts.envelope import CloudEvent
from sds.profiles.loading import load_profile
from sds.runtime.apidocs import DocumentSource, contract_routes, schema_paths, zgw_document
from sds.runtime.bus import Bus
from sds.runtime.consumer import EventConsumer
from sds.runtime.db import Database
from sds.runtime.doelbinding import cluster_kolommen
from sds.runtime.errors import install_error_handlers
from sds.runtime.faults import crash_point
from sds.runtime.health import router as health_router
from sds.runtime.idempotency import IdempotencyMiddleware
from sds.runtime.logging import configure_logging
from sds.runtime.metrics import metrics_endpoint
from sds.runtime.middleware import RequestContextMiddleware
from sds.runtime.outbox import PENDING_EVENTS_KEY, OutboxRelay, record_event, record_events
from sds.runtime.pages import is_page_path
from sds.runtime.settings import ServiceSettings
from sds.runtime.tracing import current_traceparent

log = logging.getLogger("sds.app")
# A test kills the process here: a request's transaction is committed and nothing of its answer is sent yet.
CRASH_NA_COMMIT = "request-after-commit"

EventHandler = Callable[[AsyncSession, CloudEvent], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    """A durable consumer of this service: one per (service, purpose)."""

    purpose: str
    subjects: Sequence[str]
    handler: EventHandler


@dataclass(frozen=True)
class Api:
    """One API the service serves under a prefix, e.g. ``/zaken/api/v1``."""

    prefix: str
    title: str
    version: str
    router: APIRouter
    description: str = ""


def create_service_app(
    settings: ServiceSettings,
    *,
    metadata: MetaData,
    apis: Sequence[Api],
    subscriptions: Sequence[Subscription] = (),
    background: Sequence[Callable[[FastAPI], Coroutine[Any, Any, None]]] = (),
) -> FastAPI:
    """``background``: loops of the service's own (e.g. retrying work that waits on another service), run from
    start-up to shut-down; each gets the app and must survive its own errors."""
    configure_logging(settings.service, settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.db = Database(settings.database_url)
        app.state.bus = None
        tasks: list[asyncio.Task[None]] = []
        workers: list[Any] = []

        async def start_bus() -> None:
            bus = await Bus.connect(settings.nats_url, name=settings.service)
            await bus.ensure_stream(settings.stream, ["sds.>"], replicas=settings.stream_replicas)
            app.state.bus = bus
            relay = OutboxRelay(app.state.db, bus, batch=settings.outbox_batch,
                                poll_interval=settings.outbox_poll_interval)
            app.state.relay = relay
            workers.append(relay)
            tasks.append(asyncio.create_task(relay.run(), name=f"{settings.service}-relay"))
            for sub in subscriptions:
                consumer = EventConsumer(app.state.db, bus, durable=f"{settings.service}-{sub.purpose}",
                                         subjects=list(sub.subjects), handler=sub.handler,
                                         max_deliver=settings.consumer_max_deliver,
                                         on_events_recorded=relay.wake, stream=settings.stream)
                workers.append(consumer)
                tasks.append(asyncio.create_task(consumer.run(), name=f"{settings.service}-{sub.purpose}"))

        # The service answers (and reports "not ready") while NATS is still unreachable.
        starter = asyncio.create_task(start_bus())
        for loop in background:
            tasks.append(asyncio.create_task(loop(app), name=f"{settings.service}-{loop.__name__}"))
        try:
            yield
        finally:
            starter.cancel()
            # Bounded: a connect that is cancelled half-way can keep nats-py busy; shutting down must not wait
            # on it (the process ends and takes the half-open connection with it).
            await asyncio.wait({starter}, timeout=5)
            if starter.done() and not starter.cancelled():
                starter.exception()  # retrieved, so an error of a connect given up on is not reported as lost
            for worker in workers:
                await worker.stop()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if app.state.bus is not None:
                await app.state.bus.close()
            await app.state.db.dispose()

    app = FastAPI(title=settings.service, lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None,
                  redirect_slashes=False)
    app.state.settings = settings
    app.state.metadata = metadata
    app.state.relay = None
    install_error_handlers(app)
    app.include_router(health_router)
    app.router.routes.append(Route("/metrics", metrics_endpoint, include_in_schema=False))

    public_paths = {"/health/live", "/health/ready", "/metrics"}
    for api in apis:
        app.include_router(api.router, prefix=api.prefix)
        public_paths.update(schema_paths(api.prefix))
        app.router.routes.extend(contract_routes(api.prefix, api.title, _openapi_document(app, api)))

    app.add_middleware(IdempotencyMiddleware, db_getter=lambda scope: scope["app"].state.db)
    app.add_middleware(RequestContextMiddleware, service=settings.service, api_version=settings.api_version,
                       internal_secret=settings.internal_secret,
                       is_public=lambda path: path in public_paths or is_page_path(path),
                       api_versions=[(api.prefix, api.version) for api in apis],
                       cluster_kolommen=cluster_kolommen(load_profile(settings.archetype)
                                                         if settings.archetype else None))
    return app


def _openapi_document(app: FastAPI, api: Api) -> DocumentSource:
    cache: dict[str, Any] = {}

    async def document() -> dict[str, Any]:
        if "doc" not in cache:
            # FastAPI includes routers lazily; iter_route_contexts sees the routes with their prefixes.
            routes = [c for c in iter_route_contexts(app.routes) if (c.path or "").startswith(api.prefix + "/")]
            doc = get_openapi(title=api.title, version=api.version, description=api.description, routes=routes)
            cache["doc"] = zgw_document(doc, prefix=api.prefix, base_url=app.state.settings.public_base_url)
        return cache["doc"]

    return document


class UnitOfWork:
    """One transaction of a request; events recorded in it are published after the commit."""

    def __init__(self, request: Request) -> None:
        self._app = request.app
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> UnitOfWork:
        self._cm = self._app.state.db.transaction()
        self._session = await self._cm.__aenter__()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        assert self._session is not None
        recorded = self._session.info.pop(PENDING_EVENTS_KEY, 0)
        await self._cm.__aexit__(*exc)
        if exc[0] is None:
            crash_point(CRASH_NA_COMMIT)
        relay = self._app.state.relay
        if exc[0] is None and recorded and relay is not None:
            relay.wake()

    @property
    def session(self) -> AsyncSession:
        assert self._session is not None, "use 'async with uow:'"
        return self._session

    async def record(self, event: CloudEvent) -> None:
        """Write an event to the outbox in this transaction, with the request's trace context."""
        if event.traceparent is None:
            event = event.model_copy(update={"traceparent": current_traceparent()})
        await record_event(self.session, event)

    async def record_all(self, events: Sequence[CloudEvent]) -> None:
        """``record`` for many events at once, in multi-row inserts."""
        traceparent = current_traceparent()
        await record_events(self.session, [e if e.traceparent is not None or traceparent is None
                                           else e.model_copy(update={"traceparent": traceparent}) for e in events])


async def unit_of_work(request: Request) -> UnitOfWork:
    # async: FastAPI runs a plain ``def`` dependency in its thread pool, a thread hop per request for nothing.
    return UnitOfWork(request)


Uow = Annotated[UnitOfWork, Depends(unit_of_work)]
