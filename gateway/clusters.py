"""Routing per cluster: which upstream answers a request that concerns a kolom.

The active archetype profile may run a service per cluster (``upstreams.<service>.clusters``) and
may put a cluster's access at an external party (``toegang: extern``). The cluster of a request is
found in this order:

a. a zaken or catalogi request that names a zaaktype (query parameter ``zaaktype``, or ``zaaktype``
   in a JSON body): the zaaktype's catalogus, the catalogus's kolom, the kolom's cluster. The
   gateway learns zaaktype → kolom from the zaken service's Catalogi API (as a system caller) and
   keeps a published zaaktype's kolom for good (it never changes);
b. otherwise a client whose applicatie serves exactly one cluster: that cluster;
c. otherwise none: the service's default upstream.

A cluster found by (a) counts only when the caller may see it; a caller of another cluster goes on
to (b), so a request of one cluster's client never reaches another cluster's instance or party.
The cluster then names the upstream: the service's instance for that cluster when the profile has
one, else the service's default; ``/zaken/...`` of an extern cluster goes to the party's API
(``{api}{path}``, with a JWT-ZGW token signed with the party's secret) unless the caller is that
cluster's own applicatie (the party itself reports into the suite, never to itself). ``/catalogi``
stays with the municipality's catalogue. Intake's aanvragen always go to intake: to its instance
for a cluster when every ``vragen[].kolom`` of the body lies in that one cluster, otherwise (b)/(c);
intake triages and delegates by itself (see gateway.delegatie).

Nothing here runs for a service without per-cluster or external upstreams: the proxy asks
``ClusterRouter.applies`` (a set lookup) first, and a zaaktype is looked up only when named.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from gateway.routing import SEGMENTS, Upstream, upstream_timeout
from gateway.settings import GatewaySettings
from sds.profiles.model import Profile
from sds.runtime.auth import AuthContext, sign_auth_context
from sds.runtime.jwt_zgw import encode_jwt_zgw
from sds.runtime.scopes import COMPONENT_OF_API
from sds.runtime.tracing import outgoing_headers

log = logging.getLogger("sds.gateway")

_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
ZAAKTYPE_PATH = re.compile(rf"/catalogi/api/v1/zaaktypen/({_UUID})$")
CATALOGUS_PATH = re.compile(rf"/catalogi/api/v1/catalogussen/({_UUID})$")
AANVRAGEN_PATH = "/intake/api/v1/aanvragen"
# The gateway's own identity towards the services, for what it asks on its own behalf.
SYSTEM_CLIENT_ID = "sds-gateway"
# A token for a party is made again after this many seconds (parties check the age of iat).
_PARTIJ_TOKEN_SECONDS = 60.0
# How long the answer "this zaaktype is unknown" is kept: a caller naming made-up zaaktypen costs
# one look-up per name per this period, not one per request.
_UNKNOWN_SECONDS = 30.0
_MAX_CACHED = 50_000


class CredentialsMissing(Exception):
    """The secret behind a party's credentials reference is not there (unset variable, no file)."""


def read_secret(reference: str) -> str:
    """The secret behind ``env:VARIABLE`` or ``file:/path``; never logged, never part of a message."""
    kind, _, where = reference.partition(":")
    if kind == "env":
        value = os.environ.get(where, "")
    elif kind == "file":
        try:
            value = Path(where).read_text().strip()
        except OSError:
            value = ""
    else:
        raise CredentialsMissing(f"onbekende soort verwijzing '{kind}'")
    if not value:
        raise CredentialsMissing(f"het geheim achter {reference} is niet beschikbaar")
    return value


class PartijCredentials:
    """JWT-ZGW tokens for the external parties, as a ZGW client makes them: HS256 with the party's secret."""

    def __init__(self, profile: Profile, client_id: str) -> None:
        self.profile = profile
        self.client_id = client_id
        self._tokens: dict[str, tuple[str, float]] = {}

    def token(self, partij: str) -> str:
        now = time.time()
        cached = self._tokens.get(partij)
        if cached is not None and now - cached[1] < _PARTIJ_TOKEN_SECONDS:
            return cached[0]
        # Read again for every new token, so a rotated secret takes effect within a minute.
        secret = read_secret(self.profile.externe_partijen[partij].credentials)
        token = encode_jwt_zgw(self.client_id, secret, iat=now, user_representation="Sociaal Domein Suite")
        self._tokens[partij] = (token, now)
        return token


def system_auth_header(internal_secret: str, purpose: str) -> str:
    """The signed auth context of the gateway itself (a system caller with every authorisation)."""
    ctx = AuthContext(client_id=SYSTEM_CLIENT_ID, user_representation=f"gateway ({purpose})",
                      heeft_alle_autorisaties=True)
    return sign_auth_context(ctx, internal_secret)


class AllowList:
    """The only places the gateway sends a request of its own: its upstreams and the parties' APIs.

    A URL that arrives in a request or an event is never called: the gateway takes the identifier
    out of its path and builds the URL on one of these bases; ``check`` guards that last step.
    """

    def __init__(self, bases: Iterable[str]) -> None:
        self._origins = {_origin(base) for base in bases}

    def check(self, url: str) -> str:
        if _origin(url) not in self._origins:
            raise PermissionError(f"{_origin(url)} is not an upstream or party of this gateway")
        return url


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class ZaaktypeKolommen:
    """zaaktype uuid → the kolom of its catalogus, asked of the zaken service's Catalogi API."""

    def __init__(self, client: httpx.AsyncClient | None, sources: list[Upstream], *, internal_secret: str,
                 timeout: float, allow: AllowList) -> None:
        self._client = client
        self.sources = sources  # the default zaken first, then its per-cluster instances
        self.internal_secret = internal_secret
        self.timeout = timeout
        self.allow = allow
        self._known: dict[str, str | None] = {}
        self._catalogus: dict[str, str | None] = {}
        self._unknown: dict[str, float] = {}
        self._pending: dict[str, asyncio.Future[str | None]] = {}
        self.lookups = 0  # round trips to the catalogue (tests and the benchmark read it)

    def use(self, client: httpx.AsyncClient) -> None:
        self._client = client

    def cached(self, uuid: str) -> tuple[bool, str | None]:
        if uuid in self._known:
            return True, self._known[uuid]
        return False, None

    async def kolom(self, uuid: str) -> str | None:
        """The kolom, None when the zaaktype is unknown, integral or the catalogue cannot be reached."""
        uuid = uuid.lower()
        if uuid in self._known:
            return self._known[uuid]
        until = self._unknown.get(uuid)
        if until is not None and time.monotonic() < until:
            return None
        pending = self._pending.get(uuid)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        self._pending[uuid] = future
        try:
            kolom = await self._lookup(uuid)
            future.set_result(kolom)
            return kolom
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiters re-raise it, nobody else should be told
            raise
        finally:
            del self._pending[uuid]

    async def _get(self, base: str, path: str) -> dict[str, object] | None:
        assert self._client is not None
        url = self.allow.check(f"{base}{path}")
        headers = {**outgoing_headers(), "x-sds-auth": system_auth_header(self.internal_secret, "routering")}
        response = await self._client.get(url, headers=headers, timeout=self.timeout)
        if response.status_code == 404:
            return None
        response.raise_for_status()
        data = response.json()
        return data if isinstance(data, dict) else None

    async def _lookup(self, uuid: str) -> str | None:
        try:
            for source in self.sources:
                self.lookups += 1
                zaaktype = await self._get(source.base_url, f"/catalogi/api/v1/zaaktypen/{uuid}")
                if zaaktype is None:
                    continue
                found = CATALOGUS_PATH.search(urlsplit(str(zaaktype.get("catalogus") or "")).path)
                kolom = await self._catalogus_kolom(source, found.group(1).lower()) if found else None
                if zaaktype.get("concept") is False:
                    # Published: its catalogus (and so its kolom) never changes.
                    if len(self._known) >= _MAX_CACHED:
                        self._known.clear()
                    self._known[uuid] = kolom
                return kolom
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("zaaktype %s not looked up (%s): routed without its cluster", uuid, type(exc).__name__)
            return None
        if len(self._unknown) >= _MAX_CACHED:
            self._unknown.clear()
        self._unknown[uuid] = time.monotonic() + _UNKNOWN_SECONDS
        return None

    async def _catalogus_kolom(self, source: Upstream, uuid: str) -> str | None:
        if uuid in self._catalogus:
            return self._catalogus[uuid]
        self.lookups += 1
        catalogus = await self._get(source.base_url, f"/catalogi/api/v1/catalogussen/{uuid}")
        kolom = catalogus.get("kolom") if catalogus else None
        result = kolom if isinstance(kolom, str) else None
        if catalogus is not None:
            self._catalogus[uuid] = result
        return result


def _zaaktype_uuid(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    found = ZAAKTYPE_PATH.search(urlsplit(value).path)
    return found.group(1).lower() if found else None


def zaaktype_in_query(query_string: bytes) -> str | None:
    if b"zaaktype=" not in query_string:
        return None
    values = parse_qs(query_string.decode("latin-1")).get("zaaktype")
    return _zaaktype_uuid(values[0]) if values else None


def _json(body: bytes | None) -> object:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


class ClusterRouter:
    def __init__(self, profile: Profile, defaults: dict[str, Upstream], settings: GatewaySettings) -> None:
        self.profile = profile
        self.defaults = defaults
        self.cluster_kolommen = {name: set(c.kolommen) for name, c in profile.clusters.items()}
        self.instances: dict[tuple[str, str], Upstream] = {}
        for service, default in defaults.items():
            for cluster in profile.clusters:
                url = profile.upstream(service, cluster)
                if url and url != default.base_url:
                    self.instances[(service, cluster)] = Upstream(
                        name=f"{service}@{cluster}", base_url=url, timeout=upstream_timeout(settings, service))
        self.partijen: dict[str, Upstream] = {}
        for cluster in profile.clusters:
            partij = profile.partij_of(cluster)
            if partij is not None:
                name = profile.clusters[cluster].partij
                assert name is not None
                self.partijen[cluster] = Upstream(name=f"partij:{name}", base_url=partij.api,
                                                  timeout=upstream_timeout(settings, "zaken"), partij=name)
        # The services whose requests need cluster work at all.
        self.applies = {service for service, _cluster in self.instances}
        if self.partijen:
            self.applies.add("zaken")
        self.credentials = PartijCredentials(profile, settings.partij_client_id)
        self.allow = AllowList([*(u.base_url for u in defaults.values()), *self.upstreams_by_name_urls()])
        zaken_sources = [defaults["zaken"], *(u for (s, _c), u in self.instances.items() if s == "zaken")]
        self.zaaktypen = ZaaktypeKolommen(None, zaken_sources, internal_secret=settings.internal_secret,
                                          timeout=settings.zaaktype_lookup_timeout, allow=self.allow)

    def upstreams_by_name_urls(self) -> list[str]:
        return [u.base_url for u in [*self.instances.values(), *self.partijen.values()]]

    def extra_upstreams(self) -> list[Upstream]:
        """Upstreams besides the services' defaults, for metrics and circuit breakers."""
        return [*self.instances.values(), *self.partijen.values()]

    def wants_body(self, segment: str, method: str, path: str) -> bool:
        """Whether the request's body decides its upstream (then the proxy reads it first)."""
        if method not in ("POST", "PUT", "PATCH"):
            return False
        if segment == "intake":
            return path == AANVRAGEN_PATH and any(s == "intake" for s, _c in self.instances)
        return segment in ("zaken", "catalogi")

    def may_reach(self, ctx: AuthContext, cluster: str, component: str) -> bool:
        if ctx.heeft_alle_autorisaties:
            return True
        if ctx.clusters:
            return cluster in ctx.clusters
        kolommen = self.cluster_kolommen[cluster]
        if ctx.kolommen:
            return any(k in kolommen for k in ctx.kolommen)
        return any(a.kolom is None or a.kolom in kolommen for a in ctx.autorisaties if a.component == component)

    def _cluster_of_kolom(self, kolom: str | None) -> str | None:
        if kolom is None:
            return None
        for name, kolommen in self.cluster_kolommen.items():
            if kolom in kolommen:
                return name
        return None  # "integraal", or a kolom the profile does not use

    async def choose(self, segment: str, default: Upstream, ctx: AuthContext, method: str, path: str,
                     query_string: bytes, body: bytes | None) -> Upstream:
        service = SEGMENTS[segment]
        cluster: str | None = None
        if service == "intake":
            if path == AANVRAGEN_PATH and method == "POST":
                # A new aanvraag: its questions decide, never the filer's cluster (intake triages it).
                cluster = self._aanvraag_cluster(body)
                return self.instances.get((service, cluster), default) if cluster else default
        else:
            uuid = zaaktype_in_query(query_string)
            if uuid is None and body is not None:
                data = _json(body)
                uuid = _zaaktype_uuid(data.get("zaaktype")) if isinstance(data, dict) else None
            if uuid is not None:
                cluster = self._cluster_of_kolom(await self.zaaktypen.kolom(uuid))
                if cluster is not None and not self.may_reach(ctx, cluster, COMPONENT_OF_API[segment]):
                    cluster = None
        if cluster is None and len(ctx.clusters) == 1 and ctx.clusters[0] in self.cluster_kolommen:
            cluster = ctx.clusters[0]
        if cluster is None:
            return default
        if segment == "zaken" and cluster not in ctx.clusters:
            partij = self.partijen.get(cluster)
            if partij is not None:
                return partij
        return self.instances.get((service, cluster), default)

    def _aanvraag_cluster(self, body: bytes | None) -> str | None:
        data = _json(body)
        vragen = data.get("vragen") if isinstance(data, dict) else None
        if not isinstance(vragen, list) or not vragen:
            return None
        clusters = set()
        for vraag in vragen:
            kolom = vraag.get("kolom") if isinstance(vraag, dict) else None
            cluster = self._cluster_of_kolom(kolom if isinstance(kolom, str) else None)
            if cluster is None:
                return None  # a question without a stated kolom: intake decides, at its default instance
            clusters.add(cluster)
        return clusters.pop() if len(clusters) == 1 else None
