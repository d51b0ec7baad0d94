"""Who the programme is for: pupils 8 to 13 years old on the planned course start."""

from __future__ import annotations

from datetime import date

from mestring.core import localized
from mestring.core.time import age_on
from mestring.core.translations import lazy_gettext as _l

MIN_AGE = 8
MAX_AGE = 13


def age_problem(birth_date: date, course_start: date) -> str | None:
    """Why the pupil's age rules them out on ``course_start``, or None if it does not."""
    age = age_on(birth_date, course_start)
    if age < MIN_AGE:
        return str(
            _l(
                "The pupil will be %(age)s on the planned start (%(start)s); the course is for "
                "pupils from %(min)s years.",
                age=age,
                start=localized.day(course_start),
                min=MIN_AGE,
            )
        )
    if age > MAX_AGE:
        return str(
            _l(
                "The pupil will be %(age)s on the planned start (%(start)s); the course is for "
                "pupils up to %(max)s years.",
                age=age,
                start=localized.day(course_start),
                max=MAX_AGE,
            )
        )
    return None


def next_term_start(
    today: date, term_starts: list[date], month_days: list[tuple[int, int]]
) -> date:
    """The coming term's start: the first known term starting after today, else the next
    configured start date (month, day) such as 4 January or 17 August."""
    upcoming = sorted(start for start in term_starts if start > today)
    if upcoming:
        return upcoming[0]
    candidates = [
        date(year, month, day)
        for year in (today.year, today.year + 1)
        for month, day in month_days
        if date(year, month, day) > today
    ]
    return min(candidates)
