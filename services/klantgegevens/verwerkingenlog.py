"""The verwerkingenlog (after Logboek Dataverwerkingen): one record per data subject per processing.

Records go into the caller's transaction: a write and its records commit together or not at all, and a read
commits its records before the data leaves the service. No sampling, no buffering.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.auth import AuthContext
from sds.runtime.bsn import INWONER_PREFIX, inwoner_bsn
from sds.runtime.tracing import trace_var
from services.klantgegevens.domain import pseudoniem
from services.klantgegevens.models import verwerkingen

Handeling = Literal["lezen", "schrijven"]


@dataclass(frozen=True)
class Verwerker:
    """Who processes: the client and its user as the log may name them (a resident by pseudonym only)."""

    client_id: str
    gebruiker: str

    @classmethod
    def van(cls, ctx: AuthContext, sleutel: bytes) -> Verwerker:
        bsn = inwoner_bsn(ctx)
        if bsn is not None:
            return cls(ctx.client_id, f"inwoner:{pseudoniem(bsn, sleutel)}")
        if ctx.user_id.startswith(INWONER_PREFIX):
            # A malformed resident claim must not put its digits in the log either.
            return cls(ctx.client_id, "inwoner:ongeldig")
        return cls(ctx.client_id, ctx.user_id[:255])


class Verwerkingenlog:
    def __init__(self, *, sleutel: bytes, aan: bool = True) -> None:
        self.sleutel = sleutel
        self.aan = aan

    def verwerker(self, ctx: AuthContext) -> Verwerker:
        return Verwerker.van(ctx, self.sleutel)

    async def vastleggen(
        self,
        session: AsyncSession,
        ctx: AuthContext,
        *,
        activiteit: str,
        handeling: Handeling,
        grondslag: str,
        betrokkenen: Iterable[str],
    ) -> None:
        """One record per pseudonymised data subject in ``betrokkenen`` (duplicates once)."""
        if not self.aan:
            return
        subjects = list(dict.fromkeys(betrokkenen))
        if not subjects:
            return
        who = self.verwerker(ctx)
        trace = trace_var.get()
        now = datetime.now(UTC)
        # One multi-row INSERT: a single round trip, where executemany would prepare and send per row.
        await session.execute(insert(verwerkingen).values([
            {"tijdstip": now, "client_id": who.client_id, "gebruiker": who.gebruiker,
             "verwerkingsactiviteit": activiteit, "handeling": handeling, "grondslag": grondslag,
             "betrokkene": subject, "trace_id": trace.trace_id if trace else None}
            for subject in subjects
        ]))
