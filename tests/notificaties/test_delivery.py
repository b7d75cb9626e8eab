"""Delivery: the bridge's notificatie in the standard's shape, retries on the schedule, the dead letter and its
redelivery, the order per hoofdObject, and one slow subscriber holding up no other."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from contracts.envelope import CloudEvent
from services.notificaties.notificaties.delivery import next_try
from services.notificaties.notificaties.handlers import Bridge
from services.notificaties.settings import NotificatiesSettings
from tests.notificaties.conftest import ZAAKTYPE, ZAKEN, Nrc, abonnee, eventually, publicist
from tests.notificaties.receiver import Receiver
from tests.support.servers import serve

BRON = "002220647"


def zaak_event(nr: int, kind: str = "zaak-geopend", **data: Any) -> CloudEvent:
    zaak = f"{ZAKEN}/zaken/00000000-0000-4000-8000-{nr:012d}"
    body: dict[str, Any] = {"zaak": zaak, "zaaktype": ZAAKTYPE, "bronorganisatie": BRON,
                            "vertrouwelijkheidaanduiding": "zaakvertrouwelijk", "kolommen": ["wmo"], **data}
    return CloudEvent(source="urn:nld:sociaal-domein:zaken", type=f"nl.overheid.zaken.{kind}", subject=str(nr),
                      dataref=data.get("status", zaak), data=body)


async def bridge(nrc: Nrc, *events: CloudEvent) -> None:
    """Hand events to the bridge as the consumer does: one batch in one transaction."""
    async with nrc.app.state.db.transaction() as session:
        await Bridge(nrc.app.state.bezorger_wake).handle_batch(session, events)


def bericht(nr: int) -> dict[str, Any]:
    zaak = f"https://example.com/zaken/{nr}"
    return {"kanaal": "zaken", "hoofdObject": zaak, "resource": "zaak", "resourceUrl": zaak, "actie": "update",
            "aanmaakdatum": "2026-12-07T09:00:00Z", "kenmerken": {"bronorganisatie": BRON}}


async def test_an_event_becomes_a_zgw_notificatie(nrc: Nrc, receiver: tuple[Receiver, str]) -> None:
    rec, callback = receiver
    await nrc.abonneer(callback, [{"naam": "zaken", "filters": {"bronorganisatie": BRON}}], auth="Bearer s3cr3t")
    status = f"{ZAKEN}/statussen/5f0a0b5e-0000-4000-8000-000000000001"
    event = zaak_event(1, "status-gezet", status=status, statustype="https://x.example/statustypen/1",
                       datumStatusGezet="2026-12-07T09:00:00Z", isEindstatus=False)
    await bridge(nrc, event)
    await eventually(lambda: len(rec.received) == 1)
    got = rec.received[0]
    assert got.body == {"kanaal": "zaken", "hoofdObject": event.data["zaak"], "resource": "status",
                        "resourceUrl": status, "actie": "create",
                        "aanmaakdatum": event.time.isoformat().replace("+00:00", "Z"),
                        "kenmerken": {"bronorganisatie": BRON, "zaaktype": ZAAKTYPE,
                                      "vertrouwelijkheidaanduiding": "zaakvertrouwelijk"}}
    assert got.authorization == "Bearer s3cr3t" and got.key


async def test_failed_tries_follow_the_schedule_then_the_dead_letter_is_shown_and_redelivered(
        nrc: Nrc, receiver: tuple[Receiver, str]) -> None:
    rec, callback = receiver
    made = await nrc.abonneer(callback, [{"naam": "zaken", "filters": {}}])
    rec.status = 503
    r = await nrc.call("POST", "/notificaties", publicist(), json=bericht(1))
    assert r.status_code == 201, r.text
    # The fixture's schedule: 0.2 s, then 0.4 s; a first try and two retries, then mislukt.
    await eventually(lambda: len(rec.attempts) == 3)
    times = [t for t, _, _ in rec.attempts]
    assert times[1] - times[0] >= 0.2 and times[2] - times[1] >= 0.4
    assert len({key for _, key, _ in rec.attempts}) == 1  # every try of one delivery has the same key

    async def dead() -> list[dict[str, Any]]:
        r = await nrc.call("GET", "/leveringen", abonnee(), params={"status": "mislukt"})
        assert r.status_code == 200
        return r.json()["results"]  # type: ignore[no-any-return]

    for _ in range(100):
        if await dead():
            break
        await asyncio.sleep(0.05)
    (levering,) = await dead()
    assert levering["abonnement"] == made["url"] and levering["pogingen"] == 3
    assert levering["laatsteFout"] == "antwoord 503" and levering["notificatie"] == bericht(1)
    await asyncio.sleep(0.6)
    assert len(rec.attempts) == 3  # nothing more after the last retry
    # Another applicatie sees no dead letters of this one, and cannot redeliver them.
    assert (await nrc.call("GET", "/leveringen", abonnee("archief"))).json()["count"] == 0
    assert (await nrc.call("POST", f"{levering['url']}/opnieuw", abonnee("archief"))).status_code == 404

    rec.status = 204
    r = await nrc.call("POST", f"{levering['url']}/opnieuw", abonnee())
    assert r.status_code == 200 and r.json()["status"] == "wachtend"
    await eventually(lambda: len(rec.received) == 1)
    assert rec.received[0].key == rec.attempts[0][1]
    for _ in range(100):
        done = (await nrc.call("GET", levering["url"], abonnee())).json()
        if done["status"] == "afgeleverd":
            break
        await asyncio.sleep(0.05)
    assert done["status"] == "afgeleverd" and done["pogingen"] == 1
    again = await nrc.call("POST", f"{levering['url']}/opnieuw", abonnee())
    assert again.status_code == 400  # only a dead letter is sent again


async def test_the_order_per_hoofdobject_holds_through_a_retry(nrc: Nrc, receiver: tuple[Receiver, str]) -> None:
    rec, callback = receiver
    await nrc.abonneer(callback, [{"naam": "zaken", "filters": {}}])
    rec.fail_first = 1  # the first try of the first notificatie of zaak 1 fails
    first = [zaak_event(1, "zaak-geopend")]
    later = [zaak_event(1, "zaak-gemuteerd", actie="bijgewerkt", velden=["omschrijving"]),
             zaak_event(1, "zaak-afgesloten"), zaak_event(2, "zaak-geopend")]
    await bridge(nrc, *first)
    await eventually(lambda: len(rec.attempts) == 1)
    await bridge(nrc, *later)
    await eventually(lambda: len(rec.received) == 4)
    zaak1 = [r.body for r in rec.received if r.body["hoofdObject"].endswith("1")]
    assert [(b["resource"], b["actie"]) for b in zaak1] == [("zaak", "create"), ("zaak", "update"), ("zaak", "update")]
    # zaak 2 did not wait for zaak 1's retry
    order = [r.body["hoofdObject"][-1] for r in rec.received]
    assert order.index("2") < 3


async def test_one_slow_subscriber_delays_no_other(nrc: Nrc, receiver: tuple[Receiver, str]) -> None:
    fast, fast_url = receiver
    slow = Receiver(delay=3.0)
    with serve(slow.app()) as base:
        await nrc.abonneer(f"{base}/callback", [{"naam": "zaken", "filters": {}}], abonnee("traag"))
        await nrc.abonneer(fast_url, [{"naam": "zaken", "filters": {}}])
        started = time.monotonic()
        await bridge(nrc, *[zaak_event(nr) for nr in range(20)])
        await eventually(lambda: len(fast.received) == 20, within=5)
        assert time.monotonic() - started < 2.0 and len(slow.received) == 0
        await eventually(lambda: len(slow.received) == 20, within=15)


async def test_an_event_handed_twice_is_one_notificatie(nrc: Nrc, receiver: tuple[Receiver, str]) -> None:
    """The consumer's inbox stops a redelivered event; were it to slip through, the notificatie's unique
    source (the event id) refuses it, and the transaction with it."""
    rec, callback = receiver
    await nrc.abonneer(callback, [{"naam": "zaken", "filters": {}}])
    event = zaak_event(7)
    await bridge(nrc, event)
    try:
        await bridge(nrc, event)
        raised = False
    except Exception:
        raised = True
    assert raised
    await eventually(lambda: len(rec.received) == 1)
    await asyncio.sleep(0.3)
    assert len(rec.received) == 1


def test_the_default_schedule_outlasts_a_subscriber_away_for_an_hour() -> None:
    """A subscriber down for an hour is tried again after it is back, before the levering is given up."""
    schedule = NotificatiesSettings(env="dev").retry_schedule
    now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    tries, moment = [now], now
    for pogingen in range(1, 20):
        volgende = next_try(pogingen, schedule, moment)
        if volgende is None:
            break
        tries.append(moment := volgende)
    assert len(tries) == len(schedule) + 1  # the first try and one per retry, then the dead letter
    assert any(t - now > timedelta(hours=1) for t in tries[1:-1])  # and still one more after the hour
    assert all(b > a for a, b in zip(tries, tries[1:], strict=False))
