"""The facilitator's day read as plain rows (``day_details``) and written in Python
(``also_leading``, ``pupils_needs``) gives what the start page wrote from whole entities."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import defaultload, joinedload, selectinload

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.attendance.fragments import also_leading, pupils_needs
from mestring.attendance.queries import (
    NEXT_SESSIONS_SHOWN,
    day_details,
    next_sessions,
    sessions_missing_attendance,
)
from mestring.core.time import now_utc
from mestring.demo import load_demo
from mestring.groups.models import FacilitatorAssignment, Group, GroupMembership
from mestring.referrals.models import Pupil
from mestring.scheduling.models import Session, SessionSubstitute
from mestring.scheduling.queries import sessions_led_by, upcoming_sessions

# The loader options and the template code the start page had, kept as the reference.
OLD_OPTIONS = (
    defaultload(Session.group)
    .selectinload(Group.facilitators)
    .joinedload(FacilitatorAssignment.user)
    .joinedload(User.service),
    defaultload(Session.group).selectinload(Group.memberships).joinedload(GroupMembership.referral),
    defaultload(Session.group)
    .selectinload(Group.memberships)
    .joinedload(GroupMembership.pupil)
    .selectinload(Pupil.guardians),
    joinedload(Session.venue),
    selectinload(Session.substitutes).joinedload(SessionSubstitute.substitute),
)
OLD_TEMPLATE = """
{%- import "attendance/_roster.html" as roster -%}
{% macro others(item, user_id) -%}
  {%- set replaced_ids = item.substitutes | map(attribute='replaced_id') | list %}
  {%- set others = [] %}
  {%- for assignment in item.group.facilitators if assignment.user_id != user_id and assignment.user_id not in replaced_ids %}
  {%- set _ignored = others.append(assignment.user.name ~ (' (' ~ assignment.user.service.kind.label ~ ')' if assignment.user.service else '')) %}
  {%- endfor %}
  {%- for substitute in item.substitutes if substitute.substitute_id != user_id %}
  {%- set _ignored = others.append(substitute.substitute.name ~ ' (' ~ _('substitute') ~ ')') %}
  {%- endfor %}
  {{- others | join(', ') -}}
{%- endmacro %}
{% macro needs(item) -%}
    {%- set needs_items = [] %}
    {%- for membership in item.group.memberships if membership.referral.status in ('placed', 'completed') %}
    {%- set needs = roster.practical_needs(membership.referral) | trim %}
    {%- set interpreter = membership.pupil.guardians | selectattr('interpreter_needed') | list %}
    {%- if needs or interpreter %}
    {%- set entry %}<strong>{{ membership.pupil.full_name }}:</strong>{% if interpreter %} <span class="pkt-tag pkt-tag--small pkt-tag--yellow">{{ _('Interpreter') }}</span>{% endif %}{{ needs }}{% endset %}
    {%- set _ignored = needs_items.append(entry) %}
    {%- endif %}
    {%- endfor %}
    {%- if needs_items %}<ul class="mestring-plain-list">{% for entry in needs_items %}<li>{{ entry }}</li>{% endfor %}</ul>{% else %}{{ _('No practical needs recorded.') }}{% endif %}
{%- endmacro %}
"""  # noqa: E501


@pytest.fixture
def facilitators(db_session: OrmSession) -> list[User]:
    """The demo's facilitators, one of whose next sessions has a substitute for a co-leader."""
    now = now_utc()
    load_demo(db_session, now=now)
    users = list(db_session.scalars(sa.select(User).where(User.role == Role.FACILITATOR)))
    session = next(s for u in users for s in next_sessions(db_session, u, now))
    leaders = [a.user_id for a in session.group.facilitators]
    outsider = next(u for u in users if u.id not in leaders)
    session.substitutes.append(
        SessionSubstitute(replaced_id=leaders[-1], substitute_id=outsider.id)
    )
    db_session.flush()
    db_session.expire_all()
    return users


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_the_day_is_what_the_entities_gave(
    app: Flask, db_session: OrmSession, facilitators: list[User], locale: str
) -> None:
    now = now_utc()
    shown = 0
    with app.test_request_context(), force_locale(locale):
        macros = app.jinja_env.from_string(OLD_TEMPLATE).module
        for user in facilitators:
            old = upcoming_sessions(user, now, NEXT_SESSIONS_SHOWN).options(*OLD_OPTIONS)
            sessions = list(db_session.scalars(old).unique())
            assert next_sessions(db_session, user, now) == sessions
            details = day_details(db_session, sessions)
            for session in sessions:
                others = also_leading(
                    details.leaders[session.group_id], details.substitutes[session.id], user.id
                )
                assert escape(others) == macros.others(session, user.id)
                needs = pupils_needs(details.members[session.group_id])
                assert needs == macros.needs(session)
                shown += bool(others) + (needs.startswith("<ul"))
    assert shown, "the demo gives co-leaders and needs to compare"


def test_sessions_missing_attendance_are_the_led_ones_without_marks(
    db_session: OrmSession, facilitators: list[User]
) -> None:
    now = now_utc()
    for user in facilitators:
        missing = sessions_missing_attendance(db_session, user, now, 10)
        led = set(db_session.scalars(sa.select(Session.id).where(sessions_led_by(user))))
        assert {session.id for session in missing} <= led
        assert all(session.starts_at <= now and not session.attendance for session in missing)
        assert [s.starts_at for s in missing] == sorted(s.starts_at for s in missing)


def test_no_sessions_need_no_queries(db_session: OrmSession) -> None:
    details = day_details(db_session, [])
    assert not details.leaders and not details.members and not details.substitutes


def test_the_day_details_take_two_statements_however_many_sessions(
    db_session: OrmSession, facilitators: list[User], count_queries: Any
) -> None:
    """The leaders and substitutes come in one statement, the members' needs in another."""
    now = now_utc()
    for user in facilitators:
        sessions = next_sessions(db_session, user, now)
        if not sessions:
            continue
        with count_queries() as queries:
            day_details(db_session, sessions)
        assert len(queries) == 2
