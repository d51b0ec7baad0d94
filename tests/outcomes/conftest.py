"""Outcome fixtures: a clock, English pages, a placed pupil with course dates, generated data."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring.attendance.enums import AttendanceStatus
from mestring.attendance.models import Attendance
from mestring.core.time import oslo_to_utc
from mestring.groups.enums import GroupStatus, SessionMode
from mestring.models import District, Group, Pupil, School
from mestring.outcomes.enums import PeriodKind
from mestring.referrals.enums import ReferralStatus
from mestring.scheduling.enums import SessionStatus
from tests import factories as f
from tests.conftest import World

NOW = datetime(2027, 9, 1, 10, 0, tzinfo=UTC)
# The world's group runs from 2 February to 20 April 2027 (children's sessions).
FIRST_DAY = date(2027, 2, 2)
LAST_DAY = date(2027, 4, 20)


def in_english(client: FlaskClient) -> None:
    """UI text in English (the msgids), so assertions do not depend on translations."""
    client.post("/language", data={"language": "en", "next": "/"})


def session_on(group: Group, day: date, **kwargs: object) -> object:
    starts_at = oslo_to_utc(day, time(13, 0))
    return f.SessionFactory(
        group=group, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=90), **kwargs
    )


@pytest.fixture
def course(world: World) -> World:
    """The world's group gets a first and a last children's session (and a parent meeting
    after the last, which does not count), so that its pupil's periods can be proposed."""
    world.session.starts_at = oslo_to_utc(FIRST_DAY, time(13, 0))
    world.session.ends_at = world.session.starts_at + timedelta(minutes=90)
    session_on(world.group, LAST_DAY)
    session_on(world.group, LAST_DAY + timedelta(days=7), guardians_attend=True)
    session_on(world.group, LAST_DAY + timedelta(days=14), status=SessionStatus.CANCELLED)
    return world


def csv_row(ref: str, period: str = "baseline", **overrides: object) -> str:
    values: dict[str, object] = {
        "start": "2026-11-02" if period == "baseline" else "2027-04-21",
        "end": "2027-02-01" if period == "baseline" else "2027-07-20",
        "school_days": 55,
        "teaching_hours": 275,
        "days_documented": 4,
        "days_undocumented": 3,
        "hours_documented": 10,
        "hours_undocumented": 5,
        "late_arrivals": 6,
    }
    values.update(overrides)
    return ",".join(str(v) for v in (ref, period, *values.values()))


@dataclass
class Generated:
    district: District
    schools: list[School]
    groups: list[Group]
    pupils: list[Pupil]


def generate_programme(db: OrmSession, seed: int, now: datetime = NOW) -> Generated:
    """Random terms, groups, sessions, attendance, referrals and absence for the slow reference."""
    rng = random.Random(seed)
    district = f.DistrictFactory()
    schools = [f.SchoolFactory(district=district) for _ in range(3)]
    terms = [
        f.TermFactory(district=district, starts_on=date(2026, 8, 17), ends_on=date(2026, 12, 20)),
        f.TermFactory(district=district, starts_on=date(2027, 1, 4), ends_on=date(2027, 6, 18)),
    ]
    groups, pupils = [], []
    for index in range(5):
        term = terms[index % 2]
        group = f.GroupFactory(
            district=district,
            term=term,
            status=rng.choice([GroupStatus.RUNNING, GroupStatus.FINISHED, GroupStatus.FINISHED]),
        )
        groups.append(group)
        start = term.starts_on + timedelta(days=rng.randint(10, 40))
        sessions = []
        for number in range(rng.randint(0, 10)):
            day = start + timedelta(days=3 * number)
            starts_at = oslo_to_utc(day, time(13, 0))
            status = rng.choice(
                [
                    SessionStatus.HELD,
                    SessionStatus.HELD,
                    SessionStatus.PLANNED,
                    SessionStatus.CANCELLED,
                ]
            )
            sessions.append(
                f.SessionFactory(
                    group=group,
                    position=number + 1,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=90),
                    status=status,
                    mode=SessionMode.DIGITAL if number % 2 else SessionMode.PHYSICAL,
                    guardians_attend=rng.random() < 0.15,
                )
            )
        for _ in range(rng.randint(1, 9)):
            school = rng.choice(schools)
            referral = f.ReferralFactory(
                pupil=f.PupilFactory(school=school),
                status=rng.choice(
                    [ReferralStatus.PLACED, ReferralStatus.COMPLETED, ReferralStatus.DISCONTINUED]
                ),
                submitted_at=oslo_to_utc(start - timedelta(days=rng.randint(5, 120)), time(9)),
            )
            pupil = referral.pupil
            pupils.append(pupil)
            f.MembershipFactory(group=group, referral=referral)
            for session in sessions:
                recorded = session.status is SessionStatus.HELD or (
                    session.status is SessionStatus.PLANNED and rng.random() < 0.3
                )
                if recorded and rng.random() < 0.9:
                    db.add(
                        Attendance(
                            session=session,
                            pupil=pupil,
                            status=rng.choice(
                                [AttendanceStatus.PRESENT] * 12
                                + [AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED]
                            ),
                        )
                    )
            for kind in PeriodKind:
                if rng.random() < 0.75:
                    school_days = rng.randint(1, 70)
                    days = rng.randint(0, school_days)
                    documented = rng.randint(0, days)
                    hours = rng.randint(0, 300)
                    absent_hours = rng.randint(0, hours)
                    f.AbsenceRecordFactory(
                        pupil=pupil,
                        period=kind,
                        school_days=school_days,
                        days_documented=documented,
                        days_undocumented=days - documented,
                        teaching_hours=hours,
                        hours_documented=absent_hours // 2,
                        hours_undocumented=absent_hours - absent_hours // 2,
                    )
    # Referrals that were never placed: waitlisted in a term, outside any term, and drafts.
    for _ in range(6):
        f.ReferralFactory(
            pupil=f.PupilFactory(school=rng.choice(schools)),
            status=rng.choice([ReferralStatus.SUBMITTED, ReferralStatus.ACCEPTED]),
            planned_start=rng.choice([date(2027, 1, 4), date(2026, 9, 1), date(2026, 7, 1), None]),
        )
    f.ReferralFactory(
        pupil=f.PupilFactory(school=schools[0]), status=ReferralStatus.DRAFT, submitted_at=None
    )
    db.flush()
    return Generated(district=district, schools=schools, groups=groups, pupils=pupils)
