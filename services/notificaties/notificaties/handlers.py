"""The bridge's event handler: the durable consumer ``notificaties-bridge`` hands it the suite's events.

It runs in the consumer's transaction, beside the inbox rows of the batch (sds.runtime.consumer), so an event
becomes its notificatie and leveringen exactly once however often JetStream delivers it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
        for event in events:
            made = notificatie_of(event)
            if made is not None:
                nieuw.append(Nieuw(kanaal=made.kanaal, bericht=made.bericht, bereik=made.bereik, bron=event.id))
        if await publiceer(session, nieuw):
            # Before the commit: the worker's next look (at the latest one poll interval on) finds them.
            self.wake()
