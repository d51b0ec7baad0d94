"""Follow-up flags: two missed in a row, and attendance under 75 % (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mestring.attendance.enums import AttendanceStatus, FlagKind
from mestring.attendance.flags import HeldSession, PupilRecord, is_active_member, summarise
from mestring.referrals.enums import ReferralStatus

P, A, E = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED
START = datetime(2026, 10, 6, 12, 0, tzinfo=UTC)


def held(count: int) -> list[HeldSession]:
    return [
        HeldSession(session_id=n + 1, starts_at=START + timedelta(weeks=n)) for n in range(count)
    ]


def summary(*statuses: AttendanceStatus | None):
    sessions = held(len(statuses))
    marks = {s.session_id: status for s, status in zip(sessions, statuses, strict=True) if status}
    return summarise(sessions, PupilRecord(pupil_id=7, marks=marks))


def test_always_present_is_not_flagged() -> None:
    result = summary(P, P, P, P)
    assert result.flags == ()
    assert (result.present, result.held, result.rate) == (4, 4, 100.0)


def test_two_missed_in_a_row_is_flagged_with_the_sessions() -> None:
    result = summary(P, P, P, P, P, P, P, A, E)
    assert result.flags == (FlagKind.MISSED_IN_A_ROW,)
    assert [s.session_id for s in result.missed_run] == [8, 9]


def test_two_missed_apart_are_not_in_a_row() -> None:
    assert FlagKind.MISSED_IN_A_ROW not in summary(P, A, P, A, P, P, P, P).flags


def test_the_latest_run_is_shown() -> None:
    result = summary(A, A, P, P, P, P, P, P, P, A, A, A)
    assert [s.session_id for s in result.missed_run] == [10, 11, 12]


def test_a_session_without_a_mark_neither_breaks_nor_extends_a_run() -> None:
    assert summary(P, A, None, A).missed_run != ()
    assert summary(P, A, None, P).missed_run == ()


@pytest.mark.parametrize(
    ("statuses", "flagged"),
    [
        ((P, P, P, A), False),  # exactly 75 %: not under
        ((P, P, A, P, P, P, A, P), False),  # 75 %
        ((P, P, A, P, A, P, P), True),  # 5 of 7 = 71.4 %
        ((P, A), True),  # 50 %
    ],
)
def test_under_75_percent(statuses: tuple[AttendanceStatus, ...], flagged: bool) -> None:
    assert (FlagKind.LOW_ATTENDANCE in summary(*statuses).flags) is flagged


def test_unmarked_held_sessions_count_as_not_present() -> None:
    """As in the outcome measures: present out of the group's held sessions."""
    result = summary(P, P, None, None)
    assert (result.present, result.held) == (2, 4)
    assert FlagKind.LOW_ATTENDANCE in result.flags


def test_nothing_held_is_nothing_flagged() -> None:
    result = summary()
    assert result.flags == () and result.rate is None


def test_order_of_the_sessions_given_does_not_matter() -> None:
    sessions = held(3)
    marks = {1: P, 2: A, 3: A}
    forwards = summarise(sessions, PupilRecord(1, marks))
    backwards = summarise(list(reversed(sessions)), PupilRecord(1, marks))
    assert forwards == backwards


@pytest.mark.parametrize(
    ("status", "active"),
    [
        (ReferralStatus.PLACED, True),
        (ReferralStatus.COMPLETED, True),
        (ReferralStatus.WITHDRAWN, False),
        (ReferralStatus.DISCONTINUED, False),
    ],
)
def test_only_placed_and_completed_pupils_are_members(status: ReferralStatus, active: bool) -> None:
    assert is_active_member(status) is active
