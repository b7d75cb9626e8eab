"""What zaken writes in the verwerkingenlog (sds.runtime.verwerkingenlog, as klantgegevens, intake and financien
keep it): a zaak or a rol is personal data where a rol names a natuurlijk persoon. Every read of such a zaak (the
detail, a page of the list or of ``_zoek``), of such a rol (the list and the detail), and every write of them, is
recorded per person by pseudonym only (of the BSN, as klantgegevens names the same person; of the betrokkene URL
where the rol has no BSN), with the zaak's kolom as the lawful reason, in the caller's transaction: the unit of
work commits the records before the answer leaves the service, so no answer goes out whose record a crash can lose.

A zaak whose rollen name no natuurlijk persoon (an organisatorische eenheid, a medewerker) is not recorded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Select, func, select

from sds.runtime.verwerkingenlog import Handeling, Verwerkingenlog
from services.zaken.zaken.context import Ctx
from services.zaken.zaken.models import rollen, zaken

NATUURLIJK_PERSOON = "natuurlijk_persoon"


def betrokkene() -> Any:
    """The column that names the person of a rol: the BSN, else the betrokkene URL (NULL for other rollen)."""
    return func.coalesce(rollen.c.bsn, rollen.c.betrokkene)


def grondslag(kolom: str | None, kolommen: str | None) -> str:
    """``zaak:<kolom>`` (an integral zaak: its kolommen), as klantgegevens names a zaak as lawful reason."""
    return f"zaak:{kolom or kolommen or '-'}"


def _log(ctx: Ctx) -> Verwerkingenlog:
    return ctx.request.app.state.verwerkingenlog  # type: ignore[no-any-return]


async def _vastleggen(ctx: Ctx, pairs: Iterable[tuple[str, str]], *, activiteit: str,
                      handeling: Handeling) -> None:
    """``pairs``: (grondslag, BSN or URL); each distinct pair once, pseudonymised."""
    log = _log(ctx)
    if not log.aan:
        return
    await log.vastleggen_elk(ctx.session, ctx.auth, activiteit=activiteit, handeling=handeling,
                             per_betrokkene=[(g, log.pseudoniem(b)) for g, b in dict.fromkeys(pairs)])


async def zaken_gelezen(ctx: Ctx, rows: Iterable[Any], children: Mapping[int, Mapping[str, Any]], *,
                        activiteit: str = "zaak-raadplegen", handeling: Handeling = "lezen") -> None:
    """Zaken shown (a detail or a page), with ``children`` as ``reading.zaak_children`` found them: the persons
    of their rollen."""
    await _vastleggen(ctx, ((grondslag(r.kolom, r.kolommen), b) for r in rows for b in children[r.id]["betrokkenen"]),
                      activiteit=activiteit, handeling=handeling)


async def rollen_gelezen(ctx: Ctx, rows: Iterable[Any], *, activiteit: str = "rol-raadplegen",
                         handeling: Handeling = "lezen") -> None:
    """Rollen shown or written (rows of ``subresources.rol_select``)."""
    await _vastleggen(ctx, ((grondslag(r.zaak_kolom, r.zaak_kolommen), r.bsn or r.betrokkene) for r in rows
                            if r.betrokkene_type == NATUURLIJK_PERSOON and (r.bsn or r.betrokkene)),
                      activiteit=activiteit, handeling=handeling)


def _personen_van_zaak(zaak_id: int) -> Select[Any]:
    return (select(zaken.c.kolom, zaken.c.kolommen, betrokkene().label("betrokkene"))
            .join(zaken, zaken.c.id == rollen.c.zaak_id)
            .where(rollen.c.zaak_id == zaak_id, rollen.c.betrokkene_type == NATUURLIJK_PERSOON,
                   betrokkene().is_not(None)))


async def zaak_verwijderd(ctx: Ctx, zaak_id: int) -> None:
    """Before a zaak and its rollen are deleted: the persons they named."""
    if not _log(ctx).aan:
        return
    rows = (await ctx.session.execute(_personen_van_zaak(zaak_id))).all()
    await _vastleggen(ctx, ((grondslag(r.kolom, r.kolommen), r.betrokkene) for r in rows),
                      activiteit="zaak-verwijderen", handeling="schrijven")
