"""Days closed for sessions: Norwegian public holidays and a district's school holidays."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
import sqlalchemy as sa

from mestring.db import DbSession
from mestring.scheduling.models import ClosedPeriod


@lru_cache(maxsize=32)
def norwegian_public_holidays(year: int) -> dict[date, str]:
    """Norway's public holidays of one year with their Norwegian names (Sundays not included)."""
    return dict(holidays.country_holidays("NO", years=year, language="no").items())


@dataclass(frozen=True)
class ClosedSpan:
    """A school holiday as planning sees it: a name and its first and last day."""

    name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class ClosedDays:
    """Public holidays and the given closed periods; ``day in closed_days`` says if it is closed."""

    periods: tuple[ClosedSpan, ...] = ()

    def public_holiday(self, day: date) -> str | None:
        return norwegian_public_holidays(day.year).get(day)

    def closed_period(self, day: date) -> ClosedSpan | None:
        return next((p for p in self.periods if p.starts_on <= day <= p.ends_on), None)

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        return self.public_holiday(day) is not None or self.closed_period(day) is not None


# Built once, run with parameters: every plan page and conflict check reads it.
_CLOSED_PERIODS = (
    sa.select(ClosedPeriod.name, ClosedPeriod.starts_on, ClosedPeriod.ends_on)
    .where(
        ClosedPeriod.district_id == sa.bindparam("district_id"),
        ClosedPeriod.starts_on <= sa.bindparam("end"),
        ClosedPeriod.ends_on >= sa.bindparam("start"),
    )
    .order_by(ClosedPeriod.starts_on)
)


def closed_days_for(db: DbSession, district_id: int, start: date, end: date) -> ClosedDays:
    """The district's closed periods that touch ``start``–``end`` (read as name and days, all
    that planning looks at), with the public holidays."""
    periods = db.execute(_CLOSED_PERIODS, {"district_id": district_id, "start": start, "end": end})
    return ClosedDays(tuple(ClosedSpan(*period) for period in periods))


def days_between(start: date, end: date) -> Iterable[date]:
    """Every day from ``start`` to ``end``, both included."""
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)
