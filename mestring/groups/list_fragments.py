"""The rows of a group table (`domain.group_table`), written in Python: a Jinja block per row
costs more than the row's cells. Values are escaped as the templates escape them; messages are
marked safe and formatted as Jinja's new-style gettext does."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from markupsafe import Markup
from sqlalchemy import Row

from mestring.core import localized
from mestring.core.fragments import link, status_tag, url_pattern
from mestring.core.translations import gettext as _
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
    group_url = url_pattern("groups.detail", "group_id")
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
                link(group_url(group_id), name),
                term_name,
                template_name,
                tag,
                day,
                Markup(places) % {"count": count, "capacity": capacity},  # noqa: S704 (a message)
            ]
        )
    return rows
