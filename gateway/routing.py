"""Which service answers which part of the public URL space.

The first path segment decides the service (``/zaken/...``, ``/catalogi/...`` and ``/besluiten/...`` go to
the zaken service); its upstream is the settings' URL, or the active profile's ``upstreams.<service>.url``.
Where the profile runs a service per cluster or a cluster at an external party, gateway.clusters
picks the upstream of the cluster a request concerns.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from gateway.settings import GatewaySettings
from sds.profiles.model import Profile
from sds.runtime.apidocs import schema_paths

# public first path segment -> upstream (service) name
SEGMENTS: dict[str, str] = {
    "intake": "intake",
    "zaken": "zaken",
    "catalogi": "zaken",
    "besluiten": "zaken",
    "documenten": "documenten",
    "klantgegevens": "klantgegevens",
    "financien": "financien",
    "beleidsinfo": "beleidsinfo",
    "notificaties": "notificaties",
}

# The OpenAPI document of each API is public, as ARCHITECTURE.md promises, in each of its forms.
API_PREFIXES = tuple(f"/{segment}/api/v1" for segment in SEGMENTS)
PUBLIC_PATHS = frozenset(path for prefix in API_PREFIXES for path in schema_paths(prefix))


@dataclass(frozen=True, slots=True)
class Upstream:
    name: str
    base_url: str
    timeout: dict[str, float | None]
    # The external party (its name in the profile) behind this upstream: called with the party's
    # credentials, never with the suite's internal auth context.
    partij: str | None = None

    def url(self, raw_path: bytes, query_string: bytes) -> str:
        # The raw path keeps the client's percent-encoding, so the service sees exactly what was sent.
        path = raw_path.decode("latin-1")
        if query_string:
            return f"{self.base_url}{path}?{query_string.decode('latin-1')}"
        return f"{self.base_url}{path}"


def upstream_timeout(settings: GatewaySettings, service: str) -> dict[str, float | None]:
    return httpx.Timeout(
        connect=settings.connect_timeout,
        read=settings.upstream_read_timeouts.get(service, settings.read_timeout),
        write=settings.write_timeout,
        pool=settings.pool_timeout,
    ).as_dict()


def upstreams_from_settings(settings: GatewaySettings, profile: Profile | None = None) -> dict[str, Upstream]:
    """Each service's default upstream: the profile's ``upstreams.<service>.url`` when it names one."""
    result = {}
    for name, base_url in settings.upstream_urls().items():
        chosen = (profile.upstream(name) if profile is not None else None) or base_url
        result[name] = Upstream(name=name, base_url=chosen, timeout=upstream_timeout(settings, name))
    return result


def routes(upstreams: dict[str, Upstream]) -> dict[str, Upstream]:
    """First path segment -> upstream."""
    return {segment: upstreams[name] for segment, name in SEGMENTS.items()}
