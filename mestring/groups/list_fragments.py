"""The rows of a group table (`domain.group_table`), written in Python: a Jinja block per row
costs more than the row's cells. Values are escaped as the templates escape them; messages are
marked safe and formatted as Jinja's new-style gettext does."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import Row

from mestring.core import localized
from mestring.core.fragments import link, status_tag
from mestring.groups.enums import GroupStatus


class GroupLine(NamedTuple):
    """What a group table shows of one group, as `queries.groups_in_scope` reads it."""

    id: int
    name: str
    term_name: str
    template_name: str
    status: GroupStatus
    starts_on: date | None
    member_count: int
    capacity: int


def group_rows(groups: Iterable[GroupLine | Row[*tuple[Any, ...]]]) -> list[list[Any]]:
    """Group (a link to it), term, course template, status, start day and pupils of places, for
    `GroupLine`s or rows of its columns."""
    # One URL built, the others filled in: url_for per row costs more than the row's cells.
    url_pattern = url_for("groups.detail", group_id=_ID_MARK)
    places = _("%(count)s of %(capacity)s")
    # A table holds few statuses and start days: each one's text is written once.
    status_tags: dict[GroupStatus, Markup] = {}
    days: dict[date | None, str] = {}
    rows = []
    # Unpacked rather than read by name: a row's attributes are slower to reach.
    for group_id, name, term_name, template_name, status, starts_on, count, capacity in groups:
        tag = status_tags.get(status)
        if tag is None:
            tag = status_tags[status] = status_tag(status, status.label)
        day = days.get(starts_on)
        if day is None:
            day = days[starts_on] = localized.day(starts_on)
        rows.append(
            [
                link(url_pattern.replace(_ID_MARK, str(group_id)), name),
                term_name,
                template_name,
                tag,
                day,
                Markup(places) % {"count": count, "capacity": capacity},  # noqa: S704 (a message)
            ]
        )
    return rows


# A stand-in id for the URL pattern: digits only, so that it is not escaped, and far beyond
# any real id.
_ID_MARK = "918273645"
