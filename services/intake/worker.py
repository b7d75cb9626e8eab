"""Intake's background loop: what could not be done while the caller waited is done here, until it succeeds.

An aanvraag whose household is not yet found (klantgegevens was down) or whose zaaktypen are not yet known (the
zaken catalogue was down) stays ``ingediend``; this loop finds the household, learns the catalogue and triages
it. It also publishes ``termijn-overschreden`` for termijnen that passed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime

from fastapi import FastAPI

from sds.runtime.errors import ValidatieFout
from services.intake.aanvragen import service
from services.intake.context import Intake
from services.intake.upstream import Onbereikbaar, Upstreams

log = logging.getLogger("sds.intake.worker")


async def ververs_catalogus(intake: Intake, upstreams: Upstreams) -> bool:
    """Learn the zaaktype URLs; False while the catalogue cannot be read."""
    try:
        found = await upstreams.zaaktypen()
    except Onbereikbaar as exc:
        log.warning("zaken catalogue not reachable: %s", exc)
        return False
    intake.zaaktype_urls.clear()
    intake.zaaktype_urls.update(found)
    missing = sorted(set(intake.settings.zaaktypen.values()) - set(found))
    if missing:
        log.warning("catalogue has no published zaaktype %s: aanvragen that need it wait", ", ".join(missing))
    return not missing


async def zorg_voor_catalogus(intake: Intake, upstreams: Upstreams) -> None:
    """Learn the catalogue when a zaaktype is still unknown, at most once per triage interval."""
    if intake.kent_catalogus() or time.monotonic() - intake.catalogus_poging < intake.settings.triage_interval:
        return
    intake.catalogus_poging = time.monotonic()
    await ververs_catalogus(intake, upstreams)


def _wake(app: FastAPI) -> None:
    if app.state.relay is not None:
        app.state.relay.wake()


async def ronde(app: FastAPI) -> int:
    """One round over the waiting aanvragen; returns how many were triaged."""
    intake: Intake = app.state.intake
    upstreams: Upstreams = app.state.upstreams
    async with app.state.db.transaction() as session:
        waiting = await service.wachtende(session)
    if not waiting:
        return 0
    await zorg_voor_catalogus(intake, upstreams)
    triaged = 0
    for row in waiting:
        huishouden = row.huishouden
        if huishouden is None and row.aanvrager:
            namens = row.indiener.split("/", 1)[1] if "/" in row.indiener else ""
            try:
                huishouden = await upstreams.huishouden_van(row.aanvrager["burgerservicenummer"],
                                                            row.aanvrager.get("naam"), namens)
            except (Onbereikbaar, ValidatieFout) as exc:
                log.warning("household of aanvraag %s not found yet: %s", row.id, exc)
                continue
        async with app.state.db.transaction() as session:
            if row.huishouden is None and huishouden:
                await service.zet_huishouden(session, row.id, huishouden)
            if await service.trieer(intake, session, row.id):
                triaged += 1
        _wake(app)
    return triaged


async def triage_loop(app: FastAPI) -> None:
    intake: Intake = app.state.intake
    interval = intake.settings.triage_interval
    await ververs_catalogus(intake, app.state.upstreams)
    last_termijn = 0.0
    while True:
        try:
            await ronde(app)
            if time.monotonic() - last_termijn >= intake.settings.termijn_interval:
                async with app.state.db.transaction() as session:
                    await service.meld_overschreden(intake, session, datetime.now(UTC).date())
                _wake(app)
                last_termijn = time.monotonic()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("intake worker round failed; next round in %.1f s", interval)
        await asyncio.sleep(interval)
