"""The Referentielijsten (Selectielijst) API the catalogue points into, and the rules of a resultaattype that
need it (Catalogi 1.3.1, as Open Zaak applies them).

- ``selectielijstProcestype`` of a zaaktype names a ``procestypen`` resource, ``selectielijstklasse`` of a
  resultaattype a ``resultaten`` resource, ``resultaattypeomschrijving`` a ``resultaattypeomschrijvingen``
  resource, each of the configured API (``bad-url`` when it is not there, ``invalid-resource`` when the answer is
  not such a resource);
- a resultaattype's ``omschrijvingGeneriek`` is the ``omschrijving`` of its resultaattypeomschrijving;
- its selectielijstklasse is of its zaaktype's procestype (``procestype-mismatch``);
- the selectielijstklasse's ``procestermijn`` decides the afleidingswijze: ``nihil`` goes with ``afgehandeld``
  and only with it, ``ingeschatte_bestaansduur_procesobject`` with ``termijn`` and only with it
  (``invalid-afleidingswijze-for-procestermijn``);
- without an archiefnominatie or archiefactietermijn of its own, a resultaattype takes the selectielijstklasse's
  ``waardering`` and ``bewaartermijn``.

Without a configured API (``SDS_REFERENTIELIJSTEN_API_URL``) none of this can be looked up: the fields are
checked as URLs only and ``omschrijvingGeneriek`` stays empty. The rules of ``brondatumArchiefprocedure`` by
itself (which fields each afleidingswijze needs) hold either way.
"""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import Request

from sds.runtime.errors import ValidatieFout

# afleidingswijze -> (fields it needs, fields that must stay empty) of brondatumArchiefprocedure
_BRONDATUM_FIELDS = ("datumkenmerk", "objecttype", "registratie", "procestermijn")
_BRONDATUM_RULES: dict[str, tuple[set[str], set[str]]] = {
    "afgehandeld": (set(), set(_BRONDATUM_FIELDS)),
    "ander_datumkenmerk": ({"datumkenmerk", "objecttype", "registratie"}, {"procestermijn"}),
    "eigenschap": ({"datumkenmerk"}, {"objecttype", "registratie", "procestermijn"}),
    "gerelateerde_zaak": (set(), set(_BRONDATUM_FIELDS)),
    "hoofdzaak": (set(), set(_BRONDATUM_FIELDS)),
    "ingangsdatum_besluit": (set(), set(_BRONDATUM_FIELDS)),
    "termijn": ({"procestermijn"}, {"datumkenmerk", "objecttype", "registratie"}),
    "vervaldatum_besluit": (set(), set(_BRONDATUM_FIELDS)),
    "zaakobject": ({"datumkenmerk", "objecttype"}, {"registratie", "procestermijn"}),
}


def check_brondatum(brondatum: dict[str, Any] | None) -> None:
    """Which fields of ``brondatumArchiefprocedure`` its afleidingswijze needs and which must stay empty."""
    if not brondatum:
        return
    needed, empty = _BRONDATUM_RULES[brondatum["afleidingswijze"]]
    problems = []
    for field in sorted(needed):
        if not brondatum.get(field):
            problems.append({"name": f"brondatumArchiefprocedure.{field}", "code": "required",
                             "reason": f"Bij afleidingswijze '{brondatum['afleidingswijze']}' is {field} verplicht."})
    for field in sorted(empty):
        if brondatum.get(field):
            problems.append({"name": f"brondatumArchiefprocedure.{field}", "code": "must-be-empty",
                             "reason": f"Bij afleidingswijze '{brondatum['afleidingswijze']}' blijft {field} leeg."})
    if problems:
        raise ValidatieFout(problems)


def configured(request: Request) -> str | None:
    base = request.app.state.settings.referentielijsten_api_url
    return base.rstrip("/") if base else None


async def fetch(request: Request, url: str, collection: str, field: str) -> dict[str, Any] | None:
    """The resource ``url`` names in ``collection`` of the configured API; None when none is configured."""
    base = configured(request)
    if base is None:
        return None
    if not url.startswith(f"{base}/{collection}/"):
        raise ValidatieFout.single(field, "bad-url", f"De URL is geen {collection}-resource van de Referentielijsten "
                                   "API van deze gemeente.")
    try:
        async with httpx.AsyncClient(timeout=request.app.state.settings.referentielijsten_timeout) as client:
            response = await client.get(url, headers={"Accept": "application/json"})
    except httpx.HTTPError:
        raise ValidatieFout.single(field, "bad-url", "De Referentielijsten API is niet bereikbaar.") from None
    if response.status_code != 200:
        raise ValidatieFout.single(field, "bad-url", f"De URL gaf status {response.status_code}.")
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("url") != url:
        raise ValidatieFout.single(field, "invalid-resource", f"De URL wijst geen {collection}-resource aan.")
    return data


async def check_procestype(request: Request, url: str) -> None:
    if url:
        await fetch(request, url, "procestypen", "selectielijstProcestype")


async def resultaattype_afleidingen(request: Request, gegevens: dict[str, Any], procestype: str) -> dict[str, Any]:
    """What a resultaattype takes from the Referentielijsten API (``gegevens``: its body, camelCase); checks the
    rules that need it. Returns the fields to store beside the body."""
    omschrijving = await fetch(request, gegevens["resultaattypeomschrijving"], "resultaattypeomschrijvingen",
                               "resultaattypeomschrijving")
    klasse = await fetch(request, gegevens["selectielijstklasse"], "resultaten", "selectielijstklasse")
    derived: dict[str, Any] = {"omschrijvingGeneriek": str(omschrijving.get("omschrijving", "")) if omschrijving
                               else ""}
    if klasse is None:
        return derived
    if procestype and klasse.get("procesType") != procestype:
        raise ValidatieFout.single("selectielijstklasse", "procestype-mismatch",
                                   "De selectielijstklasse hoort niet bij het selectielijstProcestype van het "
                                   "zaaktype.")
    afleidingswijze = (gegevens.get("brondatumArchiefprocedure") or {}).get("afleidingswijze")
    procestermijn = klasse.get("procestermijn")
    for termijn, wijze in (("nihil", "afgehandeld"), ("ingeschatte_bestaansduur_procesobject", "termijn")):
        if afleidingswijze is not None and (procestermijn == termijn) != (afleidingswijze == wijze):
            raise ValidatieFout.single("brondatumArchiefprocedure.afleidingswijze",
                                       "invalid-afleidingswijze-for-procestermijn",
                                       f"Bij procestermijn '{procestermijn}' van de selectielijstklasse past "
                                       f"afleidingswijze '{afleidingswijze}' niet.")
    if gegevens.get("archiefnominatie") is None and klasse.get("waardering") in ("blijvend_bewaren", "vernietigen"):
        derived["archiefnominatie"] = klasse["waardering"]
    if gegevens.get("archiefactietermijn") is None and klasse.get("bewaartermijn"):
        derived["archiefactietermijn"] = klasse["bewaartermijn"]
    return derived
