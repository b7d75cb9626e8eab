"""The bridge's event handler: the durable consumer ``notificaties-bridge`` hands it the suite's events.

It runs in the consumer's transaction, beside the inbox rows of the batch (sds.runtime.consumer), so an event
becomes its notificatie and leveringen exactly once however often JetStream delivers it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import CloudEvent
from services.notificaties.notificaties.bridge import SUBJECTS, notificatie_of
from services.notificaties.notificaties.service import Nieuw, publiceer

__all__ = ["SUBJECTS", "Bridge"]


class Bridge:
    def __init__(self, wake: Callable[[], None]) -> None:
        self.wake = wake

    async def __call__(self, session: AsyncSession, event: CloudEvent) -> None:
        await self.handle_batch(session, [event])

    async def handle_batch(self, session: AsyncSession, events: Sequence[CloudEvent]) -> None:
        nieuw = []
        for ev in events:
            made = notificatie_of(ev)
            if made is not None:
                nieuw.append(Nieuw(kanaal=made.kanaal, bericht=made.bericht, bereik=made.bereik, bron=ev.id))
        if await publiceer(session, nieuw):
            # The worker looks once the leveringen are committed, not a poll interval later.
            sa_event.listen(session.sync_session, "after_commit", lambda _session: self.wake(), once=True)
