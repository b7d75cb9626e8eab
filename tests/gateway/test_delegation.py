"""Delegation through a real nats-server: a triage decision's delegated part reaches the external party.

The gateway consumes ``sds.intake.aanvraag.getrieerd`` with its own durable consumer, reads the aanvraag
at its intake upstream and POSTs the delegated part to the party (a stand-in that checks the JWT-ZGW
token and answers once per Idempotency-Key).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from fastapi import FastAPI, Request

from contracts.envelope import CloudEvent
from contracts.events.registry import make_event
from gateway.app import create_app
from gateway.delegatie import idempotency_key
from sds.runtime.bus import Bus
from sds.runtime.errors import install_error_handlers
from sds.runtime.middleware import RequestContextMiddleware
from tests.gateway.clusterfakes import (
    INKOMEN,
    JEUGD_SECRET_ENV,
    Partij,
    Seen,
    instance,
    partij,
    serve_on,
    write_profile,
    zaaktype_url,
)
from tests.gateway.conftest import INTERNAL_SECRET, closed_port, gateway_settings, serve
from tests.support.natsserver import NatsServer

JEUGD_SECRET = "geheim-van-de-regionale-jeugdorganisatie-0123"
PARTIJ_CLIENT_ID = "gemeente-voorbeeld"
PUBLIC_BASE = "https://sds.gemeente.test"
AANVRAAG_UUID = "44444444-4444-4444-8444-000000000001"
DURABLE = "gateway-delegaties"


def _aanvraag() -> dict[str, Any]:
    url = f"{PUBLIC_BASE}/intake/api/v1/aanvragen/{AANVRAAG_UUID}"
    return {
        "url": url, "uuid": AANVRAAG_UUID, "huishouden": None, "ingediendDoor": "inwoner", "status": "getrieerd",
        "kolommen": ["jeugd", "schuldhulp"], "clusters": ["jeugdzorg", INKOMEN],
        "vragen": [{"leefgebied": "opvoeding", "kolom": "jeugd", "toelichting": "zoon spijbelt"},
                   {"leefgebied": "schulden", "kolom": "schuldhulp", "toelichting": "huurachterstand"}],
        "registratiedatum": "2026-11-28", "ingediendOp": "2026-11-28T10:00:00Z",
        "toelichting": "Moeder vertelt over de schulden en over haar zoon.",
        "triage": {"redenen": ["schulden: een zaak bij inkomen"]},
        "termijnen": [{"kolom": "jeugd", "soort": "beslissing", "dagen": 56},
                      {"kolom": "schuldhulp", "soort": "beslissing", "dagen": 84}],
        "delegaties": [{"cluster": "jeugdzorg", "partij": "regionale-jeugdorganisatie", "kolommen": ["jeugd"]}],
        "uitkomst": None, "einddatum": None,
    }


def intake_app(seen: list[dict[str, Any]]) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, redirect_slashes=False)
    install_error_handlers(app)

    @app.get("/intake/api/v1/aanvragen/{uuid}")
    async def lees(uuid: str, request: Request) -> Any:
        seen.append({"uuid": uuid, "auth": request.state.auth.model_dump()})
        return _aanvraag()

    app.add_middleware(RequestContextMiddleware, service="intake", api_version="1.0.0",
                       internal_secret=INTERNAL_SECRET, is_public=lambda _p: False)
    return app


def decision(*, aanvraag: str | None = None, partij_naam: str = "regionale-jeugdorganisatie") -> CloudEvent:
    url = aanvraag or f"{PUBLIC_BASE}/intake/api/v1/aanvragen/{AANVRAAG_UUID}"
    return make_event("nl.sociaal-domein.intake.aanvraag-getrieerd", {
        "aanvraag": url, "huishouden": None, "integraal": False, "regie": "per-cluster",
        "zaken": [{"kolommen": ["schuldhulp"], "cluster": INKOMEN, "zaaktype": zaaktype_url("schuldhulp"),
                   "integraal": False, "regisseur": True}],
        "delegaties": [{"cluster": "jeugdzorg", "kolommen": ["jeugd"], "partij": partij_naam}],
        "redenen": [{"code": "per-cluster"}],
    }, source="urn:nld:sociaal-domein:intake", subject=AANVRAAG_UUID, dataref=url)


@dataclass
class World:
    nats_url: str
    intake_seen: list[dict[str, Any]]
    partij: Partij
    partij_app: FastAPI
    partij_port: int
    evil: Seen
    evil_url: str
    bus: Bus

    async def publish(self, event: CloudEvent, msg_id: str | None = None) -> None:
        await self.bus.js.publish("sds.intake.aanvraag.getrieerd", event.to_json(),
                                  headers={"Nats-Msg-Id": msg_id or event.id})


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


@pytest.fixture
async def world(tmp_path: Path, nats_server: NatsServer, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[World]:
    monkeypatch.setenv(JEUGD_SECRET_ENV, JEUGD_SECRET)
    intake_seen: list[dict[str, Any]] = []
    partij_app, partij_state = partij(JEUGD_SECRET, PARTIJ_CLIENT_ID)
    evil_app, evil_seen = instance("evil", INTERNAL_SECRET)
    port = closed_port()  # the party is down until a test starts it there
    profile = write_profile(tmp_path, partij_url=f"http://127.0.0.1:{port}", instance_url=None)
    bus = await Bus.connect(nats_server.url, name="test", max_wait=5)
    await bus.ensure_stream()
    try:
        with serve(intake_app(intake_seen)) as intake, serve(evil_app) as evil:
            settings = gateway_settings(intake, archetype=profile, partij_client_id=PARTIJ_CLIENT_ID,
                                        nats_url=nats_server.url, public_base_url=PUBLIC_BASE,
                                        delegatie_backoff_seconds=[0.2], delegatie_max_deliveries=4,
                                        delegatie_ack_wait_seconds=5, read_timeout=2.0, connect_timeout=0.5)
            with serve(create_app(settings)):
                yield World(nats_server.url, intake_seen, partij_state, partij_app, port, evil_seen, evil, bus)
    finally:
        await bus.close()


async def _dead_letters(world: World) -> tuple[Any, list[Any]]:
    nc = await nats.connect(world.nats_url)
    got: list[Any] = []

    async def on(msg: Any) -> None:
        got.append(msg)

    await nc.subscribe(f"sds.dlq.{DURABLE}", cb=on)
    await nc.flush()
    return nc, got


async def test_a_delegated_part_reaches_the_party_after_it_was_down_and_takes_effect_once(world: World) -> None:
    event = decision()
    await world.publish(event)
    # The party is down: each delivery reads the aanvraag and fails to post it, and is nak'ed.
    await until(lambda: len(world.intake_seen) >= 2)
    assert world.partij.requests == []
    with serve_on(world.partij_app, world.partij_port):
        await until(lambda: len(world.partij.accepted) == 1)
        key = idempotency_key(event.id, "jeugdzorg")
        assert list(world.partij.accepted) == [key]
        posted = world.partij.accepted[key]
        # Only the delegated kolom's part of the aanvraag, and where the original lives.
        assert [v["kolom"] for v in posted["vragen"]] == ["jeugd"]
        assert [t["kolom"] for t in posted["termijnen"]] == ["jeugd"]
        assert "triage" not in posted and "delegaties" not in posted
        assert "toelichting" not in posted and "schuld" not in json.dumps(posted)
        assert posted["cluster"] == "jeugdzorg" and posted["kolommen"] == ["jeugd"]
        assert posted["aanvraag"] == f"{PUBLIC_BASE}/intake/api/v1/aanvragen/{AANVRAAG_UUID}"
        call = world.partij.aanvragen()[-1]
        assert call["path"] == "/v1/aanvragen" and call["client_id"] == PARTIJ_CLIENT_ID
        assert "x-sds-auth" not in call["headers"]
        # Intake was asked by the gateway itself, with the signed context of a system caller.
        assert world.intake_seen[-1]["auth"]["heeft_alle_autorisaties"] is True
        assert world.intake_seen[-1]["uuid"] == AANVRAAG_UUID

        # The same decision delivered again (a crash after the POST, before the ack): the same key,
        # so the party's second answer changes nothing.
        posts = len(world.partij.aanvragen())
        await world.publish(event, msg_id=f"{event.id}-opnieuw")
        await until(lambda: len(world.partij.aanvragen()) == posts + 1)
        assert world.partij.aanvragen()[-1]["headers"]["idempotency-key"] == key
        assert len(world.partij.accepted) == 1
        # And the message was acked: nothing arrives after it.
        await asyncio.sleep(0.6)
        assert len(world.partij.aanvragen()) == posts + 1


async def test_the_urls_of_the_event_are_never_called(world: World) -> None:
    elsewhere = f"{world.evil_url}/intake/api/v1/aanvragen/{AANVRAAG_UUID}"
    with serve_on(world.partij_app, world.partij_port):
        await world.publish(decision(aanvraag=elsewhere))
        await until(lambda: len(world.partij.accepted) == 1)
    assert world.evil.requests == []
    assert world.intake_seen and world.intake_seen[-1]["uuid"] == AANVRAAG_UUID
    # What the party is told is the suite's own public address of the aanvraag.
    posted = next(iter(world.partij.accepted.values()))
    assert posted["aanvraag"] == f"{PUBLIC_BASE}/intake/api/v1/aanvragen/{AANVRAAG_UUID}"


async def test_a_decision_the_profile_does_not_allow_is_dead_lettered_at_once(world: World) -> None:
    nc, dead = await _dead_letters(world)
    try:
        with serve_on(world.partij_app, world.partij_port):
            # Another party than the profile gives the cluster; an aanvraag URL that is no aanvraag.
            await world.publish(decision(partij_naam="zorgverzekeraar"))
            await world.publish(decision(aanvraag=f"{PUBLIC_BASE}/zaken/api/v1/zaken/{AANVRAAG_UUID}"))
            await until(lambda: len(dead) == 2)
            assert world.partij.requests == []
        reasons = sorted(m.headers["Sds-Dlq-Reason"] for m in dead)
        assert "not by zorgverzekeraar" in reasons[0] or "not by zorgverzekeraar" in reasons[1]
        assert all(m.headers["Sds-Dlq-Deliveries"] == "1" for m in dead)
    finally:
        await nc.close()


async def test_a_party_that_keeps_failing_is_dead_lettered_after_the_last_delivery(world: World) -> None:
    nc, dead = await _dead_letters(world)
    try:
        world.partij.unavailable = 1000
        with serve_on(world.partij_app, world.partij_port):
            event = decision()
            await world.publish(event)
            await until(lambda: len(dead) == 1)
            assert len(world.partij.aanvragen()) == 4  # delegatie_max_deliveries
            assert dead[0].headers["Sds-Dlq-Deliveries"] == "4"
            assert CloudEvent.from_json(dead[0].data).id == event.id
            assert world.partij.accepted == {}
    finally:
        await nc.close()


def test_the_idempotency_key_belongs_to_one_event_and_one_cluster() -> None:
    key = idempotency_key("e1", "jeugdzorg")
    assert key == idempotency_key("e1", "jeugdzorg")
    assert len({key, idempotency_key("e2", "jeugdzorg"), idempotency_key("e1", "zorg")}) == 3
    assert httpx.Headers({"idempotency-key": key})["idempotency-key"] == key
