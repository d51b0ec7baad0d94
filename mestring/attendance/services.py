"""Recording attendance and the session note after a session.

Saving again updates the marks already there (one row per session and pupil), so a double
submit or a later correction never duplicates rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from mestring.accounts.models import User
from mestring.attendance.enums import AttendanceStatus
from mestring.attendance.models import Attendance
from mestring.attendance.permissions import can_record_attendance
from mestring.attendance.queries import active_members
from mestring.core.errors import DomainError, StaleEdit
from mestring.core.translations import lazy_gettext as _l
from mestring.db import DbSession
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session

NOTE_MAX_LENGTH = 2000


class AttendanceRefused(DomainError):
    """Attendance cannot be recorded for this session (now, or by this person)."""


@dataclass(frozen=True)
class Mark:
    pupil_id: int
    status: AttendanceStatus
    # Parent meetings only: whether a guardian came.
    guardian_present: bool | None = None


def refusal(session: Session, now: datetime) -> str | None:
    """Why attendance cannot be recorded for the session at ``now``, or None if it can."""
    if session.status is SessionStatus.CANCELLED:
        return str(_l("The session is cancelled: there is no attendance to record."))
    if session.starts_at > now:
        return str(_l("The session has not started yet. Record attendance after it."))
    return None


def record_attendance(
    db: DbSession,
    *,
    actor: User,
    session: Session,
    marks: Sequence[Mark],
    note: str,
    now: datetime,
) -> list[Attendance]:
    """Save one mark per pupil of the group and the note; the session becomes held.

    Every active member of the group needs a mark; pupils outside the group are refused.
    """
    if not can_record_attendance(actor, session):
        raise AttendanceRefused(str(_l("Only those who lead the session record its attendance.")))
    reason = refusal(session, now)
    if reason:
        raise AttendanceRefused(reason)
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(str(_l("The note is too long.")))
    members = {m.pupil_id for m in active_members(db, session.group_id)}
    given = {mark.pupil_id: mark for mark in marks}
    if len(given) != len(marks) or not set(given) <= members:
        raise DomainError(str(_l("Mark only the pupils of the group, once each.")))
    if set(given) != members:
        raise DomainError(str(_l("Mark every pupil of the group.")))

    existing = {
        row.pupil_id: row
        for row in db.scalars(sa.select(Attendance).where(Attendance.session_id == session.id))
    }
    saved: list[Attendance] = []
    for pupil_id, mark in sorted(given.items()):
        guardian_present = mark.guardian_present if session.guardians_attend else None
        row = existing.get(pupil_id)
        if row is None:
            row = Attendance(session_id=session.id, pupil_id=pupil_id, status=mark.status)
            db.add(row)
        changed = (row.status, row.guardian_present) != (mark.status, guardian_present)
        if row.id is None or changed:
            row.status = mark.status
            row.guardian_present = guardian_present
            row.recorded_by_id = actor.id
            row.recorded_at = now
        saved.append(row)
    session.status = SessionStatus.HELD
    session.note = note
    try:
        db.flush()
    except (IntegrityError, StaleDataError) as error:
        # Someone saved the same session at the same moment: the caller rolls back.
        raise StaleEdit(
            str(_l("Someone else saved this session at the same time. Reload and try again."))
        ) from error
    return saved
