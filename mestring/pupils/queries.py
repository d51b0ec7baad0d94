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

# What the page shows of each of the pupil's groups, newest placement first, as plain rows:
# the group's id, name and status, its term's name, and when the pupil was placed. Built once.
_MEMBERSHIP_ROWS = (
    sa.select(
        Group.id.label("group_id"),
        Group.name.label("group_name"),
        Group.status.label("group_status"),
        Term.name.label("term_name"),
        GroupMembership.placed_at,
    )
    .join(Group, Group.id == GroupMembership.group_id)
    .join(Term, Term.id == Group.term_id)
    .where(GroupMembership.pupil_id == sa.bindparam("pupil_id"))
    .order_by(GroupMembership.placed_at.desc())
)


def memberships_of(db: DbSession, pupil_id: int) -> list[sa.Row[Any]]:
    return list(db.execute(_MEMBERSHIP_ROWS, {"pupil_id": pupil_id}))


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
