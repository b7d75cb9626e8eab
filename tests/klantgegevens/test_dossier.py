"""The eigen digitaal klantdossier: the household's own overview, a read model kept from events."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import nats
import pytest

from contracts.envelope import subject_for
from services.klantgegevens import handlers
from tests.klantgegevens.conftest import (
    INTAKE,
    ZAKEN,
    Kg,
    aanvraag_ingediend,
    event,
    inwoner,
    kolom_client,
    make_kg,
    zaak_geopend,
)
from tests.support.natsserver import NatsServer

STATUS = "http://zaken.test/zaken/api/v1/statussen"
STATUSTYPE = "http://zaken.test/catalogi/api/v1/statustypen"


def status_gezet(nr: int, status: int, when: str, eind: bool = False):  # type: ignore[no-untyped-def]
    return event(handlers.STATUS_GEZET, {
        "zaak": f"{ZAKEN}/zaken/{nr}", "zaaktype": "http://zaken.test/catalogi/api/v1/zaaktypen/wmo",
        "status": f"{STATUS}/{status}", "statustype": f"{STATUSTYPE}/{status}", "datumStatusGezet": when,
        "isEindstatus": eind})


async def _gezin(kg: Kg) -> tuple[dict, dict, dict]:
    ouder, kind = await kg.persoon(), await kg.persoon(naam={"voornamen": "Kim", "geslachtsnaam": "Proefkind"})
    return ouder, kind, await kg.huishouden((ouder, "ouder"), (kind, "kind"))


async def test_the_dossier_shows_members_aanvragen_zaken_plan_regisseur_and_toewijzingen(kg: Kg) -> None:
    ouder, kind, h = await _gezin(kg)
    plan, rol = f"{ZAKEN}/plannen/1", f"{ZAKEN}/rollen/5"
    await kg.deliver(
        aanvraag_ingediend(h["url"], ["wmo", "jeugd"], nr=1),
        aanvraag_ingediend(h["url"], ["schuldhulp"], nr=2),
        zaak_geopend(h["url"], "wmo", nr=1),
        status_gezet(1, 1, "2026-11-03T09:00:00+00:00"),
        event(handlers.AANVRAAG_AFGEROND, {
            "aanvraag": f"{INTAKE}/aanvragen/1", "huishouden": h["url"], "kolommen": ["wmo", "jeugd"],
            "uitkomst": "zaken-geopend", "registratiedatum": "2026-11-01", "einddatum": "2026-11-02"}),
        event(handlers.PLAN_GEWIJZIGD, {"plan": plan, "huishouden": h["url"], "wijziging": "aangemaakt",
                                        "zaken": [f"{ZAKEN}/zaken/1"], "regisseur": None}),
        event(handlers.REGISSEUR_GEWIJZIGD, {"zaak": f"{ZAKEN}/zaken/1", "huishouden": h["url"], "plan": plan,
                                             "regisseur": rol}),
        event(handlers.TOEWIJZING_AFGEGEVEN, {
            "toewijzing": "http://financien.test/toewijzingen/1", "zaak": f"{ZAKEN}/zaken/1",
            "huishouden": h["url"], "kolom": "wmo", "aanbieder": "http://financien.test/aanbieders/1",
            "contract": "http://financien.test/contracten/1", "product": {"productcategorie": "02"},
            "omvang": {"volume": 3, "eenheid": "uur", "frequentie": "per-week"}, "begindatum": "2026-11-10",
            "verplichting": 120000}),
    )
    r = await kg.get("/eigen-dossier", inwoner(kind["burgerservicenummer"]))
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["huishouden"] == h["url"]
    assert [(m["persoon"], m["rol"]) for m in d["leden"]] == [(ouder["url"], "ouder"), (kind["url"], "kind")]
    assert d["leden"][1]["naam"]["voornamen"] == "Kim"
    assert [a["aanvraag"] for a in d["openAanvragen"]] == [f"{INTAKE}/aanvragen/2"]
    [zaak] = d["zaken"]
    assert zaak["status"] == f"{STATUS}/1" and zaak["open"] is True
    assert d["plannen"] == [{"plan": plan, "zaken": [f"{ZAKEN}/zaken/1"], "regisseur": rol,
                             "wijziging": "aangemaakt"}]
    [toewijzing] = d["toewijzingen"]
    assert toewijzing["omvang"] == {"volume": 3, "eenheid": "uur", "frequentie": "per-week"}
    assert "burgerservicenummer" not in r.text


async def test_an_older_status_delivered_late_does_not_replace_a_newer_one(kg: Kg) -> None:
    ouder, _, h = await _gezin(kg)
    await kg.deliver(zaak_geopend(h["url"], "wmo", nr=4), status_gezet(4, 2, "2026-11-05T09:00:00+00:00"),
                     status_gezet(4, 1, "2026-11-04T09:00:00+00:00"))
    [zaak] = (await kg.get("/eigen-dossier", inwoner(ouder["burgerservicenummer"]))).json()["zaken"]
    assert zaak["status"] == f"{STATUS}/2"


async def test_a_status_for_a_zaak_not_seen_yet_is_retried_not_lost(kg: Kg) -> None:
    async with kg.app.state.db.transaction() as session:
        with pytest.raises(handlers.NogNietBekend):
            await handlers.dossier(session, status_gezet(99, 1, "2026-11-05T09:00:00+00:00"))


async def test_only_a_resident_sees_the_dossier_and_only_their_own(kg: Kg) -> None:
    ouder, _, h = await _gezin(kg)
    assert (await kg.get("/eigen-dossier")).status_code == 403  # a client with every authorisation is no resident
    loner = await kg.persoon()
    assert (await kg.get("/eigen-dossier", inwoner(loner["burgerservicenummer"]))).status_code == 404


async def test_the_dossier_is_off_where_the_profile_does_not_turn_it_on(tmp_path: Path) -> None:
    async for k in make_kg(tmp_path, "kg_zonder_dossier", eigen_dossier=False):
        p = await k.persoon()
        await k.huishouden((p, "ouder"))
        assert (await k.get("/eigen-dossier", inwoner(p["burgerservicenummer"]))).status_code == 404


# --- through a real nats-server ----------------------------------------------------------------------------

@pytest.fixture
async def kg_bus(tmp_path: Path, nats_server: NatsServer) -> AsyncIterator[Kg]:
    async for k in make_kg(tmp_path, "kg_bus", eigen_dossier=True, nats_url=nats_server.url):
        yield k


async def _wait(predicate, within: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + within
    while not await predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_the_dossier_reflects_a_new_zaak_status_within_a_second_of_the_event(kg_bus: Kg,
                                                                                  nats_server: NatsServer) -> None:
    ouder, _, h = await _gezin(kg_bus)
    resident = inwoner(ouder["burgerservicenummer"])
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        await _wait(lambda: _stream_ready(js))
        # The household's own events went out through the outbox and the relay.
        await _wait(lambda: _has_message(js, "sds.klantgegevens.huishouden.gewijzigd"))

        geopend = zaak_geopend(h["url"], "wmo", nr=1)
        await js.publish(subject_for(geopend.type), geopend.to_json(), headers={"Nats-Msg-Id": geopend.id})

        async def zaak_shown() -> bool:
            r = await kg_bus.get("/eigen-dossier", resident)
            return r.status_code == 200 and len(r.json()["zaken"]) == 1

        await _wait(zaak_shown)
        # The toegang consumer took the same event: the wmo client now has its lawful reason.
        wmo = kolom_client("wmo")

        async def wmo_sees_it() -> bool:
            return (await kg_bus.get(h["url"], wmo)).status_code == 200

        await _wait(wmo_sees_it)

        gezet = status_gezet(1, 3, "2026-11-06T10:00:00+00:00")
        published = time.monotonic()
        await js.publish(subject_for(gezet.type), gezet.to_json(), headers={"Nats-Msg-Id": gezet.id})

        async def status_shown() -> bool:
            r = await kg_bus.get("/eigen-dossier", resident)
            return r.json()["zaken"][0]["status"] == f"{STATUS}/3"

        await _wait(status_shown, within=5)
        elapsed = time.monotonic() - published
        assert elapsed < 1.0, f"the dossier showed the status after {elapsed:.2f}s"
    finally:
        await nc.close()


async def _stream_ready(js) -> bool:  # type: ignore[no-untyped-def]
    try:
        await js.stream_info("SDS")
        return True
    except Exception:
        return False


async def _has_message(js, subject: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        msg = await js.get_last_msg("SDS", subject)
    except Exception:
        return False
    return msg is not None


def test_the_archetype_profile_decides_over_the_setting() -> None:
    from services.klantgegevens.settings import KlantgegevensSettings

    assert KlantgegevensSettings(env="dev", archetype="transitie-proof", eigen_dossier=True).eigen_dossier_aan() \
        is False
    assert KlantgegevensSettings(env="dev", archetype="totaal-integraal").eigen_dossier_aan() is True
    assert KlantgegevensSettings(env="dev", eigen_dossier=True).eigen_dossier_aan() is True
    assert KlantgegevensSettings(env="dev").eigen_dossier_aan() is False


async def test_with_a_profile_without_the_dossier_the_endpoint_is_not_there(tmp_path: Path) -> None:
    async for k in make_kg(tmp_path, "kg_transitie", archetype="transitie-proof", eigen_dossier=True):
        p = await k.persoon()
        await k.huishouden((p, "ouder"))
        assert (await k.get("/eigen-dossier", inwoner(p["burgerservicenummer"]))).status_code == 404
