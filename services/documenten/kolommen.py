"""The kolom of the documents stored before each document kept one (``documenten_0005``): filled in once the
service runs, from the kolom of each document's catalogus in the Catalogi API (one look-up per catalogus).

Until then such a document has no kolom, and an applicatie limited to kolommen or clusters does not reach it
(``authz``): the gap fails closed. A catalogus the zaken service does not answer for is asked again next round.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI
from sqlalchemy import select, update

from sds.runtime.db import Database
from services.documenten.informatieobjecten.models import informatieobjecten
from services.documenten.zaken import Zaken

log = logging.getLogger("sds.documenten.kolommen")
INTERVAL = 30.0


async def aanvullen(db: Database, zaken: Zaken) -> int:
    """Give every document without a kolom that of its catalogus; returns how many catalogi are still unknown."""
    d = informatieobjecten
    async with db.transaction() as session:
        catalogi = list((await session.execute(select(d.c.catalogus).where(d.c.kolom.is_(None)).distinct()))
                        .scalars())
    open_ = 0
    for catalogus in catalogi:
        try:
            kolom = await zaken.kolom_van(catalogus)
        except Exception as exc:  # the zaken service away, or the catalogus gone: asked again next round
            log.warning("no kolom for catalogus %s yet (%s)", catalogus, exc)
            open_ += 1
            continue
        async with db.transaction() as session:
            await session.execute(update(d).where(d.c.catalogus == catalogus, d.c.kolom.is_(None)).values(
                kolom=kolom))
    return open_


async def loop(app: FastAPI) -> None:
    """Rounds until no document lacks its kolom (at once at start, then every ``INTERVAL`` seconds)."""
    state = app.state
    while True:
        try:
            if state.zaken is None:
                state.zaken = Zaken(state.settings, getattr(state, "zaken_transport", None))
            if await aanvullen(state.db, state.zaken) == 0:
                return
        except Exception as exc:  # the database away: next round
            log.warning("filling in the kolom of documents failed (%s: %s); next round", type(exc).__name__, exc)
        await asyncio.sleep(INTERVAL)
