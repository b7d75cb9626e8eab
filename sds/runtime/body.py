"""Request bodies of the ZGW APIs, read the way the ZGW reference implementations read them.

A body is validated against the fields the standard lets a client write. What the OpenAPI marks ``readOnly``
(``url``, ``concept``, a zaaktype's ``statustypen``, ...) is accepted and ignored, as is a field the standard does
not know (VNG's own test collection sends some): a client that reads a resource and sends it back, or sends a
field of an older version, is not refused for it. Errors of the fields that are there keep the standard's codes
(``sds.runtime.errors``).

A service's own, non-ZGW APIs keep refusing unknown fields (``extra="forbid"``): there a typo is a 400.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class ZgwBody(BaseModel):
    """Base of a ZGW request body: camelCase names, readOnly and unknown fields ignored."""

    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True,
                              extra="ignore")

