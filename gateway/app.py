"""Composition root of the gateway: ``uvicorn --factory gateway.app:create_app``.

The ASGI entry is the proxy itself (plain ASGI, so a proxied request passes through no
FastAPI middleware or routing: on two shared cores those cost a measurable share of the
gateway's time). What it does not claim — lifespan, health, metrics and, later, the
Autorisaties API — goes to the gateway's own FastAPI app behind the shared request pipeline.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from starlette.routing import Route

from gateway.accesslog import AccessLog
from gateway.applicaties import ApplicatieStore, InMemoryApplicatieStore, bootstrap_applicatie
from gateway.authn import TokenVerifier
from gateway.health import router as health_router
from gateway.proxy import ProxyMiddleware, UpstreamPool
from gateway.routing import routes, upstreams_from_settings
from gateway.settings import GatewaySettings
from sds.runtime.errors import install_error_handlers
from sds.runtime.logging import configure_logging
from sds.runtime.metrics import metrics_endpoint
from sds.runtime.middleware import RequestContextMiddleware

SERVICE = "gateway"
log = logging.getLogger("sds.gateway")


def create_app(settings: GatewaySettings | None = None, *,
               store: ApplicatieStore | None = None) -> ProxyMiddleware:
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
    store = store or InMemoryApplicatieStore(
        [bootstrap_applicatie(settings.bootstrap_client_id, settings.bootstrap_secret)]
    )
    pool = UpstreamPool(httpx.Limits(max_connections=settings.max_connections,
                                     max_keepalive_connections=settings.max_keepalive_connections,
                                     keepalive_expiry=settings.keepalive_expiry))

    access_log = AccessLog(SERVICE, log)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await pool.open()
        try:
            yield
        finally:
            await pool.close()
            access_log.flush()

    app = FastAPI(title="Sociaal Domein Suite gateway", lifespan=lifespan, openapi_url=None, docs_url=None,
                  redoc_url=None, redirect_slashes=False)
    app.state.settings = settings
    app.state.pool = pool
    app.state.store = store
    app.state.upstreams = upstreams_from_settings(settings)
    install_error_handlers(app)
    app.include_router(health_router)
    app.router.routes.append(Route("/metrics", metrics_endpoint, include_in_schema=False))

    verifier = TokenVerifier(store, internal_secret=settings.internal_secret,
                             max_age=settings.jwt_max_age_seconds, leeway=settings.jwt_leeway_seconds,
                             cache_size=settings.token_cache_size, cache_seconds=settings.token_cache_seconds)
    app.state.verifier = verifier
    # The gateway's own routes are public (health, metrics); the Autorisaties API will check
    # JWT-ZGW tokens itself when it arrives.
    app.add_middleware(RequestContextMiddleware, service=SERVICE, api_version=settings.api_version,
                       internal_secret=settings.internal_secret, is_public=lambda _path: True)
    return ProxyMiddleware(app, routes=routes(app.state.upstreams), verifier=verifier, pool=pool,
                           api_version=settings.api_version, access_log=access_log)
