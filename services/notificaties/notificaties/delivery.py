"""The delivery worker: every waiting levering posted to its abonnement's callbackUrl, nothing lost.

One dispatcher and a sender per abonnement. The dispatcher takes, in one query for all abonnementen, the due
leveringen — per (abonnement, hoofdObject) only the oldest still waiting, so the subscriber's order per
hoofdObject holds — of every abonnement that has no sender at work, and starts a sender for each. A sender posts
its abonnement's leveringen, up to ``delivery_concurrency`` at once (each of another hoofdObject), each within
``callback_timeout``; a slow or absent subscriber keeps only its own sender busy, never the dispatcher or another
abonnement's sender. The outcomes of all senders are written together, in one transaction per flush, and only
then is the abonnement free for the dispatcher again (so nothing is posted twice while its outcome is unwritten).

A 2xx is delivered. Anything else (another status, no answer, a timeout) is a failed try: the levering waits
``retry_schedule[n]`` seconds before the next, and the later leveringen of its hoofdObject wait behind it; after
the last retry it is ``mislukt`` (the dead letter), shown by ``GET /leveringen?status=mislukt`` and sent again by
``POST /leveringen/{uuid}/opnieuw``, and the hoofdObject's later leveringen go on.

A levering is marked only after its POST was answered: a process that stops in between posts it again after its
restart. A subscriber therefore sees a notificatie at least once and dedups on the ``Idempotency-Key`` header,
the levering's uuid: the same for every try of one notificatie to one abonnement.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
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


def _due(now: datetime, limit: int, busy: Sequence[int]) -> Any:
    """The leveringen to post now: per (abonnement, hoofdObject) the oldest waiting one, if it is due, of the
    abonnementen not in ``busy``; with each its abonnement's callbackUrl and auth.

    The oldest as ``min(id) GROUP BY``: one scan of ix_leveringen_wachtend (status first), whatever the planner
    knows of the table (an anti-join of the table with itself was planned as a nested loop over every pair
    while the statistics were empty: 17 s for 10,000 waiting rows).
    """
    firsts = (select(func.min(leveringen.c.id)).where(leveringen.c.status == WACHTEND)
              .group_by(leveringen.c.abonnement_id, leveringen.c.hoofd_object))
    stmt = (select(leveringen.c.id, leveringen.c.uuid, leveringen.c.pogingen, leveringen.c.abonnement_id,
                   notificaties.c.bericht, notificaties.c.ontvangen, abonnementen.c.callback_url,
                   abonnementen.c.auth)
            .join(notificaties, notificaties.c.id == leveringen.c.notificatie_id)
            .join(abonnementen, abonnementen.c.id == leveringen.c.abonnement_id)
            .where(leveringen.c.id.in_(firsts), leveringen.c.volgende_poging <= now))
    if busy:
        stmt = stmt.where(leveringen.c.abonnement_id.not_in(busy))
    return stmt.order_by(leveringen.c.id).limit(limit)


class Bezorger:
    def __init__(self, db: Database, settings: NotificatiesSettings) -> None:
        self.db = db
        self.settings = settings
        # aiohttp, not httpx: per POST httpx/httpcore took more than half of the worker's CPU (a py-spy profile
        # at 1,000 deliveries/s offered), aiohttp (a C parser, its pool a dict per host) a fraction of it. One
        # session for all abonnementen: a sender's semaphore bounds its connections in use, so a slow
        # subscriber holds only its own. Made on the first delivery, inside the running loop.
        self._http: aiohttp.ClientSession | None = None
        # One TLS context for all connections: loading the CA bundle costs some 25 ms.
        self._tls = ssl.create_default_context()
        self._senders: dict[int, asyncio.Task[None]] = {}
        self._busy: set[int] = set()  # abonnementen with a sender at work or outcomes not yet written
        self._outcomes: list[tuple[Any, str | None]] = []
        self._outcomes_of: dict[int, int] = {}  # abonnement -> senders' outcomes not yet written
        self._wake = asyncio.Event()
        self._flush = asyncio.Event()
        self._stopping = False
        self._flusher: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        tasks = [*self._senders.values(), *([self._flusher] if self._flusher else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._http is not None:
            await self._http.close()
            self._http = None

    def _session(self) -> aiohttp.ClientSession:
        if self._http is None:
            self._http = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0, ssl=self._tls),
                # no cookies carried from one subscriber's answer to the next POST; no proxy looked up in the
                # environment (aiohttp does that in a thread per request: 5% of the CPU)
                cookie_jar=aiohttp.DummyCookieJar(), trust_env=False,
                timeout=aiohttp.ClientTimeout(total=self.settings.callback_timeout))
        return self._http

    async def run(self) -> None:
        self._flusher = asyncio.create_task(self._flush_loop(), name="nrc-delivery-flush")
        while not self._stopping:
            try:
                await self._dispatch()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database away: try again
                log.warning("delivery round failed (%s: %s); retrying", type(exc).__name__, exc)
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.settings.delivery_poll_interval)
            except TimeoutError:
                pass
            self._wake.clear()

    async def _dispatch(self) -> None:
        async with self.db.transaction() as session:
            rows = (await session.execute(_due(datetime.now(UTC), self.settings.delivery_batch,
                                               sorted(self._busy)))).all()
        per_abonnement: dict[int, list[Any]] = {}
        for row in rows:
            per_abonnement.setdefault(row.abonnement_id, []).append(row)
        for abonnement_id, own in per_abonnement.items():
            self._busy.add(abonnement_id)
            self._senders[abonnement_id] = asyncio.create_task(self._send(abonnement_id, own),
                                                               name=f"nrc-abonnement-{abonnement_id}")

    async def _send(self, abonnement_id: int, rows: Sequence[Any]) -> None:
        limit = asyncio.Semaphore(self.settings.delivery_concurrency)
        client = self._session()

        async def post(row: Any) -> str | None:
            async with limit:
                return await self._post(client, row.callback_url, row.auth, row)

        try:
            outcomes = await asyncio.gather(*(post(row) for row in rows))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # not a subscriber's answer: leave the leveringen as they are, try again later
            log.warning("delivery to abonnement %s failed (%s: %s)", abonnement_id, type(exc).__name__, exc)
            self._busy.discard(abonnement_id)
            return
        finally:
            self._senders.pop(abonnement_id, None)
        self._outcomes.extend(zip(rows, outcomes, strict=True))
        self._outcomes_of[abonnement_id] = self._outcomes_of.get(abonnement_id, 0) + len(rows)
        self._flush.set()

    async def _post(self, client: aiohttp.ClientSession, url: str, auth: str, row: Any) -> str | None:
        """One try; None when the subscriber took it, else why not."""
        try:
            async with client.post(url, data=json.dumps(row.bericht).encode(), allow_redirects=False, headers={
                    "Content-Type": "application/json", "Authorization": auth, "Idempotency-Key": row.uuid}) as answer:
                await answer.read()  # read to the end: the connection goes back to the pool
                status = answer.status
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:  # ValueError: a callbackUrl aiohttp refuses
            return f"geen antwoord ({type(exc).__name__})"
        if 200 <= status < 300:
            return None
        return f"antwoord {status}"

    async def _flush_loop(self) -> None:
        while True:
            await self._flush.wait()
            self._flush.clear()
            batch, self._outcomes = self._outcomes, []
            if not batch:
                continue
            try:
                await self._record(batch)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database away: the outcomes are kept and written again
                log.warning("delivery outcomes not written (%s: %s); retrying", type(exc).__name__, exc)
                self._outcomes = batch + self._outcomes
                await asyncio.sleep(0.5)
                self._flush.set()
                continue
            for row, _ in batch:
                left = self._outcomes_of[row.abonnement_id] - 1
                if left:
                    self._outcomes_of[row.abonnement_id] = left
                else:
                    del self._outcomes_of[row.abonnement_id]
                    if row.abonnement_id not in self._senders:
                        self._busy.discard(row.abonnement_id)
            self._wake.set()  # the abonnementen written are free again: their next leveringen can go

    async def _record(self, batch: Sequence[tuple[Any, str | None]]) -> None:
        now = datetime.now(UTC)
        delivered = [row.id for row, fout in batch if fout is None]
        async with self.db.transaction() as session:
            if delivered:
                await session.execute(update(leveringen).where(leveringen.c.id.in_(delivered)).values(
                    status=AFGELEVERD, afgeleverd=now, pogingen=leveringen.c.pogingen + 1, laatste_fout=None))
            for row, fout in batch:
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
        for row, fout in batch:
            if fout is None:
                LATENCY.observe((now - _aware(row.ontvangen)).total_seconds())


def _aware(moment: datetime) -> datetime:
    # SQLite hands a timestamp back without its zone; the suite writes UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
