"""The demo loader: Bydel Ullern's programme, alive relative to the injected clock."""

from __future__ import annotations

from datetime import UTC, datetime

import holidays
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from mestring.accounts.enums import Role, ServiceKind
from mestring.accounts.passwords import verify_password
from mestring.attendance.models import Attendance
from mestring.core.time import to_oslo
from mestring.demo import DEMO_PASSWORD, load_demo
from mestring.extensions import db
from mestring.groups.enums import GroupStatus, SessionMode
from mestring.models import (
    AbsenceRecord,
    ClosedPeriod,
    Group,
    Referral,
    ReferralStatusChange,
    Session,
    User,
)
from mestring.outcomes.enums import PeriodKind
from mestring.referrals.enums import ReferralStatus
from mestring.scheduling.enums import SessionStatus

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)

NAMED_ACCOUNTS = [
    ("admin@demo.no", "admin"),
    ("koordinator@demo.no", "coordinator"),
    ("analytiker@demo.no", "analyst"),
    ("ppt@demo.no", "facilitator"),
    ("helse@demo.no", "facilitator"),
    ("larer@demo.no", "facilitator"),
    ("skole.bestum@demo.no", "school"),
    ("skole.smestad@demo.no", "school"),
]


def row_counts(session: OrmSession) -> dict[str, int]:
    return {
        table.name: session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
        for table in db.metadata.sorted_tables
    }


def test_demo_creates_the_named_accounts(db_session: OrmSession) -> None:
    result = load_demo(db_session, now=NOW)

    assert result.created is True
    assert result.accounts == NAMED_ACCOUNTS
    users = {user.email: user for user in db_session.scalars(sa.select(User))}
    for email, role in NAMED_ACCOUNTS:
        assert users[email].role == Role(role)
        assert users[email].active
    assert users["admin@demo.no"].district is None
    assert users["koordinator@demo.no"].district is not None
    assert users["koordinator@demo.no"].district.name == "Bydel Ullern"
    assert users["ppt@demo.no"].service.kind == ServiceKind.PPT
    assert users["helse@demo.no"].service.kind == ServiceKind.SCHOOL_HEALTH
    assert users["larer@demo.no"].service.kind == ServiceKind.SCHOOL
    assert users["larer@demo.no"].school.name == "Smestad skole"
    assert users["skole.bestum@demo.no"].school.name == "Bestum skole"
    assert users["skole.smestad@demo.no"].school.name == "Smestad skole"
    # One hash for every account, and it verifies.
    assert len({user.password_hash for user in users.values()}) == 1
    assert verify_password(users["koordinator@demo.no"].password_hash, DEMO_PASSWORD)
    assert not verify_password(users["koordinator@demo.no"].password_hash, "wrong-password")


def test_every_referral_status_is_present_with_a_history(db_session: OrmSession) -> None:
    load_demo(db_session, now=NOW)

    referrals = list(db_session.scalars(sa.select(Referral)))
    assert {referral.status for referral in referrals} == set(ReferralStatus)
    for referral in referrals:
        assert referral.history, referral.id
        assert referral.history[0].from_status is None
        assert referral.history[-1].to_status == referral.status
        for before, after in zip(referral.history, referral.history[1:], strict=False):
            assert after.from_status == before.to_status
            assert after.created_at >= before.created_at
        if referral.status != ReferralStatus.DRAFT:
            assert referral.consents and referral.submitted_at is not None
        assert referral.days_documented + referral.days_undocumented <= referral.school_days
    declined = next(r for r in referrals if r.status == ReferralStatus.DECLINED)
    assert declined.history[-1].comment
    asked = next(r for r in referrals if r.status == ReferralStatus.NEEDS_INFO)
    assert "?" in asked.history[-1].comment


def test_loading_twice_adds_nothing(db_session: OrmSession) -> None:
    first = load_demo(db_session, now=NOW)
    before = row_counts(db_session)

    second = load_demo(db_session, now=NOW)

    assert second.created is False
    assert second.accounts == first.accounts
    assert row_counts(db_session) == before
    assert before["pupils"] >= 30
    assert before["keep_apart_pairs"] >= 1


def test_groups_are_alive_relative_to_now(db_session: OrmSession) -> None:
    load_demo(db_session, now=NOW)

    groups = list(db_session.scalars(sa.select(Group)))
    statuses = [group.status for group in groups]
    assert statuses.count(GroupStatus.FINISHED) >= 1
    assert GroupStatus.RUNNING in statuses
    assert GroupStatus.PLANNING in statuses
    for group in groups:
        assert len(group.facilitators) >= 2
        assert len(group.memberships) <= group.capacity
        if group.status == GroupStatus.FINISHED:
            assert all(session.ends_at <= NOW for session in group.sessions)
    running = next(group for group in groups if group.status == GroupStatus.RUNNING)
    assert any(session.starts_at < NOW for session in running.sessions)
    assert any(session.starts_at > NOW for session in running.sessions)
    assert any(session.status == SessionStatus.CANCELLED for session in running.sessions)
    assert any(session.substitutes for session in running.sessions)
    for session in running.sessions:
        if session.starts_at > NOW:
            assert session.status == SessionStatus.PLANNED
            assert not session.attendance
        if session.status == SessionStatus.HELD:
            assert len(session.attendance) == len(running.memberships)


def test_a_group_has_both_modes_and_attendance(db_session: OrmSession) -> None:
    load_demo(db_session, now=NOW)

    group = next(
        group
        for group in db_session.scalars(sa.select(Group))
        if {session.mode for session in group.sessions} == set(SessionMode)
        and any(session.attendance for session in group.sessions)
    )
    for session in group.sessions:
        if session.mode == SessionMode.PHYSICAL:
            assert session.venue is not None and not session.video_link
        else:
            assert session.venue is None and session.video_link.startswith("https://")
        for row in session.attendance:
            assert (row.guardian_present is not None) == session.guardians_attend
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Attendance)) >= 100


def test_absence_is_recorded_before_and_after(db_session: OrmSession) -> None:
    load_demo(db_session, now=NOW)

    records = list(db_session.scalars(sa.select(AbsenceRecord)))
    by_pupil: dict[int, dict[PeriodKind, AbsenceRecord]] = {}
    for record in records:
        by_pupil.setdefault(record.pupil_id, {})[record.period] = record
        assert record.ends_on < NOW.date()
        assert record.school_days >= 1
        assert record.days_documented + record.days_undocumented <= record.school_days
        assert record.hours_documented + record.hours_undocumented <= record.teaching_hours
    both = [periods for periods in by_pupil.values() if len(periods) >= 2]
    assert len(both) >= 5

    def day_share(record: AbsenceRecord) -> float:
        return (record.days_documented + record.days_undocumented) / record.school_days

    before = sum(day_share(p[PeriodKind.BASELINE]) for p in both) / len(both)
    after = sum(day_share(p[PeriodKind.POST]) for p in both) / len(both)
    assert after < before


@pytest.mark.parametrize(
    "now",
    [
        NOW,
        datetime(2027, 3, 10, 9, 0, tzinfo=UTC),
        datetime(2027, 7, 15, 9, 0, tzinfo=UTC),
        datetime(2027, 10, 20, 9, 0, tzinfo=UTC),
    ],
)
def test_no_session_on_a_closed_day(db_session: OrmSession, now: datetime) -> None:
    load_demo(db_session, now=now)

    periods = list(db_session.scalars(sa.select(ClosedPeriod)))
    assert {period.kind.value for period in periods} >= {
        "autumn",
        "christmas",
        "winter",
        "easter",
        "summer",
    }
    sessions = list(db_session.scalars(sa.select(Session)))
    public_holidays = holidays.country_holidays("NO", years=range(now.year - 1, now.year + 2))
    assert sessions
    for session in sessions:
        day = to_oslo(session.starts_at).date()
        assert day.weekday() < 5
        assert day not in public_holidays, session.title
        assert not any(p.starts_on <= day <= p.ends_on for p in periods), session.title
    changes = db_session.scalars(sa.select(ReferralStatusChange.created_at))
    assert all(moment <= now for moment in changes)
