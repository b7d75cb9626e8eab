"""Huishoudens: roles, one household at a time, moves that keep the history, an event on every change."""

from __future__ import annotations

import json

from sqlalchemy import select

from services.klantgegevens.models import huishoudens, lidmaatschappen, verwerkingen
from tests.klantgegevens.conftest import API, Kg, intake


async def _events(kg: Kg) -> list[dict]:
    async with kg.app.state.db.transaction() as session:
        rows = (await session.execute(select(kg.app.state.metadata.tables["outbox"]).order_by("seq"))).all()
    return [json.loads(row.payload) for row in rows]


async def test_register_a_household_with_roles(kg: Kg) -> None:
    ouder, kind = await kg.persoon(), await kg.persoon()
    h = await kg.huishouden((ouder, "ouder"), (kind, "kind"))
    assert {(lid["persoon"], lid["rol"]) for lid in h["leden"]} == {(ouder["url"], "ouder"), (kind["url"], "kind")}
    r = await kg.get(h["url"], intake())
    assert r.status_code == 200
    assert len(r.json()["leden"]) == 2
    person = (await kg.get(ouder["url"], intake())).json()
    assert person["huishouden"] == h["url"]

    events = await _events(kg)
    assert [e["data"]["wijziging"] for e in events] == ["aangemaakt", "lid-toegevoegd", "lid-toegevoegd"]
    last = events[-1]
    assert last["type"] == "nl.sociaal-domein.klantgegevens.huishouden-gewijzigd"
    assert last["data"]["aantalLeden"] == 2
    assert last["data"]["samenstelling"] == {"ouders": 1, "partners": 0, "kinderen": 1, "overig": 0}
    assert last["subject"] == h["uuid"] and last["dataref"] == h["url"]
    # Nothing that identifies a person travels in the event.
    assert ouder["uuid"] not in json.dumps(events) and ouder["burgerservicenummer"] not in json.dumps(events)


async def test_moving_keeps_the_history_and_one_household_at_a_time(kg: Kg) -> None:
    a, b = await kg.persoon(), await kg.persoon()
    eerste = await kg.huishouden((a, "partner"), (b, "partner"))
    tweede = await kg.huishouden((await kg.persoon(), "ouder"))

    r = await kg.post(f"/huishoudens/{tweede['uuid']}/leden", {"persoon": a["url"], "rol": "partner"}, intake())
    assert r.status_code == 201, r.text
    assert a["url"] in [lid["persoon"] for lid in r.json()["leden"]]

    now_first = (await kg.get(eerste["url"], intake())).json()
    assert [lid["persoon"] for lid in now_first["leden"]] == [b["url"]]
    history = (await kg.get(eerste["url"], intake(), historie="true")).json()
    moved = [lid for lid in history["leden"] if lid["persoon"] == a["url"]]
    assert len(moved) == 1 and moved[0]["tot"] is not None
    assert await kg.count(lidmaatschappen, lidmaatschappen.c.tot.is_(None)) == 3
    assert (await kg.get(a["url"], intake())).json()["huishouden"] == tweede["url"]

    events = await _events(kg)
    assert [e["data"]["wijziging"] for e in events][-2:] == ["lid-vertrokken", "lid-toegevoegd"]


async def test_role_change_and_leaving_keep_history_and_the_last_one_out_closes_it(kg: Kg) -> None:
    p = await kg.persoon()
    h = await kg.huishouden((p, "kind"))
    r = await kg.client.put(f"{API}/huishoudens/{h['uuid']}/leden/{p['uuid']}", json={"rol": "overig"},
                            headers=_h())
    assert r.status_code == 200, r.text
    assert r.json()["leden"][0]["rol"] == "overig"
    history = (await kg.get(h["url"], intake(), historie="true")).json()["leden"]
    assert [(lid["rol"], lid["tot"] is None) for lid in history] == [("kind", False), ("overig", True)]

    r = await kg.client.delete(f"{API}/huishoudens/{h['uuid']}/leden/{p['uuid']}", headers=_h())
    assert r.status_code == 204
    body = (await kg.get(h["url"], intake())).json()
    assert body["leden"] == [] and body["opgeheven"] is not None
    assert [e["data"]["wijziging"] for e in await _events(kg)][-3:] == ["rol-gewijzigd", "lid-vertrokken",
                                                                          "opgeheven"]
    r = await kg.post(f"/huishoudens/{h['uuid']}/leden", {"persoon": p["url"], "rol": "kind"}, intake())
    assert r.status_code == 409


async def test_adding_someone_already_in_the_household_is_a_conflict(kg: Kg) -> None:
    p = await kg.persoon()
    h = await kg.huishouden((p, "ouder"))
    r = await kg.post(f"/huishoudens/{h['uuid']}/leden", {"persoon": p["url"], "rol": "ouder"}, intake())
    assert r.status_code == 409


async def test_the_same_person_twice_in_one_request_is_a_400(kg: Kg) -> None:
    p = await kg.persoon()
    r = await kg.post("/huishoudens", {"leden": [{"persoon": p["url"], "rol": "ouder"},
                                                 {"persoon": p["url"], "rol": "kind"}]}, intake())
    assert r.status_code == 400
    assert await kg.count(huishoudens) == 0


async def test_a_failed_write_leaves_neither_data_nor_log_record(kg: Kg) -> None:
    p = await kg.persoon()
    records_before = await kg.count(verwerkingen)
    missing = p["url"].rsplit("/", 1)[0] + "/00000000-0000-4000-8000-000000000000"
    # The first member is written (with its log record and event) before the second turns out not to exist.
    r = await kg.post("/huishoudens", {"leden": [{"persoon": p["url"], "rol": "ouder"},
                                                 {"persoon": missing, "rol": "kind"}]}, intake())
    assert r.status_code == 400, r.text
    assert r.json()["invalidParams"][0]["name"] == "leden.1.persoon"
    assert await kg.count(huishoudens) == 0
    assert await kg.count(lidmaatschappen) == 0
    assert await kg.count(verwerkingen) == records_before
    assert await _events(kg) == []


async def test_a_failure_inside_the_database_mid_write_rolls_everything_back(kg: Kg, monkeypatch) -> None:
    from services.klantgegevens import store

    a, b = await kg.persoon(), await kg.persoon()
    records_before = await kg.count(verwerkingen)
    calls = {"n": 0}
    original = store.begin_lidmaatschap

    async def fail_second(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return await original(*args, **kwargs)

    monkeypatch.setattr(store, "begin_lidmaatschap", fail_second)
    r = await kg.post("/huishoudens", {"leden": [{"persoon": a["url"], "rol": "ouder"},
                                                 {"persoon": b["url"], "rol": "kind"}]}, intake())
    assert r.status_code == 500
    assert calls["n"] == 2
    assert await kg.count(huishoudens) == 0
    assert await kg.count(lidmaatschappen) == 0
    assert await kg.count(verwerkingen) == records_before
    assert await _events(kg) == []


def _h() -> dict[str, str]:
    from tests.klantgegevens.conftest import headers

    return headers(intake())
