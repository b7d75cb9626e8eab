"""Rebuild the projection from the start of the stream: ``python -m services.beleidsinfo.rebuild``.

``sds beleidsinfo rebuild`` runs this in a process of its own (the CLI imports no service). In one
transaction the projection's tables and its consumer's inbox rows are emptied; then every event the
projection takes is read from the stream's first message with an ephemeral consumer and applied
through the live consumer's own inbox and handler (``EventConsumer.apply``). A running service may go
on meanwhile: whichever of the two claims an event in the inbox first has its effect, the other skips
it, so nothing counts twice. An event whose zaak is not projected yet is held and tried again after
the next batch, as the live consumer's redelivery would. The tables are analysed each time the events read
have doubled (from 5,000 on) and at the end: the projection's own look-ups and the indicator queries are
planned on the tables' size, not on the empty tables the rebuild started from.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable

from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy import column, delete, table, text

from contracts.envelope import CloudEvent
from sds.runtime.bus import Bus
from sds.runtime.consumer import EventConsumer, HandlerFailed
from sds.runtime.db import Database
from services.beleidsinfo.context import Beleidsinfo
from services.beleidsinfo.projectie import PURPOSE, SUBJECTS, TABLES, Projectie
from services.beleidsinfo.settings import BeleidsinfoSettings

Progress = Callable[[int, int], None]  # (events read so far, events in all)
_INBOX = table("inbox", column("consumer"))


class RebuildFailed(Exception):
    """Events that no retry could apply; the message names them."""


async def rebuild(settings: BeleidsinfoSettings, progress: Progress, *, batch: int = 500) -> int:
    """Replay the stream into the projection; returns the number of events read."""
    context = Beleidsinfo.from_settings(settings)
    db = Database(settings.database_url)
    bus = await Bus.connect(settings.nats_url, name=f"{settings.service}-rebuild", max_wait=10)
    try:
        durable = f"{settings.service}-{PURPOSE}"
        consumer = EventConsumer(db, bus, durable=durable, subjects=SUBJECTS, handler=Projectie(context.pseudoniem),
                                 stream=settings.stream)
        async with db.transaction() as session:
            for t in TABLES:
                await session.execute(delete(t))
            await session.execute(delete(_INBOX).where(_INBOX.c.consumer == durable))
        sub = await bus.js.pull_subscribe(SUBJECTS[0], stream=settings.stream, config=ConsumerConfig(
            ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL, filter_subjects=SUBJECTS,
            inactive_threshold=60))
        total = (await sub.consumer_info()).num_pending or 0
        read = 0
        analyse_at = _FIRST_ANALYSE
        held: list[CloudEvent] = []
        progress(0, total)
        while read < total:
            try:
                msgs = await sub.fetch(min(batch, total - read), timeout=5)
            except (NatsTimeoutError, TimeoutError):
                break
            read += len(msgs)
            held = await _apply(consumer, [*held, *(CloudEvent.from_json(m.data) for m in msgs)])
            progress(read, total)
            if read >= analyse_at:
                await _analyse(db)
                analyse_at *= 2
        held = await _apply(consumer, held)
        await sub.unsubscribe()
        await _analyse(db)
        if held:
            raise RebuildFailed(f"{len(held)} events could not be applied, e.g. {held[0].type} {held[0].id}")
        return read
    finally:
        await bus.close()
        await db.dispose()


# Every row is new: without fresh statistics the planner takes the tables for empty and scans or sorts where it
# should use an index or hash. On PostgreSQL, with the tables analysed only at the end, the projection's look-ups
# of aanvragen by key took 1.07 s in all over a replay of 100,000 events and 46 s over 300,000; analysing each time
# the events read double costs a few seconds in all.
_FIRST_ANALYSE = 5_000


async def _analyse(db: Database) -> None:
    async with db.transaction() as session:
        for t in TABLES:
            await session.execute(text(f"ANALYZE {t.name}"))


async def _apply(consumer: EventConsumer, events: list[CloudEvent]) -> list[CloudEvent]:
    """Apply ``events`` in one transaction; when one fails, one by one. Returns the events that failed."""
    if not events:
        return []
    try:
        await consumer.apply(events)
        return []
    except HandlerFailed:
        failed = []
        for event in events:
            try:
                await consumer.apply([event])
            except HandlerFailed:
                failed.append(event)
        return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.beleidsinfo.rebuild", description=__doc__)
    parser.add_argument("--database-url", help="the beleidsinfo database (default: SDS_DATABASE_URL)")
    parser.add_argument("--nats-url", help="the suite's NATS (default: SDS_NATS_URL)")
    parser.add_argument("--plain", action="store_true", help="progress as lines instead of a bar")
    args = parser.parse_args(argv)
    overrides = {k: v for k, v in (("database_url", args.database_url), ("nats_url", args.nats_url)) if v}
    settings = BeleidsinfoSettings(**overrides)
    with _progress(plain=args.plain or not sys.stderr.isatty()) as progress:
        try:
            read = asyncio.run(rebuild(settings, progress))
        except RebuildFailed as exc:
            print(f"rebuild incomplete: {exc}", file=sys.stderr)
            return 1
    print(f"beleidsinfo rebuilt from {read} events")
    return 0


class _progress:
    """A rich progress bar on a terminal; a line per tenth otherwise (a log, a test)."""

    def __init__(self, *, plain: bool) -> None:
        self.plain = plain
        self._last = -1

    def __enter__(self) -> Progress:
        if self.plain:
            return self._line
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self._bar = Progress("replaying events", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        self._bar.__enter__()
        self._task = self._bar.add_task("replay", total=None)
        return self._advance

    def __exit__(self, *exc: object) -> None:
        if not self.plain:
            self._bar.__exit__(None, None, None)

    def _advance(self, done: int, total: int) -> None:
        self._bar.update(self._task, completed=done, total=total)

    def _line(self, done: int, total: int) -> None:
        tenth = 10 * done // total if total else 10
        if tenth != self._last:
            self._last = tenth
            print(f"replayed {done}/{total} events", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
