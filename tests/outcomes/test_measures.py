"""The SQL aggregates against a slow reference computed in Python, and the completion rule."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from mestring.attendance.enums import AttendanceStatus
from mestring.attendance.models import Attendance
from mestring.core.pagination import paginate
from mestring.groups.enums import GroupStatus
from mestring.models import AbsenceRecord, Group, GroupMembership, Referral, School, Term
from mestring.outcomes.enums import PeriodKind
from mestring.outcomes.measures import (
    Dimension,
    OutcomeFilters,
    OutcomeRow,
    outcome_rows,
    placed_memberships,
    placed_pupils_page,
    placed_pupils_statement,
)
from mestring.referrals.enums import ReferralStatus
from mestring.scheduling.enums import SessionStatus
from tests import factories as f
from tests.outcomes.conftest import NOW, Generated, generate_programme, session_on

# -- The slow reference -------------------------------------------------------------------------


def _pct(record: AbsenceRecord) -> float:
    return (record.days_documented + record.days_undocumented) * 100.0 / record.school_days


def _worrying(record: AbsenceRecord) -> bool:
    days = record.days_documented + record.days_undocumented
    hours = record.hours_documented + record.hours_undocumented
    return Fraction(days, record.school_days) >= Fraction(1, 10) or (
        record.teaching_hours > 0 and Fraction(hours, record.teaching_hours) >= Fraction(1, 10)
    )


def reference_placements(db: OrmSession, district_id: int, now: datetime) -> list[dict[str, Any]]:
    memberships = db.scalars(
        sa.select(GroupMembership).join(Group).where(Group.district_id == district_id)
    ).all()
    records: dict[tuple[int, PeriodKind], AbsenceRecord] = {
        (r.pupil_id, r.period): r for r in db.scalars(sa.select(AbsenceRecord))
    }
    rows = []
    for membership in memberships:
        group, referral, pupil_id = membership.group, membership.referral, membership.pupil_id
        children = [
            s
            for s in group.sessions
            if s.status is not SessionStatus.CANCELLED and not s.guardians_attend
        ]
        held = [s for s in children if s.status is SessionStatus.HELD or s.attendance]
        to_come = [s for s in children if s not in held and s.starts_at > now]
        marks = [a for s in held for a in s.attendance if a.pupil_id == pupil_id]
        present = sum(1 for a in marks if a.status is AttendanceStatus.PRESENT)
        course_over = group.status is GroupStatus.FINISHED or not to_come
        completed = (
            referral.status is not ReferralStatus.DISCONTINUED
            and course_over
            and bool(held)
            and Fraction(present, len(held)) >= Fraction(3, 4)
        )
        first = min((s.starts_at for s in children), default=None)
        before = records.get((pupil_id, PeriodKind.BASELINE))
        after = records.get((pupil_id, PeriodKind.POST))
        follow_up = records.get((pupil_id, PeriodKind.FOLLOW_UP))
        rows.append(
            {
                "term": group.term_id,
                "group": group.id,
                "school": referral.school_id,
                "completed": completed,
                "discontinued": referral.status is ReferralStatus.DISCONTINUED,
                "present": present,
                "marks": len(marks),
                "waiting": (first - referral.submitted_at) / timedelta(days=1) if first else None,
                "before": before if before and after else None,
                "after": after if before and after else None,
                "fu_before": before if before and follow_up else None,
                "fu": follow_up if before and follow_up else None,
            }
        )
    return rows


def reference_referred(db: OrmSession, district_id: int) -> list[dict[str, Any]]:
    terms = db.scalars(sa.select(Term).where(Term.district_id == district_id)).all()
    result = []
    for referral in db.scalars(
        sa.select(Referral).join(School).where(School.district_id == district_id)
    ):
        if referral.status is ReferralStatus.DRAFT or referral.submitted_at is None:
            continue
        membership = referral.membership
        term = membership.group.term_id if membership else None
        if term is None and referral.planned_start:
            term = next(
                (
                    t.id
                    for t in sorted(terms, key=lambda t: t.starts_on)
                    if t.starts_on <= referral.planned_start <= t.ends_on
                ),
                None,
            )
        result.append(
            {
                "term": term,
                "group": membership.group_id if membership else None,
                "school": referral.school_id,
            }
        )
    return result


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def reference_row(rows: list[dict[str, Any]], referred: int) -> dict[str, Any]:
    measured = [r for r in rows if r["before"]]
    follow = [r for r in rows if r["fu"]]
    waiting = [r["waiting"] for r in rows if r["waiting"] is not None]
    marks = sum(r["marks"] for r in rows)
    return {
        "referred": referred,
        "placed": len(rows),
        "completed": sum(r["completed"] for r in rows),
        "discontinued": sum(r["discontinued"] for r in rows),
        "waiting_known": len(waiting),
        "waiting_median_days": _median(waiting),
        "attendance_rate": sum(r["present"] for r in rows) * 100.0 / marks if marks else None,
        "measured": len(measured),
        "before_mean": _mean([_pct(r["before"]) for r in measured]),
        "before_median": _median([_pct(r["before"]) for r in measured]),
        "after_mean": _mean([_pct(r["after"]) for r in measured]),
        "after_median": _median([_pct(r["after"]) for r in measured]),
        "worrying_before": sum(_worrying(r["before"]) for r in measured),
        "worrying_after": sum(_worrying(r["after"]) for r in measured),
        "follow_up_measured": len(follow),
        "follow_up_before_mean": _mean([_pct(r["fu_before"]) for r in follow]),
        "follow_up_mean": _mean([_pct(r["fu"]) for r in follow]),
        "follow_up_median": _median([_pct(r["fu"]) for r in follow]),
        "worrying_follow_up": sum(_worrying(r["fu"]) for r in follow),
    }


def assert_row_matches(row: OutcomeRow, expected: dict[str, Any]) -> None:
    for name, value in expected.items():
        actual = getattr(row, name)
        if value is None or isinstance(value, int):
            assert actual == value, (row.label, name)
        else:
            assert actual == pytest.approx(value, abs=1e-6), (row.label, name)


def _matches(filters: OutcomeFilters, item: dict[str, Any]) -> bool:
    return all(
        wanted is None or item[dim] == wanted
        for dim, wanted in (
            ("term", filters.term_id),
            ("school", filters.school_id),
            ("group", filters.group_id),
        )
    )


def check_against_reference(db: OrmSession, data: Generated, filters: OutcomeFilters) -> None:
    placements = [
        r for r in reference_placements(db, data.district.id, NOW) if _matches(filters, r)
    ]
    referred = [r for r in reference_referred(db, data.district.id) if _matches(filters, r)]
    programme = outcome_rows(
        db, district_id=data.district.id, dimension=Dimension.PROGRAMME, filters=filters, now=NOW
    )
    assert len(programme) == 1
    assert_row_matches(programme[0], reference_row(placements, len(referred)))
    for dimension in (Dimension.TERM, Dimension.GROUP, Dimension.SCHOOL):
        key = dimension.value
        keys = {r[key] for r in placements} | {r[key] for r in referred}
        keys.discard(None)
        rows = outcome_rows(
            db, district_id=data.district.id, dimension=dimension, filters=filters, now=NOW
        )
        assert {row.key for row in rows} == keys, dimension
        for row in rows:
            assert_row_matches(
                row,
                reference_row(
                    [r for r in placements if r[key] == row.key],
                    sum(1 for r in referred if r[key] == row.key),
                ),
            )


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_sql_aggregates_match_the_slow_reference(db_session: OrmSession, seed: int) -> None:
    data = generate_programme(db_session, seed)
    db_session.expire_all()
    check_against_reference(db_session, data, OutcomeFilters())
    group = data.groups[0]
    check_against_reference(db_session, data, OutcomeFilters(term_id=group.term_id))
    check_against_reference(db_session, data, OutcomeFilters(school_id=data.schools[1].id))
    check_against_reference(db_session, data, OutcomeFilters(group_id=group.id))


def test_generated_data_exercises_every_measure(db_session: OrmSession) -> None:
    """The reference test would prove little on data without medians or completers."""
    data = generate_programme(db_session, 1)
    [row] = outcome_rows(
        db_session,
        district_id=data.district.id,
        dimension=Dimension.PROGRAMME,
        filters=OutcomeFilters(),
        now=NOW,
    )
    assert row.placed >= 10
    assert row.completed > 0 and row.discontinued > 0
    assert row.measured >= 2 and row.follow_up_measured >= 2
    assert row.waiting_median_days is not None and row.before_median is not None


def test_other_districts_are_not_counted(db_session: OrmSession) -> None:
    data = generate_programme(db_session, 5)
    other = generate_programme(db_session, 6)
    [row] = outcome_rows(
        db_session,
        district_id=data.district.id,
        dimension=Dimension.PROGRAMME,
        filters=OutcomeFilters(),
        now=NOW,
    )
    assert row.placed == len(data.pupils)
    assert other.district.id != data.district.id


def _percents(db_session: OrmSession) -> dict[tuple[int, str], float]:
    return {(r.pupil_id, r.period): _pct(r) for r in db_session.scalars(sa.select(AbsenceRecord))}


def test_the_pupil_table_pages_through_every_placed_pupil_with_their_absence(
    db_session: OrmSession,
) -> None:
    data = generate_programme(db_session, 2)
    db_session.expire_all()
    memberships = placed_memberships(db_session, data.district.id, OutcomeFilters())
    shown = [
        outcome
        for number in range(1, len(memberships) // 7 + 2)
        for outcome in placed_pupils_page(db_session, memberships, number, per_page=7).items
    ]
    percents = _percents(db_session)
    in_district = db_session.scalars(
        sa.select(GroupMembership).join(Group).where(Group.district_id == data.district.id)
    ).all()
    assert len(shown) == len(in_district) > 0
    for outcome in shown:
        expected = [percents.get((outcome.pupil_id, period)) for period in PeriodKind]
        assert [outcome.before, outcome.after, outcome.follow_up] == pytest.approx(expected)
    assert any(o.before is not None and o.after is not None for o in shown)
    assert any(o.follow_up is not None for o in shown)
    assert any(o.before is None for o in shown)


def test_a_page_of_pupils_is_the_page_paginate_gives(db_session: OrmSession) -> None:
    data = generate_programme(db_session, 2)
    db_session.expire_all()
    district_id = data.district.id
    percents = _percents(db_session)
    some_group = db_session.scalar(sa.select(Group.id).where(Group.district_id == district_id))
    for filters in (OutcomeFilters(), OutcomeFilters(group_id=some_group)):
        statement = placed_pupils_statement(district_id, filters)
        memberships = placed_memberships(db_session, district_id, filters)
        for number in (-1, 1, 2, 3, 99):
            expected = paginate(db_session, statement, number, per_page=7)
            page = placed_pupils_page(db_session, memberships, number, per_page=7)
            assert (page.page, page.per_page, page.total) == (
                expected.page,
                expected.per_page,
                expected.total,
            )
            assert [(o.pupil_id, o.name, o.school, o.group) for o in page.items] == [
                (pupil_id, f"{first} {last}", school, group)
                for pupil_id, first, last, school, group in expected.items
            ]
            for outcome in page.items:
                assert [outcome.before, outcome.after, outcome.follow_up] == pytest.approx(
                    [percents.get((outcome.pupil_id, period)) for period in PeriodKind]
                )
    memberships = placed_memberships(db_session, district_id, OutcomeFilters())
    assert len(memberships) > 14
    assert placed_pupils_page(db_session, memberships, 2, per_page=7).items
    empty = placed_pupils_page(db_session, [], 3, per_page=7)
    assert (empty.items, empty.page, empty.total) == ([], 1, 0)


def test_the_placed_memberships_are_the_rows_of_the_statement_in_order(
    db_session: OrmSession,
) -> None:
    data = generate_programme(db_session, 2)
    db_session.expire_all()
    filters = OutcomeFilters()
    statement = placed_pupils_statement(data.district.id, filters).add_columns(GroupMembership.id)
    expected = [row[-1] for row in db_session.execute(statement)]
    assert placed_memberships(db_session, data.district.id, filters) == expected


# -- The completion rule on hand-made cases -----------------------------------------------------


def _group_with_sessions(statuses: list[SessionStatus], *, finished: bool = True) -> Group:
    group = f.GroupFactory(status=GroupStatus.FINISHED if finished else GroupStatus.RUNNING)
    day = NOW.date() - timedelta(days=60)
    for number, status in enumerate(statuses):
        session_on(group, day + timedelta(days=number), status=status, position=number + 1)
    return group


def _attend(db: OrmSession, group: Group, pupil_id: int, present: int) -> None:
    held = [s for s in group.sessions if s.status is SessionStatus.HELD]
    for number, session in enumerate(held):
        status = AttendanceStatus.PRESENT if number < present else AttendanceStatus.ABSENT
        db.add(Attendance(session=session, pupil_id=pupil_id, status=status))
    db.flush()


def _completed(db: OrmSession, group: Group) -> int:
    [row] = outcome_rows(
        db,
        district_id=group.district_id,
        dimension=Dimension.PROGRAMME,
        filters=OutcomeFilters(group_id=group.id),
        now=NOW,
    )
    return row.completed


@pytest.mark.parametrize(("present", "completed"), [(6, 1), (5, 0), (8, 1), (0, 0)])
def test_completed_means_present_at_75_percent_of_held_sessions(
    db_session: OrmSession, present: int, completed: int
) -> None:
    """8 held sessions: 6 present is exactly 75 % and completes; 5 (62.5 %) does not.
    A cancelled session and a parent meeting do not count toward the 8."""
    held = [SessionStatus.HELD] * 8
    group = _group_with_sessions([*held, SessionStatus.CANCELLED])
    session_on(
        group,
        NOW.date() - timedelta(days=30),
        status=SessionStatus.HELD,
        position=20,
        guardians_attend=True,
    )
    membership = f.MembershipFactory(group=group)
    children = [s for s in group.sessions if not s.guardians_attend]
    for number, session in enumerate(s for s in children if s.status is SessionStatus.HELD):
        status = AttendanceStatus.PRESENT if number < present else AttendanceStatus.ABSENT
        db_session.add(Attendance(session=session, pupil_id=membership.pupil_id, status=status))
    parent = next(s for s in group.sessions if s.guardians_attend)
    db_session.add(
        Attendance(
            session=parent,
            pupil_id=membership.pupil_id,
            status=AttendanceStatus.PRESENT,
            guardian_present=True,
        )
    )
    db_session.flush()
    assert _completed(db_session, group) == completed


def test_a_discontinued_pupil_has_not_completed(db_session: OrmSession) -> None:
    group = _group_with_sessions([SessionStatus.HELD] * 4)
    membership = f.MembershipFactory(group=group, referral__status=ReferralStatus.DISCONTINUED)
    _attend(db_session, group, membership.pupil_id, present=4)
    assert _completed(db_session, group) == 0


def test_nobody_completes_while_sessions_are_still_to_come(db_session: OrmSession) -> None:
    group = _group_with_sessions([SessionStatus.HELD] * 4, finished=False)
    session_on(group, NOW.date() + timedelta(days=3), position=9)
    membership = f.MembershipFactory(group=group)
    _attend(db_session, group, membership.pupil_id, present=4)
    assert _completed(db_session, group) == 0
    group.status = GroupStatus.FINISHED
    db_session.flush()
    assert _completed(db_session, group) == 1


def test_the_course_is_over_once_its_last_session_has_passed(db_session: OrmSession) -> None:
    """The same (cached) statement, computed for two moments."""
    group = _group_with_sessions([SessionStatus.HELD] * 4, finished=False)
    session_on(group, NOW.date() + timedelta(days=3), position=9)
    membership = f.MembershipFactory(group=group)
    _attend(db_session, group, membership.pupil_id, present=4)
    completed = [
        outcome_rows(
            db_session,
            district_id=group.district_id,
            dimension=Dimension.PROGRAMME,
            filters=OutcomeFilters(group_id=group.id),
            now=now,
        )[0].completed
        for now in (NOW, NOW + timedelta(days=5), NOW)
    ]
    assert completed == [0, 1, 0]


def test_a_planned_session_with_attendance_counts_as_held(db_session: OrmSession) -> None:
    """Facilitators may record attendance without marking the session held."""
    group = _group_with_sessions([SessionStatus.HELD] * 3 + [SessionStatus.PLANNED])
    membership = f.MembershipFactory(group=group)
    _attend(db_session, group, membership.pupil_id, present=3)  # the three held ones
    assert _completed(db_session, group) == 1  # 3 of 3 held so far
    planned = next(s for s in group.sessions if s.status is SessionStatus.PLANNED)
    db_session.add(
        Attendance(session=planned, pupil_id=membership.pupil_id, status=AttendanceStatus.ABSENT)
    )
    db_session.flush()
    assert _completed(db_session, group) == 1  # 3 of 4 is 75 %


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(db_session: OrmSession) -> None:
    group = _group_with_sessions([SessionStatus.HELD])
    for days_absent in (1, 2, 5, 9):
        membership = f.MembershipFactory(group=group)
        f.AbsenceRecordFactory(
            pupil=membership.pupil, school_days=50, days_documented=days_absent, days_undocumented=0
        )
        f.AbsenceRecordFactory(
            pupil=membership.pupil,
            period=PeriodKind.POST,
            starts_on=membership.pupil.created_at.date(),
            ends_on=membership.pupil.created_at.date() + timedelta(days=60),
            school_days=50,
            days_documented=0,
            days_undocumented=0,
        )
    [row] = outcome_rows(
        db_session,
        district_id=group.district_id,
        dimension=Dimension.PROGRAMME,
        filters=OutcomeFilters(),
        now=NOW,
    )
    assert row.measured == 4
    assert row.before_median == pytest.approx(7.0)  # 2, 4, 10 and 18 %: (4 + 10) / 2
