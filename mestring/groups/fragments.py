"""Rows of the group pages' tables, built in Python: a Jinja call per cell of every row costs
more than the few tags each writes (see mestring/core/fragments.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from mestring.core.fragments import link, status_tag, time_span, url_pattern
from mestring.core.time import age_on
from mestring.core.translations import gettext as _
from mestring.groups.queries import Member


def session_rows(
    sessions: Iterable[Any], *, show_position: bool = False, show_status: bool = False
) -> list[list[Any]]:
    """The cells of ``domain.session_table``: number, time, a link to the session, its mode and
    its status, for sessions (or rows) with those attributes."""
    session_url = url_pattern("scheduling.session_detail", "session_id")
    # A plan has a few modes and statuses over many sessions: each label and tag made once.
    mode_labels: dict[Any, str] = {}
    status_tags: dict[Any, Markup] = {}
    rows = []
    for item in sessions:
        row: list[Any] = [item.position] if show_position else []
        mode = item.mode
        if mode not in mode_labels:
            mode_labels[mode] = mode.label
        row += [
            time_span(item.starts_at, item.ends_at),
            link(session_url(item.id), item.title),
            mode_labels[mode],
        ]
        if show_status:
            status = item.status
            if status not in status_tags:
                status_tags[status] = status_tag(status, status.label)
            row.append(status_tags[status])
        rows.append(row)
    return rows


def member_rows(
    members: Iterable[Member],
    *,
    start_day: date,
    guardian_contact: Callable[[Iterable[Any]], Markup],
    practical_needs: Callable[[Any], Markup],
    shared_worry: Callable[[Any], Markup],
    remove_url: Callable[[int], str] | None = None,
) -> list[list[Any]]:
    """The cells of the group page's pupil table for its active members: name, age at the
    start, school, guardians, practical needs (with the shared worry) and digital access, and a
    link to take the pupil out when ``remove_url`` is given. The guardian, needs and worry
    cells are written by attendance's functions, passed in by the page: groups come before
    attendance (see STYLE.md)."""
    pupil_url = url_pattern("pupils.detail", "pupil_id")
    # Translated once, not for every row; marked safe as Jinja's gettext marks a message.
    yes, no = Markup(_("Yes")), Markup(_("No"))  # noqa: S704 (messages)
    take_out = _("Take out")
    rows = []
    for member in members:
        if not member.active:
            continue
        referral = member.referral
        needs = practical_needs(referral) + shared_worry(referral)
        row: list[Any] = [
            link(pupil_url(member.pupil_id), member.name),
            age_on(member.birth_date, start_day),
            member.school_name,
            guardian_contact(member.guardians).strip() or None,
            needs.strip() or None,
            yes if referral.digital_access else no,
        ]
        if remove_url is not None:
            row.append(
                Markup(  # noqa: S704 (the name and URL escaped, the message as Jinja's)
                    f'<a class="pkt-link" href="{escape(remove_url(member.membership_id))}">'
                    f'{take_out}<span class="pkt-sr-only"> {escape(member.name)}</span></a>'
                )
            )
        rows.append(row)
    return rows


def facilitator_rows(
    assignments: Iterable[Any], *, profile_url: Callable[[int], str] | None = None
) -> list[list[Any]]:
    """The cells of the group page's facilitator table: name (a link to the profile when
    ``profile_url`` is given), service and role in the group."""
    rows = []
    for assignment in assignments:
        name = assignment.user_name
        if profile_url:
            name = link(profile_url(assignment.user_id), name)
        service = assignment.service_kind.label if assignment.service_kind else None
        rows.append([name, service, assignment.role.label])
    return rows
