"""What the matrix found and the suite does not yet do as its profile says: each a pattern of the differences it
explains and why. Only differences where an applicatie got *less* than the oracle allows may stand here (a 403
where 200 is due, an empty list where objects are due); a leak never does. The test fails on any difference no
finding explains, and on a finding that no longer occurs (so a fix removes it here, and from docs/security.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ZAAK_ROWS = "(zaken|statussen|rollen|resultaten|zaakobjecten|zaakeigenschappen|zaakbesluiten|audittrail|besluiten)"
_TE_STRENG = r"(answered 403, the oracle says 200|got \[\] it may not see, missed)"


@dataclass(frozen=True)
class Bevinding:
    archetypen: tuple[str, ...]
    patroon: str
    waarom: str

    def verklaart(self, archetype: str, fout: str) -> bool:
        return archetype in self.archetypen and re.search(self.patroon, fout) is not None


BEVINDINGEN = (
    Bevinding(("totaal-integraal", "integraal-in-tweede-instantie"),
              rf"· (kolom|cluster):\S+ · {_ZAAK_ROWS} [^:]*: .*{_TE_STRENG}",
              "The integral zaak (zaaktype INT-PLAN, of a catalogus without a kolom) lies outside every kolom and "
              "cluster grant: zaken narrows a kolom grant by the catalogus of the zaaktype and does not apply "
              "zicht.integraal `geheel`, so a team with a part in the integral household does not reach its "
              "zaak, its parts and its besluiten (too strict, not a leak)."),
    Bevinding(("integraal-in-tweede-instantie",),
              rf"· (kolom|cluster):\S+ · aanvragen zoeken per kolom: {_TE_STRENG}",
              "A search of aanvragen by kolom leaves out an integral aanvraag the team sees whole (zicht.integraal "
              "`geheel`) when the kolom searched is not its own (too strict, not a leak)."),
)


def verdeel(archetype: str, fouten: list[str]) -> tuple[list[str], dict[Bevinding, int]]:
    """The differences no finding explains, and how many each finding of this archetype explains."""
    open_: list[str] = []
    telling = {b: 0 for b in BEVINDINGEN if archetype in b.archetypen}
    for fout in fouten:
        for b in telling:
            if b.verklaart(archetype, fout):
                telling[b] += 1
                break
        else:
            open_.append(fout)
    return open_, telling
