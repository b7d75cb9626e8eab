"""Request bodies of objectinformatieobjecten, read as the reference does (readOnly and unknown fields ignored)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sds.runtime.body import ZgwBody


class ObjectInformatieObjectIn(ZgwBody):
    informatieobject: str = Field(min_length=1, max_length=1000)
    object: str = Field(min_length=1, max_length=1000)
    # ``verzoek`` is the standard's too; the suite has no Verzoeken API, so such an object is a ``bad-url``.
    object_type: Literal["besluit", "zaak", "verzoek"]
