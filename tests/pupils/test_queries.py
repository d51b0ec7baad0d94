"""The pupil page's groups, read as plain rows, are what the memberships it loaded showed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import joinedload

from mestring.attendance.enums import AttendanceStatus
from mestring.attendance.models import Attendance
from mestring.groups.models import Group, GroupMembership
from mestring.outcomes.enums import PeriodKind
from mestring.outcomes.services import placements_of
from mestring.pupils.queries import (
    absence_records_of,
    attendance_counts,
    measured_course,
    memberships_of,
)
from mestring.scheduling.enums import SessionStatus
from tests import factories as f
from tests.conftest import World


def _loaded(db: OrmSession, pupil_id: int) -> list[tuple[object, ...]]:
    """The memberships as the page loaded them before, with the cells it showed."""
    stmt = (
        sa.select(GroupMembership)
        .options(joinedload(GroupMembership.group).joinedload(Group.term))
        .where(GroupMembership.pupil_id == pupil_id)
        .order_by(GroupMembership.placed_at.desc())
    )
    return [
        (m.group.id, m.group.name, m.group.status, m.group.term.name, m.placed_at)
        for m in db.scalars(stmt)
    ]


def test_the_rows_are_the_groups_the_memberships_showed(
    world: World, db_session: OrmSession
) -> None:
    earlier = f.ReferralFactory(pupil=world.pupil, status="completed")
    f.MembershipFactory(
        group=f.GroupFactory(district=world.bestum.district),
        referral=earlier,
        pupil=world.pupil,
        placed_at=datetime(2025, 9, 1, 8, tzinfo=UTC),
    )
    db_session.flush()
    expected = _loaded(db_session, world.pupil.id)
    assert len(expected) == 2
    rows = memberships_of(db_session, world.pupil.id)
    assert [
        (r.group_id, r.group_name, r.group_status, r.term_name, r.placed_at) for r in rows
    ] == expected
    assert memberships_of(db_session, world.smestad_pupil.id) == []


def test_the_measured_course_is_the_one_of_the_latest_measured_placement(
    world: World, db_session: OrmSession
) -> None:
    # Sessions that do not count: cancelled, and for guardians; and a later group whose
    # referral is withdrawn (not measured), placed after the pupil's measured group.
    f.SessionFactory(
        group=world.group,
        starts_at=datetime(2027, 1, 5, 12, tzinfo=UTC),
        status=SessionStatus.CANCELLED,
    )
    f.SessionFactory(
        group=world.group, starts_at=datetime(2027, 1, 6, 12, tzinfo=UTC), guardians_attend=True
    )
    f.SessionFactory(group=world.group, starts_at=datetime(2027, 4, 30, 22, 30, tzinfo=UTC))
    later = f.GroupFactory(district=world.bestum.district)
    f.SessionFactory(group=later, starts_at=datetime(2027, 8, 20, 12, tzinfo=UTC))
    f.MembershipFactory(
        group=later,
        referral=f.ReferralFactory(pupil=world.pupil, status="withdrawn"),
        pupil=world.pupil,
        placed_at=datetime(2099, 1, 1, 8, tzinfo=UTC),
    )
    db_session.flush()
    course = measured_course(memberships_of(db_session, world.pupil.id))
    assert course == placements_of(db_session, [world.pupil.id])[world.pupil.id].course
    assert course is not None
    assert (course.first_day, course.last_day) == (
        world.session.starts_at.date(),
        date(2027, 5, 1),  # 22:30 UTC is the next day in Oslo
    )


def test_a_pupil_without_a_measured_placement_has_no_course(
    world: World, db_session: OrmSession
) -> None:
    assert measured_course(memberships_of(db_session, world.smestad_pupil.id)) is None
    world.referral.status = "withdrawn"
    db_session.flush()
    assert placements_of(db_session, [world.pupil.id]) == {}
    assert measured_course(memberships_of(db_session, world.pupil.id)) is None


def test_a_measured_group_without_sessions_has_an_unknown_course(
    world: World, db_session: OrmSession
) -> None:
    db_session.delete(world.session)
    db_session.flush()
    course = measured_course(memberships_of(db_session, world.pupil.id))
    assert course == placements_of(db_session, [world.pupil.id])[world.pupil.id].course
    assert course is not None
    assert (course.first_day, course.last_day) == (None, None)


def test_absence_records_come_by_start_and_attendance_is_counted_per_status(
    world: World, db_session: OrmSession
) -> None:
    after = f.AbsenceRecordFactory(
        pupil=world.pupil,
        period=PeriodKind.POST,
        starts_on=date(2027, 5, 1),
        ends_on=date(2027, 8, 1),
    )
    baseline = f.AbsenceRecordFactory(pupil=world.pupil, period=PeriodKind.BASELINE)
    f.AbsenceRecordFactory(pupil=world.smestad_pupil)
    for status in (AttendanceStatus.ABSENT, AttendanceStatus.PRESENT, AttendanceStatus.ABSENT):
        session = f.SessionFactory(group=world.group)
        db_session.add(Attendance(session=session, pupil=world.pupil, status=status))
    db_session.flush()
    assert absence_records_of(db_session, world.pupil.id) == [baseline, after]
    assert attendance_counts(db_session, world.pupil.id) == {
        AttendanceStatus.PRESENT: 1,
        AttendanceStatus.ABSENT: 2,
        AttendanceStatus.EXCUSED: 0,
    }
    assert set(attendance_counts(db_session, world.smestad_pupil.id).values()) == {0}
