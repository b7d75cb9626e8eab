"""The delivery worker: every waiting levering posted to its abonnement's callbackUrl, nothing lost.

Per abonnement a task of its own, so a slow or absent subscriber holds up no other: it takes its abonnement's
due leveringen — per hoofdObject only the oldest still waiting, so the subscriber's order per hoofdObject holds
— posts up to ``delivery_concurrency`` of them at once (each of another hoofdObject), each within
``callback_timeout``, and records every outcome in one transaction. A 2xx is delivered. Anything else (another
status, no answer, a timeout) is a failed try: the levering waits ``retry_schedule[n]`` seconds before the next,
and the later leveringen of its hoofdObject wait behind it; after the last retry it is ``mislukt`` (the dead
letter), shown by ``GET /leveringen?status=mislukt`` and sent again by ``POST /leveringen/{uuid}/opnieuw``, and
the hoofdObject's later leveringen go on.

A levering is marked only after its POST was answered: a process that stops in between posts it again after
its restart. A subscriber therefore sees a notificatie at least once and dedups on the ``Idempotency-Key``
header, the levering's uuid: the same for every try of one notificatie to one abonnement.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from prometheus_client import Counter, Histogram
from sqlalchemy import func, select, update

from sds.runtime.db import Database
from services.notificaties.models import abonnementen, leveringen, notificaties
from services.notificaties.notificaties.service import AFGELEVERD, MISLUKT, WACHTEND
from services.notificaties.settings import NotificatiesSettings

log = logging.getLogger("sds.notificaties.delivery")

DELIVERED = Counter("sds_notificaties_delivered_total", "Notificaties delivered to a callback")
FAILED = Counter("sds_notificaties_delivery_failed_total", "Failed tries of a delivery (retried later)")
DEAD = Counter("sds_notificaties_dead_lettered_total", "Deliveries given up after the last retry (mislukt)")
LATENCY = Histogram("sds_notificaties_delivery_seconds", "From notificatie received to callback answered",
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60, 600))


def next_try(pogingen: int, schedule: Sequence[float], now: datetime) -> datetime | None:
    """When a levering that failed its ``pogingen``-th try is tried again; None: never (dead-lettered)."""
    if pogingen > len(schedule):
        return None
    return now + timedelta(seconds=schedule[pogingen - 1])


def _due(abonnement_id: int, now: datetime, limit: int) -> Any:
    """The abonnement's leveringen to post now: per hoofdObject the oldest waiting one, if it is due.

    The oldest per hoofdObject as ``min(id) GROUP BY hoofd_object``: one index-only scan of
    ix_leveringen_wachtend, whatever the planner knows of the table (an anti-join of the table with itself was
    planned as a nested loop over every pair while the statistics were empty: 17 s for 10,000 waiting rows).
    """
    firsts = (select(func.min(leveringen.c.id))
              .where(leveringen.c.abonnement_id == abonnement_id, leveringen.c.status == WACHTEND)
              .group_by(leveringen.c.hoofd_object))
    return (select(leveringen.c.id, leveringen.c.uuid, leveringen.c.pogingen, notificaties.c.bericht,
                   notificaties.c.ontvangen)
            .join(notificaties, notificaties.c.id == leveringen.c.notificatie_id)
            .where(leveringen.c.id.in_(firsts), leveringen.c.volgende_poging <= now)
            .order_by(leveringen.c.id).limit(limit))


class Bezorger:
    def __init__(self, db: Database, http: httpx.AsyncClient, settings: NotificatiesSettings) -> None:
        self.db = db
        self.http = http
        self.settings = settings
        self._tasks: dict[int, asyncio.Task[None]] = {}
        # Abonnementen that got due leveringen while their task was busy: it looks once more before it ends.
        self._again: set[int] = set()
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        for task in self._tasks.values():
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    async def run(self) -> None:
        while not self._stopping:
            try:
                await self._round()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database away: try again
                log.warning("delivery round failed (%s: %s); retrying", type(exc).__name__, exc)
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.settings.delivery_poll_interval)
            except TimeoutError:
                pass
            self._wake.clear()

    async def _round(self) -> None:
        now = datetime.now(UTC)
        async with self.db.transaction() as session:
            due = set((await session.execute(
                select(leveringen.c.abonnement_id).where(leveringen.c.status == WACHTEND,
                                                         leveringen.c.volgende_poging <= now).distinct())).scalars())
        for abonnement_id in due:
            task = self._tasks.get(abonnement_id)
            if task is not None and not task.done():
                self._again.add(abonnement_id)
            else:
                self._tasks[abonnement_id] = asyncio.create_task(self._abonnement(abonnement_id),
                                                                 name=f"nrc-abonnement-{abonnement_id}")

    async def _abonnement(self, abonnement_id: int) -> None:
        """Post the abonnement's due leveringen until none is due; then the task ends (the next round starts one)."""
        try:
            while not self._stopping:
                now = datetime.now(UTC)
                async with self.db.transaction() as session:
                    target = (await session.execute(select(abonnementen.c.callback_url, abonnementen.c.auth)
                                                    .where(abonnementen.c.id == abonnement_id))).first()
                    rows = (await session.execute(_due(abonnement_id, now, self.settings.delivery_batch))).all()
                if target is None:
                    return
                if not rows:
                    if abonnement_id not in self._again:
                        return
                    self._again.discard(abonnement_id)
                    continue
                outcomes = await self._post_all(target.callback_url, target.auth, rows)
                await self._record(rows, outcomes)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("delivery to abonnement %s failed (%s: %s); the next round goes on", abonnement_id,
                        type(exc).__name__, exc)

    async def _post_all(self, url: str, auth: str, rows: Sequence[Any]) -> list[str | None]:
        limit = asyncio.Semaphore(self.settings.delivery_concurrency)

        async def post(row: Any) -> str | None:
            async with limit:
                return await self._post(url, auth, row)

        return list(await asyncio.gather(*(post(row) for row in rows)))

    async def _post(self, url: str, auth: str, row: Any) -> str | None:
        """One try; None when the subscriber took it, else why not."""
        try:
            answer = await self.http.post(url, json=row.bericht, timeout=self.settings.callback_timeout,
                                          headers={"Authorization": auth, "Idempotency-Key": row.uuid})
        except httpx.HTTPError as exc:
            return f"geen antwoord ({type(exc).__name__})"
        if 200 <= answer.status_code < 300:
            return None
        return f"antwoord {answer.status_code}"

    async def _record(self, rows: Sequence[Any], outcomes: Sequence[str | None]) -> None:
        now = datetime.now(UTC)
        delivered = [row.id for row, fout in zip(rows, outcomes, strict=True) if fout is None]
        async with self.db.transaction() as session:
            if delivered:
                await session.execute(update(leveringen).where(leveringen.c.id.in_(delivered)).values(
                    status=AFGELEVERD, afgeleverd=now, pogingen=leveringen.c.pogingen + 1, laatste_fout=None))
            for row, fout in zip(rows, outcomes, strict=True):
                if fout is None:
                    continue
                pogingen = row.pogingen + 1
                volgende = next_try(pogingen, self.settings.retry_schedule, now)
                FAILED.inc()
                if volgende is None:
                    DEAD.inc()
                    log.error("levering %s mislukt after %d tries: %s", row.uuid, pogingen, fout)
                await session.execute(update(leveringen).where(leveringen.c.id == row.id).values(
                    pogingen=pogingen, laatste_fout=fout, status=WACHTEND if volgende else MISLUKT,
                    volgende_poging=volgende or now))
        DELIVERED.inc(len(delivered))
        for row, fout in zip(rows, outcomes, strict=True):
            if fout is None:
                LATENCY.observe((now - _aware(row.ontvangen)).total_seconds())


def _aware(moment: datetime) -> datetime:
    # SQLite hands a timestamp back without its zone; the suite writes UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
