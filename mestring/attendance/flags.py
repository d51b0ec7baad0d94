"""Follow-up flags from a pupil's attendance (pure functions over plain facts).

The rules, in one place:

- Only **held children's sessions** count: not cancelled, not a parent-only meeting
  (``guardians_attend``), and either marked held or with attendance recorded — the same
  sessions the outcome measures count (mestring.outcomes.measures).
- A pupil **missed** a session when they were marked absent or excused; a session without a mark
  for the pupil (recorded before they joined, say) neither breaks nor extends a run.
- **Two in a row**: two or more consecutive held sessions missed; the latest such run is shown.
- **Under 75 %**: present at fewer than 75 % of the group's held sessions, counted in integers
  (``present * 4 < held * 3``) so that exactly 75 % is not flagged — the complement of the
  outcomes' "completed" rule.
- Only **active members** are judged: pupils whose referral is placed or completed. A withdrawn
  or discontinued pupil has left the group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter

from mestring.attendance.enums import AttendanceStatus, FlagKind
from mestring.referrals.enums import ACTIVE_MEMBER_STATUSES, ReferralStatus

ACTIVE_REFERRAL_STATUSES = ACTIVE_MEMBER_STATUSES
MISSED = frozenset({AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED})
RUN_LENGTH = 2
# Present at fewer than NUMERATOR / DENOMINATOR of the held sessions is flagged.
NUMERATOR, DENOMINATOR = 3, 4


@dataclass(frozen=True)
class HeldSession:
    session_id: int
    starts_at: datetime


@dataclass(frozen=True)
class PupilRecord:
    """A pupil's marks at the group's held sessions: session id to status."""

    pupil_id: int
    marks: Mapping[int, AttendanceStatus]


@dataclass(frozen=True)
class AttendanceSummary:
    pupil_id: int
    held: int
    present: int
    # The latest run of missed sessions of at least RUN_LENGTH, oldest first (empty if none).
    missed_run: tuple[HeldSession, ...]

    @property
    def rate(self) -> float | None:
        """Present in percent of held sessions; None before any session is held."""
        return self.present * 100.0 / self.held if self.held else None

    @property
    def low_attendance(self) -> bool:
        return self.held > 0 and self.present * DENOMINATOR < self.held * NUMERATOR

    @property
    def flags(self) -> tuple[FlagKind, ...]:
        found = []
        if self.missed_run:
            found.append(FlagKind.MISSED_IN_A_ROW)
        if self.low_attendance:
            found.append(FlagKind.LOW_ATTENDANCE)
        return tuple(found)


# Held sessions in the order they took place (a tie broken by the session's id).
_CHRONOLOGICAL = attrgetter("starts_at", "session_id")


def summarise(held: Sequence[HeldSession], record: PupilRecord) -> AttendanceSummary:
    """The pupil's attendance over the group's held sessions (in any order)."""
    # One pass over the sessions: the follow-up list summarises every member of the district's
    # running groups at each visit of the coordinator's start page.
    present = 0
    latest_run: tuple[HeldSession, ...] = ()
    run: list[HeldSession] = []
    for session in sorted(held, key=_CHRONOLOGICAL):
        status = record.marks.get(session.session_id)
        if status is None:
            continue
        if status in MISSED:
            run.append(session)
            if len(run) >= RUN_LENGTH:
                latest_run = tuple(run)
        else:
            if status is AttendanceStatus.PRESENT:
                present += 1
            run = []
    return AttendanceSummary(
        pupil_id=record.pupil_id, held=len(held), present=present, missed_run=latest_run
    )


def is_active_member(referral_status: ReferralStatus) -> bool:
    return referral_status in ACTIVE_REFERRAL_STATUSES
