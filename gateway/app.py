"""Composition root of the gateway: ``uvicorn --factory gateway.app:create_app``.

The ASGI entry is the proxy itself (plain ASGI, so a proxied request passes through no
FastAPI middleware or routing: on two shared cores those cost a measurable share of the
gateway's time). What it does not claim — lifespan, health, metrics and the Autorisaties API —
goes to the gateway's own FastAPI app behind the shared request pipeline.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from starlette.routing import Route

from gateway.accesslog import AccessLog
from gateway.applicaties import SqlApplicatieStore, bootstrap_applicatie
from gateway.authn import TokenVerifier
from gateway.autorisaties import PREFIX as AUTORISATIES_PREFIX
from gateway.autorisaties import TITLE as AUTORISATIES_TITLE
from gateway.autorisaties import openapi_document as autorisaties_document
from gateway.autorisaties import router as autorisaties_router
from gateway.clusters import ClusterRouter
from gateway.delegatie import DelegatieConsumer, Delegator
from gateway.health import router as health_router
from gateway.landing import router as landing_router
from gateway.limits import CircuitBreaker, RateLimiter
from gateway.proxy import ProxyMiddleware, UpstreamPool
from gateway.routing import Upstream, routes, upstreams_from_settings
from gateway.settings import GatewaySettings
from sds.profiles import load_profile
from sds.runtime.apidocs import contract_routes
from sds.runtime.db import Database
from sds.runtime.errors import install_error_handlers
from sds.runtime.logging import configure_logging
from sds.runtime.metrics import metrics_endpoint
from sds.runtime.middleware import RequestContextMiddleware

SERVICE = "gateway"
log = logging.getLogger("sds.gateway")


def create_app(settings: GatewaySettings | None = None) -> ProxyMiddleware:
    settings = settings or GatewaySettings()
    configure_logging(SERVICE, settings.log_level)
    # httpx logs every request at INFO with the full url (query strings can hold personal data),
    # and the proxy already logs each call once.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # configure_logging disables uvicorn.access but lets it propagate, and uvicorn decides by
    # hasHandlers() whether to build the access line's arguments (client address, quoted path):
    # work for a line that is then dropped, on every request. Not propagating makes uvicorn skip it.
    logging.getLogger("uvicorn.access").propagate = False
    if importlib.util.find_spec("sniffio") is None:
        # httpcore tries `import sniffio` for every lock it makes; without it each failed import
        # searches sys.path again, which cost a third of the gateway's CPU in bench/gateway_overhead.
        log.warning("sniffio is not installed: the upstream pool runs several times slower; install sniffio")
    # A profile that does not load stops the gateway here, with the place and the problem.
    profile = load_profile(settings.archetype) if settings.archetype else None
    database = Database(settings.gateway_database_url)
    store = SqlApplicatieStore(database, bootstrap_applicatie(settings.bootstrap_client_id, settings.bootstrap_secret),
                               cache_seconds=settings.applicatie_cache_seconds)
    rate_limiter = (RateLimiter(settings.rate_limit_per_second, settings.rate_limit_burst)
                    if settings.rate_limit_per_second > 0 else None)
    pool = UpstreamPool(httpx.Limits(max_connections=settings.max_connections,
                                     max_keepalive_connections=settings.max_keepalive_connections,
                                     keepalive_expiry=settings.keepalive_expiry))

    access_log = AccessLog(SERVICE, log)
    upstreams = upstreams_from_settings(settings, profile)
    # Cluster work only where the profile runs a service per cluster or a cluster at a party.
    clusters = ClusterRouter(profile, upstreams, settings) if profile is not None else None
    if clusters is not None and not clusters.applies:
        clusters = None
    consumer = None
    if settings.nats_url and profile is not None and profile.externe_partijen:
        assert clusters is not None  # an extern cluster makes zaken's routing apply
        delegator = Delegator(profile, intake=_intake_upstreams(clusters, upstreams),
                              public_base_url=settings.public_base_url, credentials=clusters.credentials,
                              internal_secret=settings.internal_secret, allow=clusters.allow,
                              timeout=settings.read_timeout)
        consumer = DelegatieConsumer(settings.nats_url, delegator, durable=settings.delegatie_durable,
                                     max_deliveries=settings.delegatie_max_deliveries,
                                     backoff=settings.delegatie_backoff_seconds,
                                     ack_wait=settings.delegatie_ack_wait_seconds,
                                     stream_replicas=settings.stream_replicas)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await store.migrate()
        following = asyncio.create_task(store.follow_changes(settings.revocation_poll_seconds),
                                        name="gateway-applicatie-wijzigingen")
        await pool.open()
        if clusters is not None:
            clusters.zaaktypen.use(pool.client)
        task = None
        if consumer is not None:
            consumer.delegator.client = pool.client
            # In the background: the gateway serves requests while NATS is still on its way.
            task = asyncio.create_task(consumer.run(), name="gateway-delegaties")
        try:
            yield
        finally:
            following.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await following
            if task is not None and consumer is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
                await consumer.close()
            await pool.close()
            await database.dispose()
            access_log.flush()

    app = FastAPI(title="Sociaal Domein Suite gateway", lifespan=lifespan, openapi_url=None, docs_url=None,
                  redoc_url=None, redirect_slashes=False)
    app.state.settings = settings
    app.state.pool = pool
    app.state.store = store
    app.state.profile = profile
    app.state.rate_limiter = rate_limiter
    app.state.upstreams = upstreams
    app.state.clusters = clusters
    app.state.delegaties = consumer
    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(landing_router)
    app.include_router(autorisaties_router)
    app.router.routes.extend(contract_routes(AUTORISATIES_PREFIX, AUTORISATIES_TITLE, autorisaties_document(app)))
    app.router.routes.append(Route("/metrics", metrics_endpoint, include_in_schema=False))

    verifier = TokenVerifier(store, internal_secret=settings.internal_secret,
                             max_age=settings.jwt_max_age_seconds, leeway=settings.jwt_leeway_seconds,
                             cache_size=settings.token_cache_size, cache_seconds=settings.token_cache_seconds)
    app.state.verifier = verifier
    store.on_change(verifier.forget_clients)
    # Health and metrics are public; the Autorisaties API checks JWT-ZGW tokens itself (its
    # routes depend on gateway.autorisaties.caller), which this pipeline knows nothing of.
    app.add_middleware(RequestContextMiddleware, service=SERVICE, api_version=settings.api_version,
                       internal_secret=settings.internal_secret, is_public=lambda _path: True)
    names = [*upstreams, *(u.name for u in (clusters.extra_upstreams() if clusters is not None else []))]
    breakers = {name: CircuitBreaker(settings.breaker_failures, settings.breaker_cooldown_seconds)
                for name in names}
    app.state.breakers = breakers
    return ProxyMiddleware(app, routes=routes(app.state.upstreams), verifier=verifier, pool=pool,
                           api_version=settings.api_version, access_log=access_log,
                           max_body_bytes=settings.max_body_bytes, rate_limiter=rate_limiter, breakers=breakers,
                           clusters=clusters)


def _intake_upstreams(clusters: ClusterRouter, upstreams: dict[str, Upstream]) -> list[Upstream]:
    """Where an aanvraag may live: intake's default first, then its per-cluster instances."""
    return [upstreams["intake"], *(u for (service, _c), u in clusters.instances.items() if service == "intake")]
