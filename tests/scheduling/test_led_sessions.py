"""The sessions a facilitator leads, as ``sessions_led_by_id`` finds them, are those their
assignments and substitutions say, in any window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from mestring.accounts.models import User
from mestring.groups.models import FacilitatorAssignment
from mestring.scheduling.models import Session, SessionSubstitute
from mestring.scheduling.queries import calendar_sessions, sessions_led_by_id
from tests import factories as f
from tests.conftest import World
from tests.scheduling.conftest import new_facilitator

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def led_by(db_session: OrmSession, user: User) -> set[int]:
    """The reference, worked out in Python from every assignment and substitution."""
    groups = set(
        db_session.scalars(
            sa.select(FacilitatorAssignment.group_id).where(
                FacilitatorAssignment.user_id == user.id
            )
        )
    )
    substitutes = db_session.scalars(sa.select(SessionSubstitute)).all()
    replaced = {s.session_id for s in substitutes if s.replaced_id == user.id}
    substituting = {s.session_id for s in substitutes if s.substitute_id == user.id}
    return {
        session.id
        for session in db_session.scalars(sa.select(Session))
        if (session.group_id in groups and session.id not in replaced) or session.id in substituting
    }


def at(days: int) -> dict[str, datetime]:
    starts_at = NOW + timedelta(days=days)
    return {"starts_at": starts_at, "ends_at": starts_at + timedelta(hours=1)}


def substitute(session: Session, replaced: User, substitute: User) -> SessionSubstitute:
    return SessionSubstitute(
        session_id=session.id, replaced_id=replaced.id, substitute_id=substitute.id
    )


@pytest.fixture
def sessions(world: World, db_session: OrmSession) -> None:
    """Sessions of the facilitator's group and of two others, before and after ``NOW``: one
    where they are replaced, one where they substitute in a group that is not theirs, and one
    where they are replaced by someone and substitute for someone else."""
    other = world.facilitator_unassigned
    third = new_facilitator(world)
    other_group = f.GroupFactory(district=world.group.district)
    far_group = f.GroupFactory()
    f.AssignmentFactory(group=other_group, user=other)
    made = {
        (group.id, days): f.SessionFactory(group=group, **at(days))
        for group in (world.group, other_group, far_group)
        for days in (-20, -3, 2, 9)
    }
    db_session.flush()
    db_session.add_all(
        [
            substitute(made[world.group.id, -3], world.facilitator, other),
            substitute(made[world.group.id, 9], world.facilitator, other),
            substitute(made[world.group.id, 9], third, world.facilitator),
            substitute(made[other_group.id, 2], other, world.facilitator),
            substitute(made[other_group.id, -20], other, world.facilitator),
        ]
    )
    db_session.flush()


@pytest.mark.usefixtures("sessions")
@pytest.mark.parametrize("window", ["all", "up to now", "from now", "a month"])
@pytest.mark.parametrize("who", ["facilitator", "facilitator_unassigned"])
def test_the_sessions_led_are_those_assignments_and_substitutions_say(
    world: World, db_session: OrmSession, window: str, who: str
) -> None:
    user = getattr(world, who)
    conditions = {
        "all": [],
        "up to now": [Session.starts_at <= NOW],
        "from now": [Session.starts_at >= NOW],
        "a month": [
            Session.starts_at >= NOW - timedelta(days=14),
            Session.starts_at < NOW + timedelta(days=14),
        ],
    }[window]
    user_id = sa.bindparam("user_id", user.id, type_=sa.Integer)
    found = db_session.scalars(
        sa.select(Session.id).where(sessions_led_by_id(user_id), *conditions)
    ).all()
    expected = {
        session.id
        for session in db_session.scalars(sa.select(Session).where(*conditions))
        if session.id in led_by(db_session, user)
    }
    assert sorted(found) == sorted(expected)
    assert expected


@pytest.mark.usefixtures("sessions")
def test_the_calendar_shows_the_same_sessions_led(world: World, db_session: OrmSession) -> None:
    start, end = NOW - timedelta(days=30), NOW + timedelta(days=30)
    stmt, params = calendar_sessions(world.facilitator, start, end)
    found = {row.id for row in db_session.execute(stmt, params)}
    assert found == led_by(db_session, world.facilitator)
