"""Substitutes: conflicts checked as for any change, the history kept, and the substitute's feed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy.orm import Session as OrmSession

from mestring.core.errors import DomainError, StaleEdit
from mestring.scheduling.conflicts import SchedulingConflict, find_conflicts
from mestring.scheduling.enums import ConflictKind, SessionStatus, UnavailabilityReason
from mestring.scheduling.models import Unavailability
from mestring.scheduling.services import new_feed_token
from mestring.scheduling.substitutes import remove_substitute, set_substitute
from tests import factories as f
from tests.conftest import World, sign_in
from tests.scheduling.conftest import new_facilitator

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def substitute(db: OrmSession, world: World, **kwargs: object):
    options = {
        "actor": world.coordinator,
        "session": world.session,
        "version": world.session.version_id,
        "replaced": world.facilitator,
        "substitute": world.facilitator_unassigned,
        "accept_conflicts": False,
        "now": NOW,
        **kwargs,
    }
    return set_substitute(db, **options)  # type: ignore[arg-type]


def test_the_substitute_leads_the_session_and_the_change_is_kept(
    world: World, db_session: OrmSession
) -> None:
    version = world.session.version_id
    substitute(db_session, world)
    assert [(s.replaced_id, s.substitute_id) for s in world.session.substitutes] == [
        (world.facilitator.id, world.facilitator_unassigned.id)
    ]
    assert world.session.version_id == version + 1  # feeds send an update
    (change,) = world.session.changes
    assert world.facilitator_unassigned.name in change.summary
    assert change.actor_id == world.coordinator.id


def test_a_busy_substitute_is_a_conflict_until_accepted(
    world: World, db_session: OrmSession
) -> None:
    elsewhere = f.GroupFactory(district=world.group.district, name="Gruppe Skøyen")
    f.AssignmentFactory(group=elsewhere, user=world.facilitator_unassigned)
    f.SessionFactory(group=elsewhere, starts_at=world.session.starts_at + timedelta(minutes=45))
    with pytest.raises(SchedulingConflict) as raised:
        substitute(db_session, world)
    assert [c.kind for c in raised.value.conflicts] == [ConflictKind.FACILITATOR_BUSY]
    assert "Gruppe Skøyen" in raised.value.conflicts[0].message
    assert world.session.substitutes == []
    substitute(db_session, world, accept_conflicts=True)
    assert world.session.changes[-1].changes["accepted_conflicts"]
    # The session now shows the conflict like any other.
    assert [c.kind for c in find_conflicts(db_session, world.session)] == [
        ConflictKind.FACILITATOR_BUSY
    ]


def test_an_unavailable_substitute_is_a_conflict(world: World, db_session: OrmSession) -> None:
    db_session.add(
        Unavailability(
            user=world.facilitator_unassigned,
            starts_on=date(2027, 2, 1),
            ends_on=date(2027, 2, 5),
            reason=UnavailabilityReason.HOLIDAY,
        )
    )
    db_session.flush()
    with pytest.raises(SchedulingConflict) as raised:
        substitute(db_session, world)
    assert [c.kind for c in raised.value.conflicts] == [ConflictKind.FACILITATOR_UNAVAILABLE]


def test_replacing_an_unavailable_facilitator_removes_the_conflict(
    world: World, db_session: OrmSession
) -> None:
    db_session.add(
        Unavailability(
            user=world.facilitator,
            starts_on=date(2027, 2, 2),
            ends_on=date(2027, 2, 2),
            reason=UnavailabilityReason.SICK,
        )
    )
    db_session.flush()
    assert find_conflicts(db_session, world.session)
    substitute(db_session, world)
    assert find_conflicts(db_session, world.session) == []


def test_the_rules_of_who_can_stand_in(world: World, db_session: OrmSession) -> None:
    other_district = f.UserFactory(
        role="facilitator",
        district=world.coordinator_other.district,
        service=f.ServiceFactory(district=world.coordinator_other.district),
    )
    with pytest.raises(DomainError):
        substitute(db_session, world, actor=world.facilitator)
    with pytest.raises(DomainError):
        substitute(db_session, world, substitute=other_district)
    with pytest.raises(DomainError):
        substitute(
            db_session, world, replaced=world.facilitator_unassigned, substitute=world.facilitator
        )
    with pytest.raises(StaleEdit):
        substitute(db_session, world, version=world.session.version_id - 1)
    world.session.status = SessionStatus.CANCELLED
    with pytest.raises(DomainError):
        substitute(db_session, world)


def test_removing_the_substitute(world: World, db_session: OrmSession) -> None:
    row = substitute(db_session, world)
    remove_substitute(
        db_session,
        actor=world.coordinator,
        session=world.session,
        version=world.session.version_id,
        row=row,
        now=NOW,
    )
    assert world.session.substitutes == []
    assert len(world.session.changes) == 2


def feed_uids(client: FlaskClient, token: str) -> dict[str, str]:
    calendar = Calendar.from_ical(client.get(f"/calendar/feed/{token}.ics").data)
    return {str(e["UID"]): str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT")}


def test_the_substitute_sees_the_session_in_their_feed_and_calendar(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    stand_in = new_facilitator(world, "Vera Vikar")
    substitute(db_session, world, substitute=stand_in)
    their_token = new_feed_token(db_session, user=stand_in)
    replaced_token = new_feed_token(db_session, user=world.facilitator)
    db_session.commit()
    uid = f"session-{world.session.id}@mestring.oslo.kommune.no"
    theirs = feed_uids(client, their_token)
    assert uid in theirs and "Vera Vikar" in theirs[uid]
    assert world.facilitator.name not in theirs[uid]
    assert uid not in feed_uids(client, replaced_token)
    sign_in(client, stand_in)
    week = client.get("/calendar/week?week=2027-W05").get_data(as_text=True)
    assert f'href="/sessions/{world.session.id}"' in week
    assert client.get(f"/sessions/{world.session.id}").status_code == 200


def test_coordinator_sets_a_substitute_on_the_session_page(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    elsewhere = f.GroupFactory(district=world.group.district)
    f.AssignmentFactory(group=elsewhere, user=world.facilitator_unassigned)
    f.SessionFactory(group=elsewhere, starts_at=world.session.starts_at)
    db_session.commit()
    sign_in(client, world.coordinator)
    url = f"/sessions/{world.session.id}"
    page = client.get(url).get_data(as_text=True)
    assert f'action="{url}/substitutes"' in page
    data = {
        "version": str(world.session.version_id),
        "replaced": str(world.facilitator.id),
        "substitute": str(world.facilitator_unassigned.id),
    }
    asked = client.post(f"{url}/substitutes", data=data)
    assert asked.status_code == 409
    html = asked.get_data(as_text=True)
    assert 'data-conflict="facilitator_busy"' in html and 'name="accept_conflicts"' in html
    assert world.session.substitutes == []
    saved = client.post(f"{url}/substitutes", data={**data, "accept_conflicts": "y"})
    assert saved.status_code == 302
    db_session.expire_all()
    (row,) = world.session.substitutes
    assert f'data-substitute="{world.facilitator_unassigned.id}"' in client.get(url).get_data(
        as_text=True
    )
    removed = client.post(
        f"{url}/substitutes/{row.id}/remove", data={"version": str(world.session.version_id)}
    )
    assert removed.status_code == 302
    db_session.expire_all()
    assert world.session.substitutes == []


def test_a_facilitator_cannot_set_substitutes(client: FlaskClient, world: World) -> None:
    sign_in(client, world.facilitator)
    page = client.get(f"/sessions/{world.session.id}").get_data(as_text=True)
    assert "/substitutes" not in page
