"""Feeds' and plans' events read as rows are the events of the sessions the ORM loaded before."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import joinedload, selectinload

from mestring.groups.models import FacilitatorAssignment, Group
from mestring.scheduling.calendar_events import feed_events, group_plan_events
from mestring.scheduling.ical import SessionEvent
from mestring.scheduling.models import Session, SessionSubstitute
from tests import factories as f
from tests.conftest import World
from tests.scheduling.test_calendar_queries import START, plan, visible_to

# What the feed and the plan download loaded with each session before (the reference).
WITH_FACILITATORS = [
    joinedload(Session.group)
    .selectinload(Group.facilitators)
    .joinedload(FacilitatorAssignment.user),
    joinedload(Session.venue),
    selectinload(Session.substitutes).joinedload(SessionSubstitute.substitute),
]


def with_rooms_and_a_second_facilitator(world: World, db_session: OrmSession) -> None:
    """The sessions of ``plan``; the world's group's physical ones in a room, and a second
    facilitator assigned after the first, so that the order of names shows."""
    plan(world, db_session)
    room = f.VenueFactory(district=world.group.district, name="Rom 1", address="Veien 2")
    for session in db_session.scalars(sa.select(Session).where(Session.group == world.group)):
        session.venue = room
    db_session.add(FacilitatorAssignment(group=world.group, user=world.facilitator_unassigned))
    db_session.flush()
    db_session.expire_all()


@pytest.mark.parametrize("role", ["facilitator", "coordinator", "analyst"])
def test_feed_events_are_those_of_the_sessions_loaded_before(
    world: World, db_session: OrmSession, role: str
) -> None:
    with_rooms_and_a_second_facilitator(world, db_session)
    user = world.user(role)
    assert user is not None
    since = START + timedelta(days=1)
    found = feed_events(db_session, user, since)
    before = (
        visible_to(user)
        .where(Session.ends_at >= since)
        .options(*WITH_FACILITATORS)
        .order_by(Session.starts_at, Session.id)
    )
    assert found == [SessionEvent.of(s) for s in db_session.scalars(before).unique()]
    if role != "analyst":
        assert any(event.venue_name for event in found)
        # Someone replaced and someone substituting.
        assert any(len(event.facilitator_names) == 2 for event in found)
        assert any(len(event.facilitator_names) == 1 for event in found)


def test_plan_events_are_those_of_the_sessions_loaded_before(
    world: World, db_session: OrmSession
) -> None:
    with_rooms_and_a_second_facilitator(world, db_session)
    found = group_plan_events(db_session, world.group.id)
    before = (
        sa.select(Session)
        .where(Session.group_id == world.group.id)
        .options(*WITH_FACILITATORS)
        .order_by(Session.starts_at, Session.position)
    )
    assert found == [SessionEvent.of(s) for s in db_session.scalars(before).unique()]
    assert len(found) > 5
    assert group_plan_events(db_session, f.GroupFactory().id) == []
