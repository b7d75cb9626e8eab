"""Lists as ``{count, next, previous, results}`` with ``page`` and a capped ``pageSize``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sds.runtime.errors import NotFound

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    count: int
    next: str | None
    previous: str | None
    results: list[T]


@dataclass(frozen=True)
class PageParams:
    page: int
    page_size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


async def page_params(  # async: no blocking work, so no trip through FastAPI's thread pool
    request: Request,
    page: Annotated[int, Query(ge=1, le=10_000_000, description="Een pagina binnen de gepagineerde set.")] = 1,
    page_size: Annotated[
        int | None, Query(alias="pageSize", ge=1, description="Aantal resultaten per pagina (begrensd).")
    ] = None,
) -> PageParams:
    settings = request.app.state.settings
    size = page_size or settings.page_size_default
    return PageParams(page=page, page_size=min(size, settings.page_size_max))


Pagination = Annotated[PageParams, Depends(page_params)]


def _page_url(request: Request, page: int) -> str:
    base = request.app.state.settings.public_base_url.rstrip("/")
    query = request.url.include_query_params(page=page).query
    return f"{base}{request.url.path}?{query}"


async def paginate(
    session: AsyncSession,
    statement: Select[Any],
    params: PageParams,
    request: Request,
    serialize: Callable[[Any], Any],
    count: int | None = None,
    page_query: Callable[[int, int], Select[Any]] | None = None,
) -> dict[str, Any]:
    """Run one count and one page query for ``statement``; a page past the end is 404 (as ZGW).

    ``count``: the number of rows when the caller knows it exactly without a query (a counter it keeps).
    ``page_query``: the page's query built by the caller from (limit, offset), instead of ``statement`` limited —
    for one that takes the page's keys first and joins only those.
    """
    if count is None:
        count = (await session.execute(
            select(func.count()).select_from(statement.order_by(None).subquery()))).scalar_one()
    page_stmt = (page_query(params.page_size, params.offset) if page_query is not None
                 else statement.limit(params.page_size).offset(params.offset))
    rows: Sequence[Any] = (await session.execute(page_stmt)).all()
    if params.page > 1 and not rows:
        raise NotFound("Ongeldige pagina.", code="not_found")
    return {
        "count": count,
        "next": _page_url(request, params.page + 1) if params.offset + len(rows) < count else None,
        "previous": _page_url(request, params.page - 1) if params.page > 1 else None,
        "results": [serialize(row) for row in rows],
    }
