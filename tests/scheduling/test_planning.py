"""Laying templates out: school holidays, public holidays, summer time, the hybrid pattern."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from mestring.attendance.enums import AttendanceStatus
from mestring.attendance.models import Attendance
from mestring.core.errors import DomainError
from mestring.core.time import OSLO
from mestring.groups.enums import SessionMode
from mestring.scheduling.calendar_days import ClosedDays, ClosedSpan
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import ClosedPeriod, Session
from mestring.scheduling.planning import WeeklyPattern, generate_plan, plan_slots
from mestring.scheduling.services import load_school_holidays, read_school_holidays
from tests import factories as f
from tests.conftest import World
from tests.scheduling.conftest import NOW, shipped_template, weekly_template

OSLO_SCHOOL_HOLIDAYS = ClosedDays(
    tuple(ClosedSpan(p.name, p.starts_on, p.ends_on) for p in read_school_holidays())
)


def days_of(template_weeks: int, start: str, weekday: int = 1) -> list[date]:
    template = weekly_template(template_weeks, weekday=weekday)
    slots = plan_slots(
        template.sessions,
        WeeklyPattern.of(template),
        date.fromisoformat(start),
        OSLO_SCHOOL_HOLIDAYS,
    )
    return [slot.day for slot in slots]


def test_autumn_break_in_week_40_is_skipped() -> None:
    days = days_of(4, "2026-09-15")
    assert days == [date(2026, 9, 15), date(2026, 9, 22), date(2026, 10, 6), date(2026, 10, 13)]
    assert all(d.isocalendar().week != 40 for d in days)


def test_christmas_break_is_skipped() -> None:
    assert days_of(3, "2026-12-08") == [date(2026, 12, 8), date(2026, 12, 15), date(2027, 1, 5)]


def test_winter_break_in_week_8_is_skipped() -> None:
    days = days_of(3, "2027-02-09")
    assert days == [date(2027, 2, 9), date(2027, 2, 16), date(2027, 3, 2)]
    assert all(d.isocalendar().week != 8 for d in days)


def test_easter_break_and_maundy_thursday_are_skipped() -> None:
    # Thursdays: 25 March 2027 is Maundy Thursday, inside the Easter break.
    assert days_of(3, "2027-03-15", weekday=3) == [
        date(2027, 3, 18),
        date(2027, 4, 1),
        date(2027, 4, 8),
    ]


def test_17_may_is_skipped_by_the_holidays_package_alone() -> None:
    template = weekly_template(2, weekday=0)
    slots = plan_slots(
        template.sessions, WeeklyPattern.of(template), date(2027, 5, 10), ClosedDays()
    )
    assert [slot.day for slot in slots] == [date(2027, 5, 10), date(2027, 5, 24)]


def test_ascension_day_is_skipped_by_the_holidays_package() -> None:
    template = weekly_template(2, weekday=3)
    slots = plan_slots(
        template.sessions, WeeklyPattern.of(template), date(2027, 4, 29), ClosedDays()
    )
    assert [slot.day for slot in slots] == [date(2027, 4, 29), date(2027, 5, 13)]


def test_times_stay_13_oslo_across_the_end_of_summer_time() -> None:
    template = weekly_template(3)
    slots = plan_slots(template.sessions, WeeklyPattern.of(template), date(2026, 10, 20), ())
    assert [s.starts_at for s in slots] == [
        datetime(2026, 10, 20, 11, 0, tzinfo=UTC),  # CEST, UTC+2
        datetime(2026, 10, 27, 12, 0, tzinfo=UTC),  # CET, UTC+1 from 25 October
        datetime(2026, 11, 3, 12, 0, tzinfo=UTC),
    ]
    assert {s.starts_at.astimezone(OSLO).time() for s in slots} == {time(13, 0)}
    assert all(s.ends_at - s.starts_at == timedelta(minutes=90) for s in slots)


def test_times_stay_13_oslo_across_the_start_of_summer_time() -> None:
    template = weekly_template(2)
    slots = plan_slots(template.sessions, WeeklyPattern.of(template), date(2027, 3, 23), ())
    assert [s.starts_at for s in slots] == [
        datetime(2027, 3, 23, 12, 0, tzinfo=UTC),  # CET
        datetime(2027, 3, 30, 11, 0, tzinfo=UTC),  # CEST from 28 March
    ]


def test_hybrid_template_gives_one_physical_and_one_digital_session_a_week() -> None:
    template = shipped_template("Mestrende barn – hybrid")
    slots = plan_slots(
        template.sessions, WeeklyPattern.of(template), date(2027, 1, 11), OSLO_SCHOOL_HOLIDAYS
    )
    children = [s for s in slots if not s.template_session.guardians_attend]
    weeks: dict[int, Counter[SessionMode]] = {}
    for slot in children:
        weeks.setdefault(slot.day.isocalendar().week, Counter())[slot.template_session.mode] += 1
    assert len(weeks) == 8
    assert all(
        modes == {SessionMode.PHYSICAL: 1, SessionMode.DIGITAL: 1} for modes in weeks.values()
    )
    assert 8 not in weeks  # winter break
    physical = [s for s in children if s.template_session.mode is SessionMode.PHYSICAL]
    digital = [s for s in children if s.template_session.mode is SessionMode.DIGITAL]
    assert {s.starts_at.astimezone(OSLO).strftime("%a %H:%M") for s in physical} == {"Tue 13:00"}
    assert {s.starts_at.astimezone(OSLO).strftime("%a %H:%M") for s in digital} == {"Thu 18:00"}


def test_parent_meetings_follow_the_guardian_pattern() -> None:
    template = shipped_template("Mestrende barn – hybrid")
    slots = plan_slots(template.sessions, WeeklyPattern.of(template), date(2027, 1, 11), ())
    parents = [s for s in slots if s.template_session.guardians_attend]
    assert len(parents) == 5
    assert {s.starts_at.astimezone(OSLO).strftime("%a %H:%M") for s in parents} == {"Wed 18:00"}


def test_a_calendar_closed_for_ever_is_refused() -> None:
    template = weekly_template(1)
    closed = ClosedDays((ClosedSpan("Stengt", date(2027, 1, 1), date(2030, 1, 1)),))
    with pytest.raises(DomainError):
        plan_slots(template.sessions, WeeklyPattern.of(template), date(2027, 1, 4), closed)


# --- generate_plan ----------------------------------------------------------------------------


def group_with(world: World, db_session: OrmSession, sessions: int) -> None:
    world.group.template = weekly_template(sessions)
    world.group.venue = f.VenueFactory(district=world.group.district)
    world.group.video_link = "https://video.example.no/gruppe"
    db_session.delete(world.session)
    db_session.flush()
    db_session.expire(world.group, ["sessions"])


def test_generate_plan_lays_out_the_template_and_skips_the_districts_closed_periods(
    world: World, db_session: OrmSession
) -> None:
    group_with(world, db_session, 3)
    assert load_school_holidays(db_session, district=world.group.district) == 18
    created = generate_plan(
        db_session, actor=world.coordinator, group=world.group, start=date(2026, 9, 22), now=NOW
    )
    assert [s.starts_at.astimezone(OSLO).date() for s in created] == [
        date(2026, 9, 22),
        date(2026, 10, 6),
        date(2026, 10, 13),
    ]
    assert [s.position for s in created] == [1, 2, 3]
    assert all(s.venue_id == world.group.venue_id and s.video_link == "" for s in created)
    assert world.group.starts_on == date(2026, 9, 22)


def test_regenerating_keeps_sessions_with_attendance_and_replaces_the_rest(
    world: World, db_session: OrmSession
) -> None:
    group_with(world, db_session, 4)
    first = generate_plan(
        db_session, actor=world.coordinator, group=world.group, start=date(2026, 9, 1), now=NOW
    )
    db_session.add(Attendance(session=first[0], pupil=world.pupil, status=AttendanceStatus.PRESENT))
    db_session.flush()
    replaced = first[1:]

    later = NOW + timedelta(days=7)
    created = generate_plan(
        db_session, actor=world.coordinator, group=world.group, start=date(2026, 11, 2), now=later
    )
    remaining = db_session.scalars(
        sa.select(Session).where(Session.group_id == world.group.id).order_by(Session.starts_at)
    ).all()
    assert [s.position for s in remaining] == [1, 2, 3, 4]
    assert remaining[0].id == first[0].id
    assert len(remaining[0].attendance) == 1
    assert [s.starts_at.astimezone(OSLO).date() for s in remaining[1:]] == [
        date(2026, 11, 3),
        date(2026, 11, 10),
        date(2026, 11, 17),
    ]
    assert {s.id for s in created} == {s.id for s in remaining[1:]}
    assert all(sa.inspect(s).was_deleted for s in replaced)


def test_regenerating_cannot_start_before_a_session_that_was_held(
    world: World, db_session: OrmSession
) -> None:
    group_with(world, db_session, 2)
    first = generate_plan(
        db_session, actor=world.coordinator, group=world.group, start=date(2026, 9, 1), now=NOW
    )
    first[0].status = SessionStatus.HELD
    db_session.flush()
    with pytest.raises(DomainError, match=r"must start after 1\. september 2026,"):
        generate_plan(
            db_session, actor=world.coordinator, group=world.group, start=date(2026, 9, 1), now=NOW
        )
    assert len(world.group.sessions) == 2


def test_a_plan_cannot_start_in_the_past(world: World, db_session: OrmSession) -> None:
    group_with(world, db_session, 2)
    with pytest.raises(DomainError, match="past"):
        generate_plan(
            db_session, actor=world.coordinator, group=world.group, start=date(2026, 8, 1), now=NOW
        )


def test_loading_school_holidays_twice_adds_nothing_the_second_time(
    world: World, db_session: OrmSession
) -> None:
    district = world.group.district
    assert load_school_holidays(db_session, district=district) == 18
    assert load_school_holidays(db_session, district=district) == 0
    kinds = db_session.scalars(
        sa.select(ClosedPeriod.kind).where(ClosedPeriod.district_id == district.id)
    ).all()
    assert Counter(kinds)["autumn"] == 3


def test_standard_template_meets_twice_a_week() -> None:
    """Mestrende barn standard: physical sessions on Tuesday and Thursday, about ten weeks."""
    template = shipped_template("Mestrende barn – standard")
    children = [s for s in template.sessions if not s.guardians_attend]
    slots = [
        slot
        for slot in plan_slots(template.sessions, WeeklyPattern.of(template), date(2027, 1, 11), ())
        if not slot.template_session.guardians_attend
    ]
    assert len(slots) == len(children)
    assert {slot.day.weekday() for slot in slots} == {1, 3}
    per_week = Counter(slot.day.isocalendar().week for slot in slots)
    assert len(per_week) <= 10  # "16 to 20 group sessions over about 10 weeks"
    assert max(per_week.values()) == 2
