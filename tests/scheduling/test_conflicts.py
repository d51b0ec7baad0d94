"""Each kind of conflict is found, with a message naming what clashes; non-conflicts are not."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session as OrmSession

from mestring.core.errors import DomainError
from mestring.core.time import oslo_to_utc
from mestring.groups.enums import SessionMode
from mestring.scheduling.conflicts import ProposedSession, conflicts_by_session, find_conflicts
from mestring.scheduling.enums import (
    ClosedPeriodKind,
    ConflictKind,
    SessionStatus,
    UnavailabilityReason,
)
from mestring.scheduling.models import (
    LONGEST_SESSION,
    ClosedPeriod,
    SessionSubstitute,
    Unavailability,
)
from mestring.scheduling.services import reschedule_session
from tests import factories as f
from tests.conftest import World
from tests.scheduling.conftest import new_facilitator

# Tuesday 2 February 2027, 13:00–14:30 in Oslo (the world's session).
START = datetime(2027, 2, 2, 12, 0, tzinfo=UTC)


def kinds(conflicts: list) -> list[ConflictKind]:
    return [c.kind for c in conflicts]


def test_a_session_alone_on_an_ordinary_day_has_no_conflicts(
    world: World, db_session: OrmSession
) -> None:
    assert find_conflicts(db_session, world.session) == []


def test_facilitator_in_two_overlapping_sessions(world: World, db_session: OrmSession) -> None:
    other_group = f.GroupFactory(district=world.group.district, name="Gruppe Skøyen")
    f.AssignmentFactory(group=other_group, user=world.facilitator)
    f.SessionFactory(
        group=other_group,
        title="Følelsestermometeret",
        mode=SessionMode.DIGITAL,
        starts_at=START + timedelta(hours=1),
    )
    conflicts = find_conflicts(db_session, world.session)
    assert kinds(conflicts) == [ConflictKind.FACILITATOR_BUSY]
    assert world.facilitator.name in conflicts[0].message
    assert "Følelsestermometeret" in conflicts[0].message
    assert "Gruppe Skøyen" in conflicts[0].message
    assert "tirsdag 2. februar 2027 kl. 14.00–15.30" in conflicts[0].message


def test_a_long_session_that_began_before_conflicts_among_short_ones(
    world: World, db_session: OrmSession
) -> None:
    """Sessions near by are looked up by start, back as far as a session can last: one that
    began the day before and still runs is found, in start order with the others; short ones
    that ended before are not."""
    other_group = f.GroupFactory(district=world.group.district, name="Gruppe Skøyen")
    f.AssignmentFactory(group=other_group, user=world.facilitator)
    for hours_before, title in ((30, "Forrige uke"), (3, "Formiddag")):
        f.SessionFactory(
            group=other_group,
            title=title,
            mode=SessionMode.DIGITAL,
            starts_at=START - timedelta(hours=hours_before),
        )
    for starts_at, ends_at, title in (
        (START + timedelta(hours=1), START + timedelta(hours=2), "Etterpå"),
        (START - timedelta(hours=20), START + timedelta(minutes=30), "Døgnet"),
    ):
        f.SessionFactory(
            group=other_group,
            title=title,
            mode=SessionMode.DIGITAL,
            starts_at=starts_at,
            ends_at=ends_at,
        )
    conflicts = find_conflicts(db_session, world.session)
    assert kinds(conflicts) == [ConflictKind.FACILITATOR_BUSY] * 2
    assert "Døgnet" in conflicts[0].message
    assert "Etterpå" in conflicts[1].message


def test_a_session_cannot_be_moved_to_end_on_another_day(
    world: World, db_session: OrmSession
) -> None:
    """The rule the lookup by start relies on: no session lasts longer than its day."""
    starts_at = datetime(2027, 2, 2, 22, 0, tzinfo=UTC)  # 23:00 in Oslo
    with pytest.raises(DomainError, match="must end on the day it starts"):
        reschedule_session(
            db_session,
            actor=world.coordinator,
            session=world.session,
            version=world.session.version_id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            mode=SessionMode.DIGITAL,
            venue=None,
            video_link="https://video.example.no/m",
            accept_conflicts=True,
            now=START - timedelta(days=7),
        )
    assert world.session.starts_at == START
    # The longest a session can last: all of the day the clocks go back.
    day = date(2027, 10, 31)
    longest = oslo_to_utc(day, time(23, 59)) - oslo_to_utc(day, time(0, 0))
    assert timedelta(hours=24) < longest <= LONGEST_SESSION


def test_back_to_back_sessions_do_not_conflict(world: World, db_session: OrmSession) -> None:
    other_group = f.GroupFactory(district=world.group.district)
    f.AssignmentFactory(group=other_group, user=world.facilitator)
    f.SessionFactory(group=other_group, starts_at=START + timedelta(minutes=90))
    assert find_conflicts(db_session, world.session) == []


def test_cancelled_sessions_and_other_peoples_sessions_do_not_conflict(
    world: World, db_session: OrmSession
) -> None:
    other_group = f.GroupFactory(district=world.group.district)
    f.AssignmentFactory(group=other_group, user=world.facilitator)
    f.SessionFactory(group=other_group, starts_at=START, status=SessionStatus.CANCELLED)
    f.SessionFactory(group=f.GroupFactory(district=world.group.district), starts_at=START)
    assert find_conflicts(db_session, world.session) == []


def test_a_substitute_is_busy_in_the_session_they_cover(
    world: World, db_session: OrmSession
) -> None:
    other_group = f.GroupFactory(district=world.group.district)
    lead = f.AssignmentFactory(group=other_group, user=new_facilitator(world)).user
    covered = f.SessionFactory(group=other_group, starts_at=START)
    db_session.add(
        SessionSubstitute(session=covered, replaced_id=lead.id, substitute_id=world.facilitator.id)
    )
    db_session.flush()
    assert kinds(find_conflicts(db_session, world.session)) == [ConflictKind.FACILITATOR_BUSY]


def test_a_replaced_facilitator_is_free(world: World, db_session: OrmSession) -> None:
    other_group = f.GroupFactory(district=world.group.district)
    f.AssignmentFactory(group=other_group, user=world.facilitator)
    covered = f.SessionFactory(group=other_group, starts_at=START)
    db_session.add(
        SessionSubstitute(
            session=covered,
            replaced_id=world.facilitator.id,
            substitute_id=world.facilitator_unassigned.id,
        )
    )
    db_session.flush()
    assert find_conflicts(db_session, world.session) == []


def test_one_room_booked_twice(world: World, db_session: OrmSession) -> None:
    room = f.VenueFactory(district=world.group.district, name="Grupperom 2")
    world.session.venue = room
    f.SessionFactory(
        group=f.GroupFactory(district=world.group.district, name="Gruppe B"),
        venue=room,
        starts_at=START + timedelta(minutes=30),
    )
    conflicts = find_conflicts(db_session, world.session)
    assert kinds(conflicts) == [ConflictKind.ROOM_BOOKED]
    assert "Grupperom 2" in conflicts[0].message and "Gruppe B" in conflicts[0].message


def test_a_digital_session_does_not_book_its_old_room(world: World, db_session: OrmSession) -> None:
    room = f.VenueFactory(district=world.group.district)
    world.session.venue = room
    f.SessionFactory(
        group=f.GroupFactory(district=world.group.district), venue=room, starts_at=START
    )
    db_session.flush()
    proposed = ProposedSession.of(world.session).changed(
        starts_at=START,
        ends_at=START + timedelta(minutes=90),
        mode=SessionMode.DIGITAL,
        venue_id=room.id,
    )
    assert find_conflicts(db_session, proposed) == []


def test_moving_onto_17_may_is_a_public_holiday(world: World, db_session: OrmSession) -> None:
    moved = datetime(2027, 5, 17, 11, 0, tzinfo=UTC)
    proposed = ProposedSession.of(world.session).changed(
        starts_at=moved,
        ends_at=moved + timedelta(minutes=90),
        mode=SessionMode.PHYSICAL,
        venue_id=None,
    )
    conflicts = find_conflicts(db_session, proposed)
    assert kinds(conflicts) == [ConflictKind.PUBLIC_HOLIDAY]
    assert "mandag 17. mai 2027" in conflicts[0].message
    assert "Grunnlovsdag" in conflicts[0].message


def test_a_session_in_the_districts_winter_break(world: World, db_session: OrmSession) -> None:
    db_session.add(
        ClosedPeriod(
            district_id=world.group.district_id,
            kind=ClosedPeriodKind.WINTER,
            name="Vinterferie 2027",
            starts_on=date(2027, 2, 1),
            ends_on=date(2027, 2, 5),
        )
    )
    # Another district's closed period is not this group's concern.
    db_session.add(
        ClosedPeriod(
            district_id=world.other_school.district_id,
            kind=ClosedPeriodKind.OTHER,
            name="Frogner stengt",
            starts_on=date(2027, 2, 2),
            ends_on=date(2027, 2, 2),
        )
    )
    db_session.flush()
    conflicts = find_conflicts(db_session, world.session)
    assert kinds(conflicts) == [ConflictKind.CLOSED_PERIOD]
    assert "Vinterferie 2027" in conflicts[0].message


def test_a_facilitator_marked_unavailable(world: World, db_session: OrmSession) -> None:
    db_session.add_all(
        [
            Unavailability(
                user_id=world.facilitator.id,
                starts_on=date(2027, 2, 1),
                ends_on=date(2027, 2, 3),
                reason=UnavailabilityReason.COURSE,
            ),
            # Before and after the session's day: no conflict.
            Unavailability(
                user_id=world.facilitator.id,
                starts_on=date(2027, 1, 20),
                ends_on=date(2027, 2, 1),
                reason=UnavailabilityReason.SICK,
            ),
        ]
    )
    db_session.flush()
    conflicts = find_conflicts(db_session, world.session)
    assert kinds(conflicts) == [ConflictKind.FACILITATOR_UNAVAILABLE]
    assert world.facilitator.name in conflicts[0].message
    assert "1. februar 2027–3. februar 2027" in conflicts[0].message


def test_a_cancelled_session_has_no_conflicts(world: World, db_session: OrmSession) -> None:
    moved = datetime(2027, 5, 17, 11, 0, tzinfo=UTC)
    world.session.starts_at, world.session.ends_at = moved, moved + timedelta(hours=1)
    world.session.status = SessionStatus.CANCELLED
    assert find_conflicts(db_session, world.session) == []


def test_many_sessions_are_checked_with_a_fixed_number_of_queries(
    world: World, db_session: OrmSession, count_queries
) -> None:
    other_group = f.GroupFactory(district=world.group.district)
    f.AssignmentFactory(group=other_group, user=world.facilitator)
    f.AssignmentFactory(group=world.group, user=new_facilitator(world))

    def proposals(n: int, first_week: int) -> list[ProposedSession]:
        sessions = [
            f.SessionFactory(group=world.group, starts_at=START + timedelta(days=7 * k))
            for k in range(first_week, first_week + n)
        ]
        for session in sessions:
            f.SessionFactory(group=other_group, starts_at=session.starts_at)
        db_session.flush()
        return [ProposedSession.of(s) for s in sessions]

    few, many = proposals(2, first_week=1), proposals(10, first_week=10)
    with count_queries() as small:
        small_result = conflicts_by_session(db_session, few)
    with count_queries() as large:
        large_result = conflicts_by_session(db_session, many)
    assert [kinds(c) for c in small_result] == [[ConflictKind.FACILITATOR_BUSY]] * 2
    assert [kinds(c) for c in large_result] == [[ConflictKind.FACILITATOR_BUSY]] * 10
    assert len(large) == len(small)
    # The sessions near by; then who leads them, who is away and what is closed, together.
    assert len(small) == 2


def test_every_kind_read_together_in_one_check(world: World, db_session: OrmSession) -> None:
    """Closed periods, absences, assigned facilitators and substitutes come from one statement;
    each is still found, with its own names and days."""
    other_group = f.GroupFactory(district=world.group.district)
    lead = f.AssignmentFactory(group=other_group, user=new_facilitator(world)).user
    covered = f.SessionFactory(group=other_group, starts_at=START)
    db_session.add_all(
        [
            SessionSubstitute(
                session=covered, replaced_id=lead.id, substitute_id=world.facilitator.id
            ),
            ClosedPeriod(
                district_id=world.group.district_id,
                kind=ClosedPeriodKind.WINTER,
                name="Vinterferie 2027",
                starts_on=date(2027, 2, 1),
                ends_on=date(2027, 2, 5),
            ),
            Unavailability(
                user_id=world.facilitator.id,
                starts_on=date(2027, 2, 2),
                ends_on=date(2027, 2, 2),
                reason=UnavailabilityReason.COURSE,
            ),
        ]
    )
    db_session.flush()
    conflicts = find_conflicts(db_session, world.session)
    assert kinds(conflicts) == [
        ConflictKind.CLOSED_PERIOD,
        ConflictKind.FACILITATOR_BUSY,
        ConflictKind.FACILITATOR_UNAVAILABLE,
    ]
    assert "Vinterferie 2027 (1. februar 2027–5. februar 2027)" in conflicts[0].message
    assert world.facilitator.name in conflicts[1].message
    assert other_group.name in conflicts[1].message
    assert f"({UnavailabilityReason.COURSE.label.lower()})" in conflicts[2].message
