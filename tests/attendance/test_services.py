"""Recording attendance: one row per pupil however often it is saved, and the refusals; the
flags computed from the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from mestring.attendance.enums import AttendanceStatus, FlagKind
from mestring.attendance.models import Attendance
from mestring.attendance.queries import district_flags, group_attendance
from mestring.attendance.services import AttendanceRefused, Mark, record_attendance
from mestring.core.errors import DomainError
from mestring.groups.enums import GroupStatus
from mestring.referrals.enums import ReferralStatus
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session, SessionSubstitute
from tests import factories as f
from tests.attendance.conftest import NOW, add_pupil, past_sessions
from tests.conftest import World

P, A, E = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED


def rows(db: OrmSession, session: Session) -> list[Attendance]:
    return list(
        db.scalars(
            sa.select(Attendance)
            .where(Attendance.session_id == session.id)
            .order_by(Attendance.pupil_id)
        )
    )


def record(db: OrmSession, world: World, session: Session, *marks: Mark, **kwargs: object):
    options = {"actor": world.facilitator, "note": "", "now": NOW, **kwargs}
    return record_attendance(db, session=session, marks=list(marks), **options)  # type: ignore[arg-type]


def test_saving_twice_updates_the_rows_instead_of_adding(
    world: World, db_session: OrmSession
) -> None:
    (session,) = past_sessions(world.group, 1)
    other = add_pupil(world.group, "Nora")
    record(db_session, world, session, Mark(world.pupil.id, P), Mark(other.pupil_id, A), note="Bra")
    record(
        db_session, world, session, Mark(world.pupil.id, P), Mark(other.pupil_id, E), note="Bra!"
    )
    saved = rows(db_session, session)
    assert [(r.pupil_id, r.status) for r in saved] == sorted(
        [(world.pupil.id, P), (other.pupil_id, E)]
    )
    assert session.status is SessionStatus.HELD
    assert session.note == "Bra!"
    assert {r.recorded_by_id for r in saved} == {world.facilitator.id}


def test_a_session_in_the_future_is_refused(world: World, db_session: OrmSession) -> None:
    (session,) = past_sessions(world.group, 1, start=NOW + timedelta(hours=1))
    with pytest.raises(AttendanceRefused, match="not started"):
        record(db_session, world, session, Mark(world.pupil.id, P))
    assert rows(db_session, session) == []
    assert session.status is SessionStatus.PLANNED


def test_a_cancelled_session_is_refused(world: World, db_session: OrmSession) -> None:
    (session,) = past_sessions(world.group, 1)
    session.status = SessionStatus.CANCELLED
    with pytest.raises(AttendanceRefused, match="cancelled"):
        record(db_session, world, session, Mark(world.pupil.id, P))
    assert rows(db_session, session) == []


def test_only_those_leading_the_session_record_it(world: World, db_session: OrmSession) -> None:
    (session,) = past_sessions(world.group, 1)
    for outsider in (world.facilitator_unassigned, world.coordinator_other, world.school):
        with pytest.raises(AttendanceRefused):
            record(db_session, world, session, Mark(world.pupil.id, P), actor=outsider)
    # The district's coordinator may correct a mark.
    record(db_session, world, session, Mark(world.pupil.id, A), actor=world.coordinator)
    assert [r.status for r in rows(db_session, session)] == [A]


def test_the_substitute_records_and_the_replaced_facilitator_does_not(
    world: World, db_session: OrmSession
) -> None:
    (session,) = past_sessions(world.group, 1)
    session.substitutes.append(
        SessionSubstitute(replaced=world.facilitator, substitute=world.facilitator_unassigned)
    )
    db_session.flush()
    with pytest.raises(AttendanceRefused):
        record(db_session, world, session, Mark(world.pupil.id, P))
    record(db_session, world, session, Mark(world.pupil.id, P), actor=world.facilitator_unassigned)
    assert len(rows(db_session, session)) == 1


def test_every_pupil_and_only_the_groups_pupils(world: World, db_session: OrmSession) -> None:
    (session,) = past_sessions(world.group, 1)
    other = add_pupil(world.group, "Nora")
    with pytest.raises(DomainError, match="every pupil"):
        record(db_session, world, session, Mark(world.pupil.id, P))
    with pytest.raises(DomainError, match="only the pupils"):
        record(
            db_session,
            world,
            session,
            Mark(world.pupil.id, P),
            Mark(other.pupil_id, P),
            Mark(world.smestad_pupil.id, P),
        )


def test_a_pupil_who_left_is_not_marked(world: World, db_session: OrmSession) -> None:
    (session,) = past_sessions(world.group, 1)
    add_pupil(world.group, "Borte", status=ReferralStatus.WITHDRAWN)
    record(db_session, world, session, Mark(world.pupil.id, P))
    assert [r.pupil_id for r in rows(db_session, session)] == [world.pupil.id]


def test_parent_meetings_record_whether_a_guardian_came(
    world: World, db_session: OrmSession
) -> None:
    (session,) = past_sessions(world.group, 1)
    session.guardians_attend = True
    record(db_session, world, session, Mark(world.pupil.id, E, guardian_present=True))
    assert rows(db_session, session)[0].guardian_present is True
    (children,) = past_sessions(world.group, 1, start=NOW - timedelta(days=1))
    record(db_session, world, children, Mark(world.pupil.id, P, guardian_present=True))
    assert rows(db_session, children)[0].guardian_present is None


def test_a_note_is_limited(world: World, db_session: OrmSession) -> None:
    (session,) = past_sessions(world.group, 1)
    with pytest.raises(DomainError):
        record(db_session, world, session, Mark(world.pupil.id, P), note="x" * 2001)


# --- Flags from the database ---------------------------------------------------------------------


def mark_all(db: OrmSession, world: World, sessions: list[Session], plan: dict[int, str]) -> None:
    """plan: pupil id -> one letter per session (P, A, E)."""
    for index, session in enumerate(sessions):
        marks = [
            Mark(pid, {"P": P, "A": A, "E": E}[letters[index]]) for pid, letters in plan.items()
        ]
        record(db, world, session, *marks)


def test_group_attendance_flags_the_pupil_who_missed_twice(
    world: World, db_session: OrmSession
) -> None:
    sessions = past_sessions(world.group, 8)
    regular = add_pupil(world.group, "Nora")
    # 6 of 8 is exactly 75 %: only the run is flagged.
    plan = {world.pupil.id: "PPPPPPAA", regular.pupil_id: "PPPPPPPP"}
    mark_all(db_session, world, sessions, plan)
    # A parent meeting the child did not come to does not count against the child.
    (parents,) = past_sessions(world.group, 1, start=NOW - timedelta(hours=2))
    parents.guardians_attend = True
    record(db_session, world, parents, Mark(world.pupil.id, A), Mark(regular.pupil_id, A))

    result = group_attendance(db_session, world.group)
    assert [s.id for s in result.sessions] == [s.id for s in sessions]
    flagged = {member.pupil_id: summary.flags for member, summary in result.flagged}
    assert flagged == {world.pupil.id: (FlagKind.MISSED_IN_A_ROW,)}


def test_district_flags_cover_running_groups_and_active_pupils_only(
    world: World, db_session: OrmSession
) -> None:
    world.group.status = GroupStatus.RUNNING
    sessions = past_sessions(world.group, 4)
    leaver = add_pupil(world.group, "Borte")
    mark_all(db_session, world, sessions, {world.pupil.id: "PAPA", leaver.pupil_id: "PPAA"})
    leaver.referral.status = ReferralStatus.DISCONTINUED
    finished = f.GroupFactory(district=world.group.district, status=GroupStatus.FINISHED)
    f.AssignmentFactory(group=finished, user=world.facilitator)
    gone = f.MembershipFactory(group=finished, referral__pupil__school=world.bestum)
    (old,) = past_sessions(finished, 1, start=datetime(2026, 3, 3, 12, 0, tzinfo=UTC))
    record(db_session, world, old, Mark(gone.pupil_id, A))
    db_session.flush()

    flagged = district_flags(db_session, world.group.district_id)
    assert [(item.pupil.id, item.summary.flags) for item in flagged] == [
        (world.pupil.id, (FlagKind.LOW_ATTENDANCE,))
    ]
    assert district_flags(db_session, world.coordinator_other.district_id) == []
