"""Week and month grids for the calendar pages, from ``?week=2027-W05`` and ``?month=2027-02``."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from mestring.core.time import oslo_to_utc, to_oslo

# A calendar entry: a row of what an entry shows (see scheduling.queries.calendar_sessions).
Entry = sa.Row[Any]

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_week(value: str | None, today: date) -> date:
    """The Monday of an ISO week like 2027-W05; the current week for anything else."""
    match = _WEEK.match(value or "")
    if match:
        try:
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    return today - timedelta(days=today.weekday())


def parse_month(value: str | None, today: date) -> date:
    """The first day of a month like 2027-02; the current month for anything else."""
    match = _MONTH.match(value or "")
    if match and 1 <= int(match[2]) <= 12 and 1900 <= int(match[1]) <= 9999:
        return date(int(match[1]), int(match[2]), 1)
    return today.replace(day=1)


def week_param(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def month_param(first: date) -> str:
    return f"{first.year}-{first.month:02d}"


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def utc_range(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """From midnight in Oslo on the first day to midnight after the last, in UTC."""
    return oslo_to_utc(first_day, time()), oslo_to_utc(last_day + timedelta(days=1), time())


@dataclass(frozen=True)
class Day:
    day: date
    in_month: bool
    sessions: list[Entry]


def by_oslo_day(sessions: Iterable[Entry]) -> dict[date, list[Entry]]:
    days: dict[date, list[Entry]] = defaultdict(list)
    for session in sessions:
        days[to_oslo(session.starts_at).date()].append(session)
    return days


def week_days(monday: date, sessions: Iterable[Entry]) -> list[Day]:
    days = by_oslo_day(sessions)
    return [
        Day(monday + timedelta(days=n), True, days.get(monday + timedelta(days=n), []))
        for n in range(7)
    ]


def month_grid_range(first: date) -> tuple[date, date]:
    """The Monday on or before the 1st, and the Sunday on or after the month's last day."""
    last = add_months(first, 1) - timedelta(days=1)
    return first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())


def month_weeks(first: date, sessions: Iterable[Entry]) -> list[list[Day]]:
    """Weeks (Monday first) covering the month; days outside it are marked."""
    start, end = month_grid_range(first)
    days = by_oslo_day(sessions)
    weeks = []
    monday = start
    while monday <= end:
        weeks.append(
            [
                Day(
                    monday + timedelta(days=n),
                    (monday + timedelta(days=n)).month == first.month,
                    days.get(monday + timedelta(days=n), []),
                )
                for n in range(7)
            ]
        )
        monday += timedelta(days=7)
    return weeks
