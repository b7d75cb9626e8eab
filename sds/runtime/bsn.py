"""The burgerservicenummer: its 11-proef, and how the gateway names the resident a client acts for.

Shared because several services receive BSNs (klantgegevens registers persons, intake matches aanvragen and
signalen to households) and one rule must decide what a BSN is.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from sds.runtime.auth import AuthContext

# How the gateway names the resident a client acts for (after DigiD), in AuthContext.user_id.
INWONER_PREFIX = "bsn:"

_BSN = re.compile(r"^[0-9]{9}$")
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def is_valid_bsn(value: str) -> bool:
    """Nine digits that pass the 11-proef (and not all zeros, which trivially would)."""
    if not _BSN.match(value) or value == "000000000":
        return False
    return sum(int(d) * w for d, w in zip(value, _WEIGHTS, strict=True)) % 11 == 0


def elfproef(value: str) -> bool:
    """The 11-proef of a BSN or RSIN: 9 digits, weighted sum 9..2 and -1 divisible by 11 (all zeros pass: the
    ZGW APIs accept RSIN 000000000, which VNG's test collection uses)."""
    if not _BSN.match(value):
        return False
    return sum(int(d) * w for d, w in zip(value, _WEIGHTS, strict=True)) % 11 == 0


def inwoner_bsn(ctx: AuthContext) -> str | None:
    """The BSN of the resident this client acts for, or None when it acts for no resident."""
    if not ctx.user_id.startswith(INWONER_PREFIX):
        return None
    bsn = ctx.user_id[len(INWONER_PREFIX):]
    return bsn if is_valid_bsn(bsn) else None


def _bsn(value: str) -> str:
    if not is_valid_bsn(value):
        # The reason names the rule, never the value: error bodies end up in clients' logs.
        raise PydanticCustomError("bsn", "Geen geldig burgerservicenummer: 9 cijfers die aan de 11-proef voldoen.")
    return value


Bsn = Annotated[str, Field(min_length=9, max_length=9, json_schema_extra={"pattern": "^[0-9]{9}$"}),
                AfterValidator(_bsn)]
"""A BSN field of a request body: nine digits that pass the 11-proef, refused without echoing the value."""
