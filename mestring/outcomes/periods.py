"""Measurement periods proposed from a group's dates, and whether each is due, entered or missing.

Proposals (DESIGN.md step 7):

- **baseline**: the 3 months before the group's first session, ending the day before it;
- **post**: the 3 months after the group's last session, starting the day after it;
- **follow-up** (optional): the 3 months that end 6 months after the last session, i.e. months
  4–6 after the course, so that it never overlaps the post period.

Entered dates need not match the proposal (schools report from their own systems), but they
must *fit the group*: a baseline ends before the first session, and post and follow-up periods
start after the last one.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from mestring.core.enums import LabelledEnum, set_labels
from mestring.core.translations import lazy_gettext as _l
from mestring.outcomes.enums import PeriodKind

PERIOD_MONTHS = 3
FOLLOW_UP_MONTHS = 6
# After a period ends the school has this long to enter it before it counts as missing.
GRACE_DAYS = 28


class MeasurementStatus(LabelledEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    MISSING = "missing"
    ENTERED = "entered"


set_labels(
    MeasurementStatus,
    {
        MeasurementStatus.UPCOMING: _l("Not over yet"),
        MeasurementStatus.DUE: _l("Due"),
        MeasurementStatus.MISSING: _l("Missing"),
        MeasurementStatus.ENTERED: _l("Entered"),
    },
)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clipped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    starts_on: date
    ends_on: date

    @property
    def optional(self) -> bool:
        return self.kind is PeriodKind.FOLLOW_UP


@dataclass(frozen=True)
class CourseDates:
    """The days of a group's first and last (not cancelled) session, in Oslo; None if unknown."""

    first_day: date | None
    last_day: date | None


def proposed_period(kind: PeriodKind, course: CourseDates) -> Period | None:
    """The default period of ``kind`` for a group with these dates; None if it cannot be known."""
    if kind is PeriodKind.BASELINE:
        if course.first_day is None:
            return None
        end = course.first_day - timedelta(days=1)
        return Period(kind, add_months(course.first_day, -PERIOD_MONTHS), end)
    if course.last_day is None:
        return None
    if kind is PeriodKind.POST:
        return Period(
            kind, course.last_day + timedelta(days=1), add_months(course.last_day, PERIOD_MONTHS)
        )
    starts = add_months(course.last_day, FOLLOW_UP_MONTHS - PERIOD_MONTHS) + timedelta(days=1)
    return Period(kind, starts, add_months(course.last_day, FOLLOW_UP_MONTHS))


def proposed_periods(course: CourseDates) -> dict[PeriodKind, Period | None]:
    return {kind: proposed_period(kind, course) for kind in PeriodKind}


def fit_problem(
    kind: PeriodKind, starts_on: date, ends_on: date, course: CourseDates
) -> str | None:
    """Why these dates do not fit the group, or None when they do."""
    if ends_on <= starts_on:
        return str(_l("The period must end after it starts."))
    if kind is PeriodKind.BASELINE:
        if course.first_day is None:
            return str(_l("The pupil's group has no sessions yet."))
        if ends_on >= course.first_day:
            return str(_l("A baseline period must end before the group's first session."))
        return None
    if course.last_day is None:
        return str(_l("The pupil's group has no sessions yet."))
    if starts_on <= course.last_day:
        return str(_l("This period must start after the group's last session."))
    return None


def measurement_status(period: Period | None, entered: bool, today: date) -> MeasurementStatus:
    """Entered; else not over yet, due (within the grace time after its end) or missing."""
    if entered:
        return MeasurementStatus.ENTERED
    if period is None or today <= period.ends_on:
        return MeasurementStatus.UPCOMING
    if today <= period.ends_on + timedelta(days=GRACE_DAYS):
        return MeasurementStatus.DUE
    return MeasurementStatus.MISSING
