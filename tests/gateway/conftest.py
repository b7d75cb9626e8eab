"""The real gateway in front of real upstream apps, each served by uvicorn on a free port.

Real sockets rather than ASGI transports: streaming, connection failures and timeouts are
what these tests are about, and an in-process transport would hide all three.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.settings import GatewaySettings
from sds.runtime.jwt_zgw import encode_jwt_zgw
from tests.gateway.upstream import create_upstream
from tests.support.servers import listening_socket, serve

INTERNAL_SECRET = "test-internal-secret-0123456789-abcdef"
CLIENT_ID = "gemeente-test"
CLIENT_SECRET = "test-client-secret-0123456789-abcdefgh"
SLOW_UPSTREAM_TIMEOUT = 0.3


def token(client_id: str = CLIENT_ID, secret: str = CLIENT_SECRET, **kwargs: Any) -> str:
    return encode_jwt_zgw(client_id, secret, user_id="u123", user_representation="Medewerker Test", **kwargs)


def bearer(**kwargs: Any) -> dict[str, str]:
    return {"authorization": f"Bearer {token(**kwargs)}"}


def closed_port() -> int:
    """A port nothing listens on (bound once, then released), for an upstream that is down."""
    sock = listening_socket()
    port = sock.getsockname()[1]
    sock.close()
    return port


def gateway_settings(upstream_url: str, **overrides: Any) -> GatewaySettings:
    values: dict[str, Any] = {
        "env": "test",
        "internal_secret": INTERNAL_SECRET,
        "bootstrap_client_id": CLIENT_ID,
        "bootstrap_secret": CLIENT_SECRET,
        "read_timeout": 5.0,
        "health_timeout": 1.0,
        # A database of its own per gateway: tests must not see each other's applicaties.
        "gateway_database_url": f"sqlite+aiosqlite:///{tempfile.mkdtemp(prefix='sds-gateway-')}/gateway.db",
        **{f"upstream_{name}": upstream_url for name in
           ("intake", "zaken", "klantgegevens", "financien", "beleidsinfo", "notificaties", "documenten")},
    }
    values.update(overrides)
    return GatewaySettings(**values)


@pytest.fixture(scope="session")
def upstream_url() -> Iterator[str]:
    with serve(create_upstream(INTERNAL_SECRET)) as url:
        yield url


@pytest.fixture(scope="session")
def gateway_url(upstream_url: str) -> Iterator[str]:
    """Financien is down; klantgegevens has a short read timeout; the rest reach the echo upstream."""
    settings = gateway_settings(
        upstream_url,
        upstream_financien=f"http://127.0.0.1:{closed_port()}",
        upstream_read_timeouts={"klantgegevens": SLOW_UPSTREAM_TIMEOUT},
    )
    with serve(create_app(settings)) as url:
        yield url


@pytest.fixture
async def client(gateway_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=gateway_url, timeout=10, trust_env=False) as c:
        yield c
