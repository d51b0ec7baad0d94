"""The plan page's sessions read as rows and its table rows built in Python, against the ORM
sessions and the template markup they replace."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import joinedload, selectinload

from mestring.core.fragments import session_place
from mestring.groups.enums import SessionMode
from mestring.groups.models import Venue
from mestring.scheduling.conflicts import Conflict, ProposedSession
from mestring.scheduling.enums import ConflictKind, SessionStatus
from mestring.scheduling.models import Session, SessionSubstitute
from mestring.scheduling.planning import plan_rows, plan_sessions
from tests import factories as f
from tests.conftest import World


def group_plan_sessions(group_id: int) -> sa.Select[Session]:
    """The plan page's sessions loaded as objects, as the page once read them."""
    return (
        sa.select(Session)
        .where(Session.group_id == group_id)
        .options(joinedload(Session.venue), selectinload(Session.substitutes))
        .order_by(Session.starts_at, Session.position)
    )


HOSTILE = '"><script>alert(1)</script>&'

# The rows as plan.html built them before plan_rows, kept here as the reference.
TEMPLATE_ROWS = """
{%- import "_macros/tables.html" as tables -%}
{%- import "scheduling/_conflicts.html" as conflicts_ui -%}
{%- set table_rows = [] %}
{%- set no_conflicts, edit = _('None'), _('Edit') %}
{%- for session, conflicts in rows %}
{%- set title_cell %}<a class="pkt-link" href="{{ url_for('scheduling.session_detail', session_id=session.id) }}">{{ session.title }}</a>{% if session.guardians_attend %} <span class="mestring-muted">({{ _('guardians') }})</span>{% endif %}{% endset %}
{%- set conflict_cell %}{% if conflicts %}{{ conflicts_ui.conflict_list(conflicts) }}{% else %}{{ no_conflicts }}{% endif %}{% endset %}
{%- set action_cell %}{% if can_change and session.status == 'planned' %}<a class="pkt-link" href="{{ url_for('scheduling.session_edit', session_id=session.id) }}">{{ edit }}<span class="pkt-sr-only"> {{ session.title }}</span></a>{% endif %}{% endset %}
{%- set _ignored = table_rows.append([
      session.position,
      time_span(session.starts_at, session.ends_at),
      title_cell,
      session.mode.label,
      session_place(session),
      status_tag(session.status, session.status.label),
      conflict_cell,
      action_cell,
    ]) %}
{%- endfor %}{{ tables.data_table(['No.'], table_rows, 'Caption', numeric=(0,)) }}
"""  # noqa: E501
PYTHON_ROWS = """
{%- import "_macros/tables.html" as tables -%}
{{ tables.data_table(['No.'], table_rows, 'Caption', numeric=(0,)) }}
"""


def rows() -> list[tuple[Session, list[Conflict]]]:
    start = datetime(2027, 3, 3, 12, 0, tzinfo=UTC)
    venue = Venue(name="Rom 1", address=HOSTILE)
    sessions = [
        Session(
            id=session_id,
            position=position,
            title=title,
            starts_at=start + timedelta(days=7 * position),
            ends_at=start + timedelta(days=7 * position, minutes=90),
            mode=mode,
            status=status,
            venue=venue if mode is SessionMode.PHYSICAL else None,
            video_link="https://meet.example.no/a?b=1&c=2",
            guardians_attend=guardians,
        )
        for session_id, position, title, mode, status, guardians in [
            (7, 1, "Bli kjent", SessionMode.PHYSICAL, SessionStatus.PLANNED, False),
            (12, 2, HOSTILE, SessionMode.DIGITAL, SessionStatus.PLANNED, True),
            (123456, 3, "Avslutning", SessionMode.PHYSICAL, SessionStatus.HELD, True),
            # Places and statuses again and anew: each row shows its own, whether written
            # before or not.
            (13, 4, "Samme rom", SessionMode.PHYSICAL, SessionStatus.PLANNED, False),
            (14, 5, "Digitalt igjen", SessionMode.DIGITAL, SessionStatus.CANCELLED, False),
            (15, 6, "Uten rom", SessionMode.PHYSICAL, SessionStatus.CANCELLED, False),
            (16, 7, "Uten lenke", SessionMode.DIGITAL, SessionStatus.PLANNED, False),
        ]
    ]
    sessions[4].video_link = "https://meet.example.no/other"
    sessions[5].venue = None
    sessions[6].video_link = ""
    conflicts = [
        [],
        [
            Conflict(ConflictKind.ROOM_BOOKED, HOSTILE),
            Conflict(ConflictKind.PUBLIC_HOLIDAY, "1. mai er en helligdag (Arbeidernes dag)."),
        ],
        [Conflict(ConflictKind.FACILITATOR_BUSY, "50 % & mer")],
        [],
        [],
        [],
        [],
    ]
    return list(zip(sessions, conflicts, strict=True))


@pytest.mark.parametrize("locale", ["nb", "en"])
@pytest.mark.parametrize("can_change", [True, False])
def test_plan_rows_make_the_templates_markup(app: Flask, locale: str, can_change: bool) -> None:
    with app.test_request_context("/"), force_locale(locale):
        template = app.jinja_env.from_string(TEMPLATE_ROWS).render(
            rows=rows(), can_change=can_change
        )
        python = app.jinja_env.from_string(PYTHON_ROWS).render(
            table_rows=plan_rows(rows(), can_change=can_change)
        )
    assert python == template
    assert 'data-conflict="room_booked"' in python
    assert "&#34;&gt;&lt;script&gt;" in python
    assert ('href="/sessions/12/edit"' in python) is can_change
    assert 'href="/sessions/123456/edit"' not in python
    assert python.count("Rom 1") == 3
    assert "https://meet.example.no/other" in python


def test_plan_sessions_read_as_rows_what_the_sessions_say(
    world: World, db_session: OrmSession
) -> None:
    group = world.group
    room = f.VenueFactory(district=group.district, name="Grupperom 2", address=HOSTILE)
    start = world.session.starts_at
    f.SessionFactory(
        group=group, starts_at=start + timedelta(days=7), venue=room, guardians_attend=True
    )
    digital = f.SessionFactory(
        group=group,
        starts_at=start + timedelta(days=14),
        mode=SessionMode.DIGITAL,
        venue=room,
        video_link="https://meet.example.no/x",
    )
    f.SessionFactory(
        group=group, starts_at=start + timedelta(days=21), status=SessionStatus.CANCELLED
    )
    # Two facilitators of the group replaced in the digital session: two rows of it are read.
    second = f.UserFactory(
        role=world.facilitator.role, district=group.district, service=world.facilitator.service
    )
    other = f.UserFactory(
        role=world.facilitator.role, district=group.district, service=world.facilitator.service
    )
    f.AssignmentFactory(group=group, user=second)
    db_session.flush()
    db_session.add_all(
        [
            SessionSubstitute(
                session=digital,
                replaced_id=world.facilitator.id,
                substitute_id=world.facilitator_unassigned.id,
            ),
            SessionSubstitute(session=digital, replaced_id=second.id, substitute_id=other.id),
        ]
    )
    db_session.flush()
    db_session.expire_all()

    plan = plan_sessions(db_session, group)
    sessions = list(db_session.scalars(group_plan_sessions(group.id)))
    assert [p.id for p in plan] == [s.id for s in sessions]
    assert len(plan) == 4
    for row, session in zip(plan, sessions, strict=True):
        assert row.proposal == ProposedSession.of(session)
        for name in (
            "position",
            "title",
            "guardians_attend",
            "status",
            "starts_at",
            "ends_at",
            "mode",
            "video_link",
        ):
            assert getattr(row, name) == getattr(session, name), name
        assert (row.venue is None) is (session.venue is None)
        if row.venue is not None:
            assert (row.venue.name, row.venue.address) == (
                session.venue.name,
                session.venue.address,
            )
        assert session_place(row) == session_place(session)
    assert world.facilitator.id not in plan[2].proposal.facilitator_ids
    assert world.facilitator_unassigned.id in plan[2].proposal.facilitator_ids
    assert plan[2].proposal.facilitator_ids == {world.facilitator_unassigned.id, other.id}
    assert plan[3].proposal.cancelled
