"""What the pupil page shows beyond the pupil row itself."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from mestring.attendance.enums import AttendanceStatus
from mestring.attendance.models import Attendance
from mestring.db import DbSession
from mestring.groups.models import Group, GroupMembership
from mestring.outcomes.models import AbsenceRecord

# The page names each group and its term.
GROUP_AND_TERM = joinedload(GroupMembership.group).joinedload(Group.term)


def memberships_of(db: DbSession, pupil_id: int) -> list[GroupMembership]:
    stmt = (
        sa.select(GroupMembership)
        .options(GROUP_AND_TERM)
        .where(GroupMembership.pupil_id == pupil_id)
        .order_by(GroupMembership.placed_at.desc())
    )
    return list(db.scalars(stmt))


def absence_records_of(db: DbSession, pupil_id: int) -> list[AbsenceRecord]:
    stmt = (
        sa.select(AbsenceRecord)
        .where(AbsenceRecord.pupil_id == pupil_id)
        .order_by(AbsenceRecord.starts_on)
    )
    return list(db.scalars(stmt))


def attendance_counts(db: DbSession, pupil_id: int) -> dict[AttendanceStatus, int]:
    stmt = (
        sa.select(Attendance.status, sa.func.count())
        .where(Attendance.pupil_id == pupil_id)
        .group_by(Attendance.status)
    )
    counts = dict.fromkeys(AttendanceStatus, 0)
    counts.update(dict(db.execute(stmt).all()))
    return counts
