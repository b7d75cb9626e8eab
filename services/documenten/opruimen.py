"""Collecting the blobs no row names: the content of deleted documents, the parts of merged uploads, and what a
crash left in the store before its row was committed.

A blob is collected only when it is older than ``opruimen_na`` seconds (a put of content already in the store
makes it new again) and no version and no bestandsdeel names it, checked in one query per batch. The age closes
the gap between a put and the commit of the row that names its blob: a document's content is never collected in
the moment another request stores the same bytes.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI
from sqlalchemy import select, union

from sds.runtime.db import Database
from services.documenten.informatieobjecten.models import bestandsdelen, versies
from services.documenten.storage import Store

log = logging.getLogger("sds.documenten.opruimen")
BATCH = 500


async def collect(store: Store, db: Database, older_than: float) -> int:
    """Delete the blobs older than ``older_than`` seconds that no row names; returns how many."""
    candidates = await store.older_than(older_than)
    gone = 0
    for start in range(0, len(candidates), BATCH):
        batch = candidates[start:start + BATCH]
        async with db.transaction() as session:
            named = set((await session.execute(union(
                select(versies.c.inhoud).where(versies.c.inhoud.in_(batch)),
                select(bestandsdelen.c.inhoud).where(bestandsdelen.c.inhoud.in_(batch))))).scalars())
        for sha in batch:
            if sha not in named:
                await store.delete(sha)
                gone += 1
    return gone


async def loop(app: FastAPI) -> None:
    """The service's background loop: a collection every ``opruimen_interval`` seconds; survives its errors."""
    settings = app.state.settings
    while True:
        await asyncio.sleep(settings.opruimen_interval)
        try:
            gone = await collect(app.state.store, app.state.db, settings.opruimen_na)
            if gone:
                log.info("collected %d blobs no document names", gone)
        except Exception as exc:  # the store or the database away: next round
            log.warning("collecting blobs failed (%s: %s); next round", type(exc).__name__, exc)
