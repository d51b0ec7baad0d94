"""The calendar's statements, built once with parameters, find what the
statements built for each request found."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.groups.models import Group
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session, SessionSubstitute
from mestring.scheduling.queries import (
    calendar_sessions,
    district_filter_choices,
    sessions_led_by_id,
)
from tests import factories as f
from tests.conftest import World

START = datetime(2027, 2, 1, 0, 0, tzinfo=UTC)
END = START + timedelta(days=28)


def visible_to(user: User) -> sa.Select[Session]:
    """The statement as it was built for each request (the reference)."""
    stmt = sa.select(Session).join(Session.group)
    if user.role is Role.FACILITATOR:
        return stmt.where(sessions_led_by_id(user.id))
    if user.role is Role.COORDINATOR:
        return stmt.where(Group.district_id == user.district_id)
    return stmt.where(sa.false())


def calendar_ids_before(
    db_session: OrmSession, user: User, group_id: int | None, facilitator_id: int | None
) -> list[int]:
    stmt = visible_to(user).where(Session.starts_at >= START, Session.starts_at < END)
    if group_id is not None:
        stmt = stmt.where(Session.group_id == group_id)
    if facilitator_id is not None:
        stmt = stmt.where(sessions_led_by_id(facilitator_id))
    return list(
        db_session.scalars(
            stmt.with_only_columns(Session.id).order_by(Session.starts_at, Session.id)
        )
    )


def plan(world: World, db_session: OrmSession) -> None:
    """Sessions of the world's group, of another group in the district, of another district,
    one cancelled, one substituted, before, in and after the window."""
    other_group = f.GroupFactory(district=world.group.district)
    far_group = f.GroupFactory()
    for day in (-3, 2, 9, 16, 30):
        at = START + timedelta(days=day, hours=12)
        for group in (world.group, other_group, far_group):
            f.SessionFactory(group=group, starts_at=at, ends_at=at + timedelta(hours=1))
    f.SessionFactory(
        group=world.group,
        status=SessionStatus.CANCELLED,
        starts_at=START + timedelta(days=5),
        ends_at=START + timedelta(days=5, hours=1),
    )
    substituted = f.SessionFactory(
        group=other_group,
        starts_at=START + timedelta(days=6),
        ends_at=START + timedelta(days=6, hours=1),
    )
    replaced = f.SessionFactory(
        group=world.group,
        starts_at=START + timedelta(days=7),
        ends_at=START + timedelta(days=7, hours=1),
    )
    db_session.flush()
    db_session.add_all(
        [
            SessionSubstitute(
                session_id=substituted.id,
                replaced_id=world.facilitator_unassigned.id,
                substitute_id=world.facilitator.id,
            ),
            SessionSubstitute(
                session_id=replaced.id,
                replaced_id=world.facilitator.id,
                substitute_id=world.facilitator_unassigned.id,
            ),
        ]
    )
    db_session.flush()


@pytest.mark.parametrize("role", ["facilitator", "coordinator", "analyst"])
@pytest.mark.parametrize("by_group", [False, True])
@pytest.mark.parametrize("by_facilitator", [False, True])
def test_calendar_sessions_are_those_found_before(
    world: World, db_session: OrmSession, role: str, by_group: bool, by_facilitator: bool
) -> None:
    plan(world, db_session)
    user = world.user(role)
    assert user is not None
    group_id = world.group.id if by_group else None
    facilitator_id = world.facilitator.id if by_facilitator else None
    stmt, params = calendar_sessions(
        user, START, END, group_id=group_id, facilitator_id=facilitator_id
    )
    found = [row.id for row in db_session.execute(stmt, params)]
    assert found == calendar_ids_before(db_session, user, group_id, facilitator_id)
    if role == "coordinator" and not by_group and not by_facilitator:
        assert len(found) > 6


def test_filter_choices_are_the_groups_and_facilitators_read_before(
    world: World, db_session: OrmSession
) -> None:
    district_id = world.group.district_id
    f.GroupFactory(district=world.group.district, name="Aaa gruppe")
    f.GroupFactory(district=world.group.district, name="Aaa gruppe")
    f.GroupFactory(name="Another district's group")
    db_session.flush()
    # The statements as they were, one for each filter (the reference).
    groups_before = (
        sa.select(Group.id, Group.name)
        .where(Group.district_id == district_id)
        .order_by(Group.name, Group.id)
    )
    facilitators_before = (
        sa.select(User.id, User.name)
        .where(User.role == Role.FACILITATOR, User.district_id == district_id)
        .order_by(User.name)
    )
    groups, facilitators = district_filter_choices(db_session, district_id)
    assert groups == [tuple(row) for row in db_session.execute(groups_before)]
    assert facilitators == [tuple(row) for row in db_session.execute(facilitators_before)]
    assert len(groups) >= 3
    assert len(facilitators) >= 2
    assert district_filter_choices(db_session, None) == ([], [])
