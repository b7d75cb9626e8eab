"""What intake writes in the verwerkingenlog: per aanvraag its aanvrager (by BSN) or household, per signaal its
address, each by pseudonym only, with the aanvraag's kolommen or the signal's kind as the lawful reason."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.auth import AuthContext
from sds.runtime.verwerkingenlog import Handeling
from services.intake.context import Intake


def _aanvraag(intake: Intake, row: Any) -> list[tuple[str, str]]:
    grondslag = "aanvraag:" + ",".join(row.kolommen or [])
    bsn = (row.aanvrager or {}).get("burgerservicenummer")
    subjects = [s for s in (bsn, row.huishouden) if s]
    # An aanvraag names a household or a person; one a resident filed for themselves without either names them.
    subjects = subjects or [row.indiener]
    return [(grondslag, intake.log.pseudoniem(s)) for s in subjects]


async def aanvragen(intake: Intake, session: AsyncSession, auth: AuthContext, rows: Iterable[Any], *,
                    activiteit: str, handeling: Handeling) -> None:
    await intake.log.vastleggen_elk(session, auth, activiteit=activiteit, handeling=handeling,
                                    per_betrokkene=[p for row in rows for p in _aanvraag(intake, row)])


async def signalen(intake: Intake, session: AsyncSession, auth: AuthContext, items: Iterable[tuple[str, str]], *,
                   activiteit: str, handeling: Handeling) -> None:
    """``items``: (signaalsoort, adressleutel) per signal."""
    await intake.log.vastleggen_elk(session, auth, activiteit=activiteit, handeling=handeling, per_betrokkene=[
        (f"signaal:{soort}", intake.log.pseudoniem(f"adres:{sleutel}")) for soort, sleutel in items])
