"""A call the gateway refuses for its token (none, a wrong signature, an unknown client) is counted in Prometheus
and logged for security — one structured line under ``sds.security``, apart from the access log and from any
verwerkingenlog — naming the upstream and the reason, never the path or the token."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from prometheus_client import REGISTRY

from gateway.app import create_app
from tests.gateway.conftest import bearer, gateway_settings, serve


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def security() -> Iterator[_Lines]:
    """The sds.security lines, caught on that logger itself (the app replaces the root handlers at start)."""
    lines, logger = _Lines(), logging.getLogger("sds.security")
    logger.addHandler(lines)
    try:
        yield lines
    finally:
        logger.removeHandler(lines)


async def test_een_geweigerd_token_wordt_geteld_en_gemeld(upstream_url: str, security: _Lines) -> None:
    labels = {"upstream": "intake", "reason": "not_authenticated"}
    before = REGISTRY.get_sample_value("sds_gateway_rejected_total", labels) or 0.0
    path = "/intake/api/v1/aanvragen/5e7c2d4a-7a40-4a8a-a3a1-8f1b6f3b8c01"
    with serve(create_app(gateway_settings(upstream_url))) as url:
        async with httpx.AsyncClient(base_url=url, trust_env=False) as caller:
            answers = [await caller.get(path),
                       await caller.get(path, headers=bearer(secret="een-ander-geheim-0123456789-abcdefgh")),
                       await caller.get(path, headers=bearer(client_id="onbekend"))]
    assert [r.status_code for r in answers] == [401, 401, 401]
    assert REGISTRY.get_sample_value("sds_gateway_rejected_total", labels) == before + 3
    lines = security.records
    assert [(r.event, r.method, r.route, r.status, r.clientId) for r in lines] == [  # type: ignore[attr-defined]
        ("toegang-geweigerd", "GET", "/intake", 401, None)] * 3
    assert all(r.reden for r in lines)  # type: ignore[attr-defined]
    assert not [r for r in lines if "5e7c2d4a" in r.getMessage() + repr(vars(r))]
