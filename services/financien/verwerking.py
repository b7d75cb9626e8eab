"""What financien writes in the verwerkingenlog (sds.runtime.verwerkingenlog, as klantgegevens and intake keep
it): a toewijzing names the household of its zaak, a verzoek om toewijzing its klant, a declaratie the households
of the toewijzingen its lines claim on. Every read and write of them is recorded per household or person, by
pseudonym only, with the kolom as the lawful reason, in the caller's transaction: the unit of work commits the
records before the answer leaves the service, so no answer goes out whose record a crash can lose.

A list of declaraties shows amounts per batch, no line and no client, and is not recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.auth import AuthContext
from sds.runtime.verwerkingenlog import Handeling, Verwerkingenlog
from services.financien.context import Bereik
from services.financien.models import declaratie_regels, toewijzingen


def onthouden(shown: list[Any], serialize: Callable[[Any], dict[str, Any]]) -> Callable[[Any], dict[str, Any]]:
    """``serialize`` that keeps each row it shows in ``shown``, for the records of a page."""

    def out(row: Any) -> dict[str, Any]:
        shown.append(row)
        return serialize(row)

    return out


def _log(request: Request) -> Verwerkingenlog:
    return request.app.state.verwerkingenlog  # type: ignore[no-any-return]


async def vastleggen(request: Request, session: AsyncSession, ctx: AuthContext,
                     per_klant: Iterable[tuple[str, str]], *, activiteit: str, handeling: Handeling) -> None:
    """``per_klant``: (kolom, household or person URL) per record shown or written."""
    log = _log(request)
    await log.vastleggen_elk(session, ctx, activiteit=activiteit, handeling=handeling, per_betrokkene=[
        (f"financien:{kolom}", log.pseudoniem(klant)) for kolom, klant in per_klant])


async def toewijzingen_van(request: Request, session: AsyncSession, ctx: AuthContext, rows: Iterable[Any], *,
                           activiteit: str = "toewijzing-raadplegen", handeling: Handeling = "lezen") -> None:
    await vastleggen(request, session, ctx, ((r.kolom, r.huishouden) for r in rows), activiteit=activiteit,
                     handeling=handeling)


async def declaratie(request: Request, session: AsyncSession, ctx: AuthContext, declaratie_id: int,
                     reach: Bereik) -> None:
    """A declaratie read: the households of the toewijzingen its lines in reach claim on."""
    rows = (await session.execute(
        select(toewijzingen.c.kolom, toewijzingen.c.huishouden).distinct()
        .join(declaratie_regels, declaratie_regels.c.toewijzing_id == toewijzingen.c.id)
        .where(declaratie_regels.c.declaratie_id == declaratie_id, reach.kolom_in(toewijzingen.c.kolom)))).all()
    await vastleggen(request, session, ctx, ((r.kolom, r.huishouden) for r in rows),
                     activiteit="declaratie-raadplegen", handeling="lezen")
