"""Coordinate reference systems as the ZGW APIs negotiate them (``Accept-Crs`` / ``Content-Crs``).

Where the standard marks the headers required (Zaken 1.5.1: every operation on ``/zaken`` and ``/zaken/_zoek``,
because a zaak carries a ``zaakgeometrie``), a request without ``Accept-Crs`` gets 412, one asking another CRS
than WGS84 406; a body (POST, PUT, PATCH) without ``Content-Crs`` 412, in another CRS 415. The answer says
``Content-Crs: EPSG:4326``. Geometry is WGS84 only: another CRS is refused, never converted.

Use: ``_crs: RequireCrs`` as a parameter of such a route, and ``crs_header(response)`` on its answer.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request, Response

from sds.runtime.errors import ApiError

CRS = "EPSG:4326"
_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


def _refused(header: str, value: str, status: int, code: str) -> ApiError:
    return ApiError(f"CRS '{value[:50]}' in {header} wordt niet ondersteund; gebruik {CRS}.", status=status, code=code)


async def require_crs(
    request: Request,
    accept_crs: Annotated[str | None, Header(alias="Accept-Crs", max_length=50)] = None,
    content_crs: Annotated[str | None, Header(alias="Content-Crs", max_length=50)] = None,
) -> None:
    if request.method in _WITH_BODY:
        if content_crs is None:
            raise ApiError("De 'Content-Crs' header ontbreekt.", status=412, code="precondition_failed")
        if content_crs.strip() != CRS:
            raise _refused("Content-Crs", content_crs, 415, "unsupported_media_type")
    if request.method != "DELETE":
        if accept_crs is None:
            raise ApiError("De 'Accept-Crs' header ontbreekt.", status=412, code="precondition_failed")
        if accept_crs.strip() != CRS:
            raise _refused("Accept-Crs", accept_crs, 406, "not_acceptable")


RequireCrs = Annotated[None, Depends(require_crs)]


def crs_header(response: Response) -> None:
    response.headers["Content-Crs"] = CRS
