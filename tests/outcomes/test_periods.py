"""Measurement periods proposed from a group's dates, their status, and the percentages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mestring.models import AbsenceRecord
from mestring.outcomes.enums import PeriodKind
from mestring.outcomes.periods import (
    CourseDates,
    MeasurementStatus,
    Period,
    add_months,
    fit_problem,
    measurement_status,
    proposed_periods,
)
from mestring.outcomes.services import AbsenceInput, figure_problems

COURSE = CourseDates(first_day=date(2027, 2, 2), last_day=date(2027, 4, 20))


def test_periods_are_proposed_from_the_first_and_last_session() -> None:
    periods = proposed_periods(COURSE)
    assert periods[PeriodKind.BASELINE] == Period(
        PeriodKind.BASELINE, date(2026, 11, 2), date(2027, 2, 1)
    )
    assert periods[PeriodKind.POST] == Period(PeriodKind.POST, date(2027, 4, 21), date(2027, 7, 20))
    assert periods[PeriodKind.FOLLOW_UP] == Period(
        PeriodKind.FOLLOW_UP, date(2027, 7, 21), date(2027, 10, 20)
    )


def test_no_proposal_without_sessions() -> None:
    assert set(proposed_periods(CourseDates(None, None)).values()) == {None}


def test_months_are_clipped_to_the_end_of_a_shorter_month() -> None:
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 3, 31), -1) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("kind", "starts_on", "ends_on", "fits"),
    [
        (PeriodKind.BASELINE, date(2026, 11, 2), date(2027, 2, 1), True),
        (PeriodKind.BASELINE, date(2026, 11, 2), date(2027, 2, 2), False),  # the first session
        (PeriodKind.POST, date(2027, 4, 21), date(2027, 7, 20), True),
        (PeriodKind.POST, date(2027, 4, 20), date(2027, 7, 20), False),  # the last session
        (PeriodKind.FOLLOW_UP, date(2027, 3, 1), date(2027, 9, 1), False),
    ],
)
def test_entered_dates_must_fit_the_group(
    kind: PeriodKind, starts_on: date, ends_on: date, fits: bool
) -> None:
    assert (fit_problem(kind, starts_on, ends_on, COURSE) is None) is fits


@pytest.mark.parametrize(
    ("today", "entered", "status"),
    [
        (date(2027, 7, 20), False, MeasurementStatus.UPCOMING),
        (date(2027, 7, 21), False, MeasurementStatus.DUE),
        (date(2027, 8, 17), False, MeasurementStatus.DUE),
        (date(2027, 8, 18), False, MeasurementStatus.MISSING),
        (date(2027, 5, 1), True, MeasurementStatus.ENTERED),
    ],
)
def test_a_period_is_upcoming_due_missing_or_entered(
    today: date, entered: bool, status: MeasurementStatus
) -> None:
    post = proposed_periods(COURSE)[PeriodKind.POST]
    assert measurement_status(post, entered, today) is status


def _input(**figures: int) -> AbsenceInput:
    values = dict.fromkeys(
        (
            "school_days",
            "teaching_hours",
            "days_documented",
            "days_undocumented",
            "hours_documented",
            "hours_undocumented",
            "late_arrivals",
        ),
        0,
    )
    values.update(figures)
    return AbsenceInput(starts_on=date(2026, 11, 2), ends_on=date(2027, 2, 1), **values)


def test_day_and_hour_percentages_are_computed_apart() -> None:
    """6 of 60 days is 10.0 %; 12 of 300 hours is 4.0 %; neither borrows from the other."""
    record = AbsenceRecord(
        school_days=60,
        days_documented=4,
        days_undocumented=2,
        teaching_hours=300,
        hours_documented=7,
        hours_undocumented=5,
        late_arrivals=9,
    )
    assert record.day_absence_percent == Decimal("10.0")
    assert record.hour_absence_percent == Decimal("4.0")
    assert record.is_worrying


def test_hours_alone_can_make_absence_worrying() -> None:
    record = AbsenceRecord(
        school_days=55,
        days_documented=0,
        days_undocumented=0,
        teaching_hours=275,
        hours_documented=20,
        hours_undocumented=8,
        late_arrivals=0,
    )
    assert record.day_absence_percent == Decimal("0.0")
    assert record.hour_absence_percent == Decimal("10.2")
    assert record.is_worrying


def test_a_period_with_zero_school_days_is_refused() -> None:
    assert "A period must have at least one school day." in figure_problems(_input(school_days=0))


def test_more_days_or_hours_absent_than_there_were_is_refused() -> None:
    problems = figure_problems(
        _input(
            school_days=10,
            days_documented=6,
            days_undocumented=5,
            teaching_hours=20,
            hours_documented=21,
        )
    )
    assert "More days absent than there were school days." in problems
    assert "More hours absent than there were teaching hours." in problems


def test_hours_are_not_checked_against_days() -> None:
    """40 single hours absent in a period of 5 school days is fine: they are never converted."""
    assert figure_problems(_input(school_days=5, teaching_hours=200, hours_undocumented=40)) == []


def test_negative_figures_are_refused() -> None:
    assert "No figure may be negative." in figure_problems(_input(school_days=5, late_arrivals=-1))
