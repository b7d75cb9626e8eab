"""Delegation: the part of an aanvraag that triage gave to an external party reaches that party.

Intake publishes ``nl.sociaal-domein.intake.aanvraag-getrieerd`` with the delegaties (cluster,
kolommen, partij). The gateway holds the parties' credentials, so it forwards: a durable JetStream
pull consumer of its own takes each decision, and for every delegatie

1. reads the aanvraag from intake (the path of the event's ``aanvraag`` URL, at the intake upstream,
   as the gateway's system caller with a signed auth context),
2. POSTs it to ``{partij.api}/aanvragen`` with a JWT-ZGW token signed with the party's secret and an
   ``Idempotency-Key`` derived from the event id and the cluster: the aanvraag limited to the
   delegated kolommen' questions, plus ``cluster``, ``kolommen`` and ``aanvraag`` (its public URL).

At least once: a message is acked only after every party answered 2xx. A failure naks it with a
delay that grows per delivery; a repeated POST carries the same key, so the party handles it once.
After ``delegatie_max_deliveries`` deliveries, or at once when retrying cannot help (the event is
malformed, names a partij the profile does not give that cluster, the party refuses the content),
the message goes to ``sds.dlq.<durable>`` like sds.runtime.consumer does, and the rest flows on.

No URL of the event is called: only the aanvraag's uuid is taken from it, and the gateway calls its
own intake upstream and the profile's party API (checked by the AllowList).
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid as uuid_module
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from prometheus_client import Counter
from pydantic import ValidationError

from contracts.envelope import CloudEvent, subject_for
from contracts.events.intake import AanvraagGetrieerd, Delegatie
from contracts.events.registry import parse_data
from gateway.clusters import AllowList, CredentialsMissing, PartijCredentials, system_auth_header
from gateway.routing import Upstream
from sds.profiles.model import Profile
from sds.runtime.bus import STREAM, Bus
from sds.runtime.consumer import dead_letter_subject
from sds.runtime.tracing import incoming, outgoing_headers, request_id_var, trace_var

log = logging.getLogger("sds.gateway.delegatie")

EVENT_TYPE = "nl.sociaal-domein.intake.aanvraag-getrieerd"
SUBJECT = subject_for(EVENT_TYPE)
_AANVRAAG_PATH = re.compile(
    r"/intake/api/v1/aanvragen/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$")
# Answers after which the same request may well succeed later.
_TRANSIENT = frozenset({408, 409, 425, 429})
_KEY_NAMESPACE = uuid_module.UUID("6f1d3c52-3b1e-4a57-9d7e-5a8f2f0c9e41")

FORWARDED = Counter("sds_gateway_delegaties_forwarded_total", "Delegated parts an external party accepted",
                    ["partij"])
FAILED = Counter("sds_gateway_delegaties_failed_total", "Forwarding attempts that failed (retried later)",
                 ["partij"])
DEAD_LETTERED = Counter("sds_gateway_delegaties_dead_lettered_total",
                        "Triage decisions moved to the dead-letter subject")


class Refused(Exception):
    """Retrying cannot help: the message goes to the dead-letter subject at once."""


class Transient(Exception):
    """Try again later (intake or the party unreachable, or not ready)."""


def idempotency_key(event_id: str, cluster: str) -> str:
    """The same for every delivery of one event's part for one cluster, and different for any other."""
    return str(uuid_module.uuid5(_KEY_NAMESPACE, f"{event_id}/{cluster}"))


def limited(aanvraag: dict[str, Any], delegatie: Delegatie, public_url: str) -> dict[str, Any]:
    """The aanvraag as the party may see it: only the questions, deadlines and delegation of its kolommen."""
    kolommen = set(delegatie.kolommen)

    def own(items: Any) -> list[Any]:
        return [i for i in items if isinstance(i, dict) and i.get("kolom") in kolommen] if isinstance(
            items, list) else []

    body = {key: value for key, value in aanvraag.items()
            # The triage's reasons speak of the other kolommen too; other clusters are not the party's; the
            # filer's words on the whole aanvraag may speak of every kolom (intake shows them only to who sees
            # all of it).
            if key not in ("triage", "clusters", "delegaties", "kolommen", "vragen", "termijnen", "toelichting",
                           "andereKolommen")}
    body["vragen"] = own(aanvraag.get("vragen"))
    body["termijnen"] = own(aanvraag.get("termijnen"))
    body.update({"url": public_url, "cluster": delegatie.cluster, "kolommen": list(delegatie.kolommen),
                 "aanvraag": public_url})
    return body


class Delegator:
    """Forwards the delegaties of one triage decision; raises Transient or Refused when it cannot."""

    def __init__(self, profile: Profile, *, intake: Sequence[Upstream], public_base_url: str,
                 credentials: PartijCredentials, internal_secret: str, allow: AllowList,
                 timeout: float = 10.0) -> None:
        self.profile = profile
        self.intake = list(intake)  # the intake upstreams to ask, in order
        self.public_base_url = public_base_url.rstrip("/")
        self.credentials = credentials
        self.internal_secret = internal_secret
        self.allow = allow
        self.timeout = timeout
        self.client: httpx.AsyncClient | None = None

    async def handle(self, event: CloudEvent) -> None:
        if event.type != EVENT_TYPE:
            return
        try:
            data = parse_data(event)
        except ValidationError as exc:
            raise Refused(f"data is no AanvraagGetrieerd: {exc.error_count()} problems") from exc
        assert isinstance(data, AanvraagGetrieerd)
        if not data.delegaties:
            return
        found = _AANVRAAG_PATH.search(urlsplit(data.aanvraag).path)
        if found is None:
            raise Refused("the aanvraag URL is not an aanvraag of intake")
        aanvraag_uuid = found.group(1).lower()
        for delegatie in data.delegaties:
            self._check(delegatie)
        aanvraag = await self._read(aanvraag_uuid, data.delegaties)
        public_url = f"{self.public_base_url}/intake/api/v1/aanvragen/{aanvraag_uuid}"
        for delegatie in data.delegaties:
            await self._forward(event.id, delegatie, aanvraag, public_url)

    def _check(self, delegatie: Delegatie) -> None:
        cluster = self.profile.clusters.get(delegatie.cluster)
        if cluster is None or cluster.toegang != "extern":
            raise Refused(f"cluster {delegatie.cluster} is no extern cluster of profile {self.profile.archetype}")
        if cluster.partij != delegatie.partij:
            raise Refused(f"cluster {delegatie.cluster} is run by {cluster.partij}, not by {delegatie.partij}")
        outside = set(delegatie.kolommen) - set(cluster.kolommen)
        if outside:
            raise Refused(f"kolommen {sorted(outside)} are not in cluster {delegatie.cluster}")

    async def _read(self, aanvraag_uuid: str, delegaties: Sequence[Delegatie]) -> dict[str, Any]:
        assert self.client is not None
        path = f"/intake/api/v1/aanvragen/{aanvraag_uuid}"
        headers = {**outgoing_headers(), "x-sds-auth": system_auth_header(self.internal_secret, "delegatie")}
        for upstream in self.intake:
            try:
                response = await self.client.get(self.allow.check(upstream.base_url + path), headers=headers,
                                                 timeout=self.timeout)
            except httpx.HTTPError as exc:
                raise Transient(f"intake ({upstream.name}) not reachable: {type(exc).__name__}") from exc
            if response.status_code == 404:
                continue
            if response.status_code != 200:
                raise Transient(f"intake ({upstream.name}) answered {response.status_code}")
            try:
                body = response.json()
            except ValueError as exc:
                raise Transient(f"intake ({upstream.name}) answered no JSON") from exc
            if isinstance(body, dict):
                return body
        raise Transient("intake does not know the aanvraag (yet)")

    async def _forward(self, event_id: str, delegatie: Delegatie, aanvraag: dict[str, Any], public_url: str) -> None:
        assert self.client is not None
        partij = self.profile.externe_partijen[delegatie.partij]
        try:
            token = self.credentials.token(delegatie.partij)
        except CredentialsMissing as exc:
            FAILED.labels(delegatie.partij).inc()
            raise Transient(f"partij {delegatie.partij}: {exc}") from exc
        headers = {**outgoing_headers(), "authorization": f"Bearer {token}",
                   "idempotency-key": idempotency_key(event_id, delegatie.cluster)}
        url = self.allow.check(f"{partij.api}/aanvragen")
        try:
            response = await self.client.post(url, json=limited(aanvraag, delegatie, public_url), headers=headers,
                                              timeout=self.timeout)
        except httpx.HTTPError as exc:
            FAILED.labels(delegatie.partij).inc()
            raise Transient(f"partij {delegatie.partij} not reachable: {type(exc).__name__}") from exc
        if 200 <= response.status_code < 300:
            FORWARDED.labels(delegatie.partij).inc()
            log.info("aanvraag part for cluster %s delegated to %s", delegatie.cluster, delegatie.partij)
            return
        FAILED.labels(delegatie.partij).inc()
        if response.status_code >= 500 or response.status_code in _TRANSIENT:
            raise Transient(f"partij {delegatie.partij} answered {response.status_code}")
        raise Refused(f"partij {delegatie.partij} refused the aanvraag with {response.status_code}")


class DelegatieConsumer:
    """The gateway's durable pull consumer of triage decisions: ack after success, nak, dead-letter."""

    def __init__(self, bus_url: str, delegator: Delegator, *, durable: str, max_deliveries: int,
                 backoff: Sequence[float], ack_wait: float, stream_replicas: int = 1) -> None:
        self.bus_url = bus_url
        self.stream_replicas = stream_replicas
        self.delegator = delegator
        self.durable = durable
        self.max_deliveries = max_deliveries
        self.backoff = tuple(backoff) or (1.0,)
        self.ack_wait = ack_wait
        self.bus: Bus | None = None
        self._stopping = False

    async def run(self) -> None:
        """Connect (waiting for NATS as long as it takes) and consume until cancelled."""
        self.bus = await Bus.connect(self.bus_url, name="gateway-delegaties")
        await self.bus.ensure_stream(replicas=self.stream_replicas)
        sub = None
        while not self._stopping:
            try:
                if sub is None:
                    sub = await self._subscribe()
                try:
                    msgs = await sub.fetch(10, timeout=1.0)
                except (NatsTimeoutError, TimeoutError):
                    continue
                for msg in msgs:
                    await self.handle(msg)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # NATS away: nothing was acked, the messages come back
                log.warning("delegation consumer round failed (%s: %s); retrying", type(exc).__name__, exc)
                await asyncio.sleep(0.5)

    async def close(self) -> None:
        self._stopping = True
        if self.bus is not None:
            await self.bus.close()

    async def _subscribe(self) -> Any:
        assert self.bus is not None
        config = ConsumerConfig(durable_name=self.durable, ack_policy=AckPolicy.EXPLICIT,
                                deliver_policy=DeliverPolicy.ALL, ack_wait=self.ack_wait, max_deliver=-1,
                                max_ack_pending=1000, filter_subject=SUBJECT)
        return await self.bus.js.pull_subscribe(SUBJECT, durable=self.durable, stream=STREAM, config=config)

    async def handle(self, msg: Msg) -> None:
        try:
            event = CloudEvent.from_json(msg.data)
        except ValueError as exc:
            await self._dead_letter(msg, f"unparseable event: {exc}")
            return
        rid_token = request_id_var.set(f"event:{event.id}")
        trace_token = trace_var.set(incoming(None, event.traceparent)[1])
        try:
            await self.delegator.handle(event)
        except Refused as exc:
            await self._dead_letter(msg, str(exc))
            return
        except Exception as exc:
            delivered = msg.metadata.num_delivered
            if delivered >= self.max_deliveries:
                await self._dead_letter(msg, f"{type(exc).__name__}: {exc}")
                return
            delay = self.backoff[min(delivered - 1, len(self.backoff) - 1)]
            log.warning("delegation of event %s failed (delivery %d of %d), retry in %.1fs: %s", event.id,
                        delivered, self.max_deliveries, delay, exc)
            await msg.nak(delay=delay)
            return
        finally:
            request_id_var.reset(rid_token)
            trace_var.reset(trace_token)
        await msg.ack()

    async def _dead_letter(self, msg: Msg, reason: str) -> None:
        assert self.bus is not None
        meta = msg.metadata
        headers = dict(msg.headers or {})
        headers.update({
            "Sds-Dlq-Consumer": self.durable,
            "Sds-Dlq-Reason": reason[:500],
            "Sds-Dlq-Deliveries": str(meta.num_delivered),
            "Sds-Dlq-Subject": msg.subject,
            "Nats-Msg-Id": f"dlq:{self.durable}:{meta.sequence.stream}",
        })
        await self.bus.js.publish(dead_letter_subject(self.durable), msg.data, headers=headers)
        await msg.term()
        DEAD_LETTERED.inc()
        log.error("triage decision moved to %s after %d deliveries: %s", dead_letter_subject(self.durable),
                  meta.num_delivered, reason[:200])
