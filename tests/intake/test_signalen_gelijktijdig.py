"""Signalen under concurrent batches: the database decides, so two requests at once neither double a signal
nor an aanvraag, nor miss one that only their signals together call for. On PostgreSQL the requests really
overlap (a connection each); on SQLite the writers queue (BEGIN IMMEDIATE) and the outcome must be the same."""

from __future__ import annotations

import asyncio
from typing import Any

from services.intake.signalen.models import signalen
from tests.intake.test_signalen import PARTNER, Intake, intake, signaal, tienduizend

__all__ = ["intake"]  # the fixture, shared with test_signalen


async def test_twee_gelijke_batches_tegelijk(intake: Intake) -> None:
    items, _, _ = tienduizend(seed=11)
    items = items[:1500]
    uniek = {(s["partnersoort"], s["partner"], s["adres"]["huisnummer"]) for s in items}
    a, b = await asyncio.gather(intake.batch(items), intake.batch(items))
    assert a.status_code == b.status_code == 200, (a.text[:300], b.text[:300])
    ra, rb = a.json()["resultaten"], b.json()["resultaten"]
    assert [r["signaal"] for r in ra] == [r["signaal"] for r in rb]
    assert a.json()["aangemaakt"] + b.json()["aangemaakt"] == len(uniek)
    assert {a.json()["aangemaakt"], b.json()["aangemaakt"]} == {0, len(uniek)}
    assert await intake.count(signalen) == len(uniek) and len(await intake.events()) == len(uniek)
    aanvragen = await intake.proactieve_aanvragen()
    huizen: dict[int, set[str]] = {}
    crisis = set()
    for s in items:
        if s["signaalsoort"] != "overig":
            huizen.setdefault(s["adres"]["huisnummer"], set()).add(s["partner"])
            if s["crisissignaal"]:
                crisis.add(s["adres"]["huisnummer"])
    assert len(aanvragen) == sum(1 for h, ps in huizen.items() if len(ps) >= 2 or h in crisis) > 0


async def test_twee_partners_tegelijk_openen_samen_precies_een_aanvraag(intake: Intake) -> None:
    """Each batch alone holds one partner's signal per address; only together do they meet the rule. Neither may
    judge the rule without the other's committed signals, and only one may open the aanvraag."""
    huizen = range(1, 301)

    def partij(soort: str, partner: str, kind: str) -> list[dict[str, Any]]:
        return [signaal(h, partnersoort=soort, partner=partner, soort=kind, huisnummer=h,
                        referentie=f"{partner}-{h}") for h in huizen]

    a, b, c = await asyncio.gather(
        intake.batch(partij("woningcorporatie", "KVK11111111", "huurachterstand")),
        intake.batch(partij("energiebedrijf", "ENECO", "energieachterstand")),
        intake.batch(partij("waterbedrijf", "VITENS", "waterachterstand")))
    assert a.status_code == b.status_code == c.status_code == 200
    assert await intake.count(signalen) == 900
    aanvragen = await intake.proactieve_aanvragen()
    assert len(aanvragen) == len(huizen)


async def test_losse_signalen_tegelijk_voor_een_adres(intake: Intake) -> None:
    partners = [("woningcorporatie", f"KVK{n:08d}", "huurachterstand") for n in range(8)]
    responses = await asyncio.gather(*[
        intake.post("/signalen", signaal(n, partnersoort=s, partner=p, soort=k, huisnummer=5, referentie=f"r{n}"),
                    PARTNER) for n, (s, p, k) in enumerate(partners)],
        *[intake.post("/signalen", signaal(0, partnersoort="woningcorporatie", partner=partners[0][1], huisnummer=5,
                                           referentie="r0"), PARTNER) for _ in range(3)])
    assert sorted(r.status_code for r in responses) == [200] * 3 + [201] * 8
    assert len({r.json()["uuid"] for r in responses}) == 8
    assert await intake.count(signalen) == 8 and len(await intake.proactieve_aanvragen()) == 1
