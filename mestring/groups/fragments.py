"""Rows of the group pages' tables, built in Python: a Jinja call per cell of every row costs
more than the few tags each writes (see mestring/core/fragments.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import url_for

from mestring.core.fragments import link, status_tag, time_span

# An id no row has: the URL built with it once is filled in with each row's id.
_PLACEHOLDER = 2_147_483_647


def url_pattern(endpoint: str, field: str, **values: Any) -> Callable[[int], str]:
    """A row URL of ``endpoint`` for an id in ``field``, built once and filled in per row: the
    same text as ``url_for`` gives for each id, without a routing lookup per row."""
    values = {**values, field: _PLACEHOLDER}
    head, tail = url_for(endpoint, **values).split(str(_PLACEHOLDER))
    return lambda id_: f"{head}{id_}{tail}"


def session_rows(
    sessions: Iterable[Any], *, show_position: bool = False, show_status: bool = False
) -> list[list[Any]]:
    """The cells of ``domain.session_table``: number, time, a link to the session, its mode and
    its status, for sessions (or rows) with those attributes."""
    session_url = url_pattern("scheduling.session_detail", "session_id")
    rows = []
    for item in sessions:
        row: list[Any] = [item.position] if show_position else []
        row += [
            time_span(item.starts_at, item.ends_at),
            link(session_url(item.id), item.title),
            item.mode.label,
        ]
        if show_status:
            row.append(status_tag(item.status, item.status.label))
        rows.append(row)
    return rows
