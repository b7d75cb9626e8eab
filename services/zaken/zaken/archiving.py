"""Archiving a zaak when it closes: ``archiefnominatie`` and ``archiefactiedatum`` from its resultaattype.

The resultaattype's ``brondatumArchiefprocedure.afleidingswijze`` says where the brondatum (the start of the
archiefactietermijn) comes from; ``archiefactiedatum`` = brondatum + ``archiefactietermijn``. As Open Zaak:

- ``afgehandeld``: the day the end status was set;
- ``termijn``: that day + the ``procestermijn``;
- ``hoofdzaak``: the einddatum of the hoofdzaak;
- ``gerelateerde_zaak``: the latest einddatum of the zaken in ``relevanteAndereZaken``;
- ``eigenschap``: the date in the zaakeigenschap named by ``datumkenmerk``;
- ``zaakobject``: the date ``datumkenmerk`` in the objectIdentificatie of the zaakobject of ``objecttype``;
- ``ingangsdatum_besluit`` / ``vervaldatum_besluit``: the latest ingangsdatum / vervaldatum of the zaak's
  besluiten (the Besluiten API beside it);
- ``ander_datumkenmerk``: set by hand, so no archiefactiedatum is derived.

A brondatum that should be derivable but is not (no such eigenschap, an open hoofdzaak, a value that is no
date) refuses the end status with ``archiefactiedatum-error``: the zaak would otherwise close without the
date its archiving depends on. Dates the client set on the zaak itself are kept.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from sds.runtime.errors import ValidatieFout
from services.zaken.besluiten.models import besluiten
from services.zaken.catalogi.models import eigenschappen
from services.zaken.common import ZAKEN_PREFIX, uuid_from_url
from services.zaken.zaken import domain
from services.zaken.zaken.context import Ctx
from services.zaken.zaken.models import zaakeigenschappen, zaakobjecten, zaken

NOT_DERIVED = ("ander_datumkenmerk",)
_BESLUIT_DATUM = {"ingangsdatum_besluit": besluiten.c.ingangsdatum, "vervaldatum_besluit": besluiten.c.vervaldatum}


def _fail(reden: str) -> ValidatieFout:
    return ValidatieFout.single("nonFieldErrors", "archiefactiedatum-error",
                                f"De archiefactiedatum kan niet bepaald worden: {reden}")


def parse_date(value: Any) -> date | None:
    """A date as a zaakeigenschap or an object holds it: ISO 8601 (date or datetime) or YYYYMMDD."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 8 and text.isdigit():
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date() if "T" in text else date.fromisoformat(text)
    except ValueError:
        return None


async def brondatum(ctx: Ctx, zaak: Any, procedure: dict[str, Any], afgehandeld: date) -> date | None:
    """The brondatum of ``zaak`` by ``procedure`` (a brondatumArchiefprocedure); None when it is not derived."""
    afleiding = procedure.get("afleidingswijze") or "afgehandeld"
    kenmerk = procedure.get("datumkenmerk") or ""
    if afleiding == "afgehandeld":
        return afgehandeld
    if afleiding in NOT_DERIVED:
        return None
    if afleiding == "termijn":
        found = domain.add_duration(afgehandeld, procedure.get("procestermijn"))
        if found is None:
            raise _fail("het resultaattype noemt geen geldige procestermijn.")
        return found
    if afleiding in _BESLUIT_DATUM:
        found = (await ctx.session.execute(select(func.max(_BESLUIT_DATUM[afleiding])).where(
            besluiten.c.zaak_id == zaak.id))).scalar()
        if found is None:
            raise _fail(f"de zaak heeft geen besluit met een {afleiding.removesuffix('_besluit')}.")
        return found  # type: ignore[no-any-return]
    if afleiding == "hoofdzaak":
        einde = None
        if zaak.hoofdzaak_id is not None:
            einde = (await ctx.session.execute(select(zaken.c.einddatum).where(
                zaken.c.id == zaak.hoofdzaak_id))).scalar()
        if einde is None:
            raise _fail("de zaak heeft geen afgesloten hoofdzaak.")
        return einde  # type: ignore[no-any-return]
    if afleiding == "gerelateerde_zaak":
        uuids = [uuid_from_url(ctx.request, r.get("url", ""), ZAKEN_PREFIX, "zaken")
                 for r in zaak.gegevens.get("relevanteAndereZaken") or []]
        einde = None
        if any(uuids):
            einde = (await ctx.session.execute(select(func.max(zaken.c.einddatum)).where(
                zaken.c.uuid.in_([u for u in uuids if u])))).scalar()
        if einde is None:
            raise _fail("geen van de gerelateerde zaken is afgesloten.")
        return einde  # type: ignore[no-any-return]
    if afleiding == "eigenschap":
        waarde = (await ctx.session.execute(select(zaakeigenschappen.c.waarde).join(
            eigenschappen, eigenschappen.c.id == zaakeigenschappen.c.eigenschap_id).where(
            zaakeigenschappen.c.zaak_id == zaak.id, eigenschappen.c.naam == kenmerk)
            .order_by(zaakeigenschappen.c.id.desc()).limit(1))).scalar()
        found = parse_date(waarde)
        if found is None:
            raise _fail(f"de zaak heeft geen eigenschap '{kenmerk}' met een datum.")
        return found
    if afleiding == "zaakobject":
        objecttype = procedure.get("objecttype") or ""
        rows = (await ctx.session.execute(select(zaakobjecten.c.gegevens).where(
            zaakobjecten.c.zaak_id == zaak.id, zaakobjecten.c.object_type == objecttype)
            .order_by(zaakobjecten.c.id))).scalars()
        for gegevens in rows:
            ident = gegevens.get("objectIdentificatie") or {}
            found = parse_date(ident.get(kenmerk) or (ident.get("overigeData") or {}).get(kenmerk))
            if found is not None:
                return found
        raise _fail(f"de zaak heeft geen zaakobject van type '{objecttype}' met een datum '{kenmerk}'.")
    raise _fail(f"onbekende afleidingswijze '{afleiding}'.")


async def on_close(ctx: Ctx, zaak: Any, type_gegevens: dict[str, Any], type_archiefnominatie: str | None,
                   einddatum: date) -> dict[str, Any]:
    """The archive fields a closing zaak gets (only those it has not set itself)."""
    changes: dict[str, Any] = {}
    if zaak.archiefnominatie is None and type_archiefnominatie:
        changes["archiefnominatie"] = type_archiefnominatie
    if zaak.archiefactiedatum is None:
        bron = await brondatum(ctx, zaak, type_gegevens.get("brondatumArchiefprocedure") or {}, einddatum)
        if bron is not None:
            changes["archiefactiedatum"] = domain.add_duration(bron, type_gegevens.get("archiefactietermijn"))
    return changes
