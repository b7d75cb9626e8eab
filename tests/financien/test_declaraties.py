"""Declaraties (323) and their answer (325): each line checked and answered with a retourcode, a batch sent again
has no second effect, and a batch of 10,000 lines is answered in one request."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from sds.runtime.db import idempotency_table
from sds.runtime.idempotency import RUNNING_TAKEOVER
from services.financien.models import declaratie_regels, declaraties
from tests.financien.conftest import API, Fin, aanbieder_app, headers, toegekend, toekenning


async def _toewijzing(fin: Fin, client_id: str = "zorg-app", agb: str = "12345678", **kw: Any) -> dict[str, Any]:
    made = await fin.inkoop(agb=agb, applicaties=[client_id], tarief="52.40")
    await fin.deliver(toegekend([toekenning(made["aanbieder"]["url"], **kw)], nr=int(agb[:3])))
    r = await fin.get("/toewijzingen", aanbieder_app(client_id))
    [t] = r.json()["results"]
    return t  # type: ignore[no-any-return]


def _regel(t: dict[str, Any], ref: str, **kw: Any) -> dict[str, Any]:
    return {"referentie": ref, "toewijzing": t["url"], "begindatum": "2026-03-02", "einddatum": "2026-03-08",
            "volume": 3, "eenheid": "uur", "productTarief": "52.40", **kw}


def _declaratie(regels: list[dict[str, Any]], nr: str = "D-2026-03") -> dict[str, Any]:
    return {"identificatie": nr, "begindatum": "2026-03-01", "einddatum": "2026-03-31", "regels": regels}


async def test_each_line_is_checked_and_answered_with_a_retourcode(fin: Fin) -> None:
    t = await _toewijzing(fin)  # 3 uur per week, 2 to 29 March: 12 uur in all
    other = await _toewijzing(fin, client_id="ander-app", agb="22222222")
    app = aanbieder_app("zorg-app")
    r = await fin.post("/declaraties", _declaratie([
        _regel(t, "R1"),                                                    # accepted
        _regel(t, "R2", toewijzing=other["url"]),                           # another aanbieder's
        _regel(t, "R3", begindatum="2026-02-23", einddatum="2026-03-01"),   # before the toewijzing
        _regel(t, "R4", volume=10),                                         # 3 + 10 > 12
        _regel(t, "R5", productTarief="60.00"),                             # not the contract's tarief
        _regel(t, "R1", begindatum="2026-03-09", einddatum="2026-03-15"),   # R1 again
        _regel(t, "R6", eenheid="minuut"),                                  # another eenheid
        _regel(t, "R7", volume=9, begindatum="2026-03-09", einddatum="2026-03-29"),  # 3 + 9 = 12: fits
    ]), app)
    assert r.status_code == 201, r.text
    body = r.json()
    assert [x["retourcode"] for x in body["regels"]] == ["0200", "SD01", "SD02", "SD03", "SD04", "SD05", "SD03",
                                                         "0200"]
    assert body["goedgekeurdBedrag"] == "628.80"  # (3 + 9) * 52.40
    assert body["ingediendBedrag"] == "1961.60"  # 5 * 157.20 + 524.00 + 180.00 + 471.60
    events = [e for e in await fin.outbox() if e.type.endswith("declaratie-verwerkt")]
    assert len(events) == 1
    data = events[0].data
    assert data["goedgekeurdBedrag"] == 62880 and data["aantalRegels"] == 8
    assert {a["code"]: a["aantal"] for a in data["afkeurredenen"]} == {"SD01": 1, "SD02": 1, "SD03": 2, "SD04": 1,
                                                                       "SD05": 1}
    # Nothing more fits the toewijzing now: a later batch's line for it is refused on volume.
    r = await fin.post("/declaraties", _declaratie([_regel(t, "R9", volume=1)], nr="D-2026-03b"), app)
    assert [x["retourcode"] for x in r.json()["regels"]] == ["SD03"]
    assert (await fin.get(body["url"], aanbieder_app("ander-app"))).status_code == 403


async def test_a_batch_sent_again_has_no_second_effect(fin: Fin) -> None:
    t = await _toewijzing(fin)
    body = _declaratie([_regel(t, "R1")])
    key = {**headers(aanbieder_app("zorg-app")), "Idempotency-Key": "batch-2026-03"}
    first = await fin.client.post(f"{API}/declaraties", json=body, headers=key)
    again = await fin.client.post(f"{API}/declaraties", json=body, headers=key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert await fin.count(declaraties) == 1 and await fin.count(declaratie_regels) == 1
    # Without the key the same batch (its DeclaratieNummer and content) gets the same answer, nothing more stored.
    r = await fin.post("/declaraties", body, aanbieder_app("zorg-app"))
    assert r.status_code == 201 and r.json() == first.json()
    assert r.headers["location"] == first.headers["location"]
    assert await fin.count(declaraties) == 1 and await fin.count(declaratie_regels) == 1
    # Another batch under a number already used is refused, nothing stored.
    r = await fin.post("/declaraties", _declaratie([_regel(t, "R2")]), aanbieder_app("zorg-app"))
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "identificatie"
    # Under another number the same ProductReferentie is not paid twice.
    r = await fin.post("/declaraties", _declaratie([_regel(t, "R1")], nr="D-2"), aanbieder_app("zorg-app"))
    assert [x["retourcode"] for x in r.json()["regels"]] == ["SD05"] and r.json()["goedgekeurdBedrag"] == "0.00"
    assert len([e for e in await fin.outbox() if e.type.endswith("declaratie-verwerkt")]) == 2
    assert await fin.count(declaraties) == 2


async def _verweesde_sleutel(fin: Fin, client_id: str, key: str, body: dict[str, Any]) -> None:
    """The Idempotency-Key as a process killed while answering leaves it: claimed, never marked done, and older
    than the runtime's takeover, so the client's resend is let through."""
    table = idempotency_table(fin.app.state.metadata)
    digest = hashlib.sha256(b"/financien/api/v1/declaraties\0" + json.dumps(body).encode()).hexdigest()
    async with fin.app.state.db.transaction() as session:
        await session.execute(insert(table).values(client_id=client_id, key=key, request_hash=digest,
                                                   state="running", created_at=datetime.now(UTC) - RUNNING_TAKEOVER
                                                   - timedelta(seconds=1)))


async def test_a_batch_whose_answer_a_crash_lost_is_sent_again_with_its_key_to_the_same_answer(fin: Fin) -> None:
    t = await _toewijzing(fin)
    body = _declaratie([_regel(t, "R1"), _regel(t, "R2", productTarief="60.00")])
    app = aanbieder_app("zorg-app")
    # The batch committed, then the process died before its answer was kept with the key.
    first = await fin.client.post(f"{API}/declaraties", content=json.dumps(body),
                                  headers={**headers(app), "content-type": "application/json"})
    assert first.status_code == 201
    await _verweesde_sleutel(fin, "zorg-app", "batch-crash", body)
    again = await fin.client.post(f"{API}/declaraties", content=json.dumps(body), headers={
        **headers(app), "content-type": "application/json", "Idempotency-Key": "batch-crash"})
    assert again.status_code == 201 and again.json() == first.json()
    assert [x["retourcode"] for x in again.json()["regels"]] == ["0200", "SD04"]
    assert await fin.count(declaraties) == 1 and await fin.count(declaratie_regels) == 2
    assert len([e for e in await fin.outbox() if e.type.endswith("declaratie-verwerkt")]) == 1
    # Killed before the batch committed: nothing of it was kept, and the resend is checked and answered once.
    body2 = _declaratie([_regel(t, "R3", begindatum="2026-03-09", einddatum="2026-03-15")], nr="D-2026-03b")
    await _verweesde_sleutel(fin, "zorg-app", "batch-crash-2", body2)
    r = await fin.client.post(f"{API}/declaraties", content=json.dumps(body2), headers={
        **headers(app), "content-type": "application/json", "Idempotency-Key": "batch-crash-2"})
    assert r.status_code == 201 and [x["retourcode"] for x in r.json()["regels"]] == ["0200"]
    assert await fin.count(declaraties) == 2


async def test_bad_declaraties_are_refused_naming_each_field(fin: Fin) -> None:
    t = await _toewijzing(fin)
    app = aanbieder_app("zorg-app")
    r = await fin.post("/declaraties", {"identificatie": "D", "begindatum": "2026-03-31", "einddatum": "2026-03-01",
                                        "regels": [_regel(t, "R1", volume=0, productTarief="52.405",
                                                          einddatum="2026-03-01")]}, app)
    assert r.status_code == 400
    assert {p["name"] for p in r.json()["invalidParams"]} == {
        "einddatum", "regels.0.volume", "regels.0.productTarief", "regels.0.einddatum"}
    r = await fin.post("/declaraties", _declaratie([]), app)
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "regels"
    r = await fin.post("/declaraties", _declaratie([_regel(t, "R1")]))  # the municipality does not declare
    assert r.status_code == 403
    assert await fin.count(declaraties) == 0


async def test_a_batch_of_ten_thousand_lines(fin: Fin) -> None:
    t = await _toewijzing(fin, volume=1, frequentie="per-dag", eenheid="uur", begin="2026-03-01",
                          eind="2026-03-31")
    # One line too many for the 31 hours allocated is answered per line; 10,000 lines in one request.
    regels = [_regel(t, f"R{i}", volume=1, begindatum="2026-03-05", einddatum="2026-03-05") for i in range(10_000)]
    started = time.perf_counter()
    r = await fin.post("/declaraties", _declaratie(regels), aanbieder_app("zorg-app"))
    took = time.perf_counter() - started
    assert r.status_code == 201, r.text[:500]
    codes = [x["retourcode"] for x in r.json()["regels"]]
    assert codes.count("0200") == 31 and codes.count("SD03") == 9_969
    assert r.json()["goedgekeurdBedrag"] == "1624.40"
    assert await fin.count(declaratie_regels) == 10_000
    print(f"10,000 declaratie lines answered in {took:.2f} s")
    r = await fin.post("/declaraties", _declaratie(regels + regels[:1], nr="D-te-groot"), aanbieder_app("zorg-app"))
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "regels"


async def test_the_budget_monitor_shows_budget_verplichtingen_and_realisatie(fin: Fin) -> None:
    t = await _toewijzing(fin)  # wmo, verplichting 628.80
    await fin.made("/budgetten", {"jaar": 2026, "kolom": "wmo", "bedrag": "1000.00"})
    await fin.made("/budgetten", {"jaar": 2027, "kolom": "wmo", "bedrag": "5.00"})
    # A second aanbieder with a taakgericht contract for a cluster and a taakbudget.
    aanbieder = await fin.made("/aanbieders", {"naam": "Wijkteam", "agbCode": "33333333", "kvkNummer": "12345678"})
    await fin.made("/contracten", {"aanbieder": aanbieder["url"], "kolommen": ["jeugd"], "cluster": "noord",
                                   "begindatum": "2026-01-01", "uitvoeringsvariant": "taakgericht"})
    await fin.made("/budgetten", {"jaar": 2026, "kolom": "jeugd", "aanbieder": aanbieder["url"],
                                  "bedrag": "250.00"})
    await fin.made("/budgetten", {"jaar": 2026, "cluster": "noord", "bedrag": "300.00"})
    r = await fin.post("/declaraties", _declaratie([_regel(t, "R1"), _regel(t, "R2", productTarief="1.00")]),
                       aanbieder_app("zorg-app"))
    assert [x["retourcode"] for x in r.json()["regels"]] == ["0200", "SD04"]
    r = await fin.get("/budgetmonitor", jaar=2026)
    assert r.status_code == 200, r.text
    m = r.json()
    assert m["perKolom"] == [{"kolom": "wmo", "budget": "1000.00", "verplicht": "628.80", "gerealiseerd": "157.20"}]
    assert m["perCluster"] == [{"cluster": "noord", "budget": "300.00", "verplicht": "0.00", "gerealiseerd": "0.00"}]
    assert {(x["aanbieder"], x["budget"], x["verplicht"], x["gerealiseerd"]) for x in m["perAanbieder"]} == {
        (t["aanbieder"], None, "628.80", "157.20"), (aanbieder["url"], "250.00", "0.00", "0.00")}
    assert (await fin.get("/budgetmonitor", jaar=2027)).json()["perKolom"] == [
        {"kolom": "wmo", "budget": "5.00", "verplicht": "0.00", "gerealiseerd": "0.00"}]
    assert (await fin.get("/budgetmonitor", aanbieder_app("zorg-app"), jaar=2026)).status_code == 403
    assert (await fin.get("/budgetmonitor")).status_code == 400


async def test_two_batches_at_once_do_not_both_fit_in_what_is_left(fin: Fin) -> None:
    t = await _toewijzing(fin)  # 12 uur in all
    app = aanbieder_app("zorg-app")
    answers = await asyncio.gather(*(
        fin.post("/declaraties", _declaratie([_regel(t, f"R{i}", volume=8, begindatum="2026-03-09",
                                                     einddatum="2026-03-22")], nr=f"D-{i}"), app)
        for i in range(2)))
    assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
    assert sorted(a.json()["regels"][0]["retourcode"] for a in answers) == ["0200", "SD03"]
