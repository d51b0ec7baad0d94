"""What the pupil page shows beyond the pupil row itself."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from mestring.accounts.models import Term
from mestring.attendance.enums import AttendanceStatus
from mestring.attendance.models import Attendance
from mestring.db import DbSession
from mestring.groups.models import Group, GroupMembership
from mestring.outcomes.models import AbsenceRecord
from mestring.outcomes.periods import CourseDates
from mestring.outcomes.services import MEASURED_STATUSES, course_dates, utc_from_sql
from mestring.referrals.models import Referral
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session

# The first and last start of a group's children's sessions that are not cancelled (as
# `course_dates_statement`), read with each of the pupil's groups: the measurement periods are
# proposed from the latest measured group's, and the page needs no statement of its own for them.
_CHILDREN_SESSIONS = sa.select(Session.starts_at).where(
    Session.group_id == Group.id,
    Session.status != SessionStatus.CANCELLED,
    Session.guardians_attend.is_(False),
)
_FIRST_SESSION = _CHILDREN_SESSIONS.with_only_columns(
    sa.func.min(Session.starts_at)
).scalar_subquery()
_LAST_SESSION = _CHILDREN_SESSIONS.with_only_columns(
    sa.func.max(Session.starts_at)
).scalar_subquery()

# What the page shows of each of the pupil's groups, newest placement first, as plain rows:
# the group's id, name and status, its term's name, and when the pupil was placed; and what the
# measurement periods need: the placed referral's status and the group's course dates.
# Built once.
_MEMBERSHIP_ROWS = (
    sa.select(
        Group.id.label("group_id"),
        Group.name.label("group_name"),
        Group.status.label("group_status"),
        Term.name.label("term_name"),
        GroupMembership.placed_at,
        Referral.status.label("referral_status"),
        _FIRST_SESSION.label("first_session"),
        _LAST_SESSION.label("last_session"),
    )
    .join(Group, Group.id == GroupMembership.group_id)
    .join(Term, Term.id == Group.term_id)
    .join(Referral, Referral.id == GroupMembership.referral_id)
    .where(GroupMembership.pupil_id == sa.bindparam("pupil_id"))
    .order_by(GroupMembership.placed_at.desc())
)


def memberships_of(db: DbSession, pupil_id: int) -> list[sa.Row[Any]]:
    return list(db.execute(_MEMBERSHIP_ROWS, {"pupil_id": pupil_id}))


def measured_course(memberships: list[sa.Row[Any]]) -> CourseDates | None:
    """The course dates of the pupil's latest placement whose referral is measured (as
    `placements_of`), from `memberships_of`'s rows; None when there is none."""
    for membership in memberships:  # newest placement first
        if membership.referral_status in MEASURED_STATUSES:
            return course_dates(
                utc_from_sql(membership.first_session), utc_from_sql(membership.last_session)
            )
    return None


# The pupil's absence records, by start; and their sessions counted by attendance. Built once.
_ABSENCE_RECORDS = (
    sa.select(AbsenceRecord)
    .where(AbsenceRecord.pupil_id == sa.bindparam("pupil_id"))
    .order_by(AbsenceRecord.starts_on)
)
_ATTENDANCE_COUNTS = (
    sa.select(Attendance.status, sa.func.count())
    .where(Attendance.pupil_id == sa.bindparam("pupil_id"))
    .group_by(Attendance.status)
)


def absence_records_of(db: DbSession, pupil_id: int) -> list[AbsenceRecord]:
    return list(db.scalars(_ABSENCE_RECORDS, {"pupil_id": pupil_id}))


def attendance_counts(db: DbSession, pupil_id: int) -> dict[AttendanceStatus, int]:
    counts = dict.fromkeys(AttendanceStatus, 0)
    counts.update(dict(db.execute(_ATTENDANCE_COUNTS, {"pupil_id": pupil_id}).all()))
    return counts
