"""Which service answers which part of the public URL space.

The first path segment decides (``/zaken/...`` and ``/catalogi/...`` both go to the zaken
service). The table is data so the archetype profile can later point a segment at a service
per cluster without touching the proxy.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from gateway.settings import GatewaySettings

# public first path segment -> upstream (service) name
SEGMENTS: dict[str, str] = {
    "intake": "intake",
    "zaken": "zaken",
    "catalogi": "zaken",
    "klantgegevens": "klantgegevens",
    "financien": "financien",
    "beleidsinfo": "beleidsinfo",
}

# The OpenAPI document of each API is public, as ARCHITECTURE.md promises.
API_PREFIXES = tuple(f"/{segment}/api/v1" for segment in SEGMENTS)
PUBLIC_PATHS = frozenset(f"{prefix}/openapi.json" for prefix in API_PREFIXES)


@dataclass(frozen=True, slots=True)
class Upstream:
    name: str
    base_url: str
    timeout: dict[str, float | None]

    def url(self, raw_path: bytes, query_string: bytes) -> str:
        # The raw path keeps the client's percent-encoding, so the service sees exactly what was sent.
        path = raw_path.decode("latin-1")
        if query_string:
            return f"{self.base_url}{path}?{query_string.decode('latin-1')}"
        return f"{self.base_url}{path}"


def upstreams_from_settings(settings: GatewaySettings) -> dict[str, Upstream]:
    result = {}
    for name, base_url in settings.upstream_urls().items():
        timeout = httpx.Timeout(
            connect=settings.connect_timeout,
            read=settings.upstream_read_timeouts.get(name, settings.read_timeout),
            write=settings.write_timeout,
            pool=settings.pool_timeout,
        )
        result[name] = Upstream(name=name, base_url=base_url, timeout=timeout.as_dict())
    return result


def routes(upstreams: dict[str, Upstream]) -> dict[str, Upstream]:
    """First path segment -> upstream."""
    return {segment: upstreams[name] for segment, name in SEGMENTS.items()}
