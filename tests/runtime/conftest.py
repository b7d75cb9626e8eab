"""The sample service on the selected database, driven in-process through its ASGI app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from sds.runtime.auth import AUTH_HEADER, AuthContext, sign_auth_context
from sds.runtime.db import create_engine
from sds.runtime.settings import DEV_INTERNAL_SECRET, ServiceSettings
from tests.support import sample_service
from tests.support.databases import fresh_database_url


def auth_headers(client_id: str = "test-client", secret: str = DEV_INTERNAL_SECRET, **ctx: object) -> dict[str, str]:
    token = sign_auth_context(AuthContext(client_id=client_id, heeft_alle_autorisaties=True, **ctx), secret)
    return {AUTH_HEADER: token}


@pytest.fixture
async def sample_app(tmp_path):  # type: ignore[no-untyped-def]
    async with fresh_database_url(tmp_path, "proef") as url:
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(sample_service.metadata.create_all)
        await engine.dispose()
        settings = ServiceSettings(service="proef", env="dev", database_url=url,
                                   nats_url="nats://127.0.0.1:1", page_size_max=50)
        app = sample_service.create_app(settings)
        async with app.router.lifespan_context(app):
            yield app


@pytest.fixture
async def client(sample_app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=sample_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c
