"""Time in one place: aware UTC for storage, Europe/Oslo for people."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def now_utc() -> datetime:
    return datetime.now(UTC)


def today_oslo(now: datetime | None = None) -> date:
    return (now or now_utc()).astimezone(OSLO).date()


def to_oslo(moment: datetime) -> datetime:
    return moment.astimezone(OSLO)


def oslo_to_utc(day: date, at: time) -> datetime:
    """The UTC instant of a wall-clock time in Oslo (daylight saving handled by zoneinfo)."""
    return datetime.combine(day, at, tzinfo=OSLO).astimezone(UTC)


def age_on(birth_date: date, day: date) -> int:
    """Completed years of age on ``day``."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)
