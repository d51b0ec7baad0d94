"""Pagination of ``select()`` statements: one count query and one page query."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from mestring.db import DbSession

T = TypeVar("T")

PER_PAGE = 25


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def paginate(
    session: DbSession, stmt: sa.Select[Any], page: int, per_page: int = PER_PAGE
) -> Page[Any]:
    """Fetch one page of ``stmt``; a page number out of range gives the nearest page."""
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
    total = total or 0
    last = max(1, ceil(total / per_page))
    page = min(max(1, page), last)
    result = session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).unique()
    # One selected entity gives objects; several give rows, e.g. (group, member_count).
    items = list(result.scalars() if len(stmt.column_descriptions) == 1 else result)
    return Page(items=items, page=page, per_page=per_page, total=total)
