"""School absence counted as Oslo's IST does: whole days and single hours apart, never converted.

A referral's "absence so far" and an absence record of a measurement period hold the same
figures; both take them from ``AbsenceFigures``.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mestring.db import non_negative

# Oslo's threshold for worrying absence, in percent of days or of hours.
WORRYING_ABSENCE_PERCENT = Decimal(10)


def absence_constraints(*, school_days_minimum: int) -> list[sa.CheckConstraint]:
    """CHECK constraints for the figures: nothing negative, no more absent than there was."""
    return [
        sa.CheckConstraint(f"school_days >= {school_days_minimum}", name="school_days_minimum"),
        *non_negative(
            "teaching_hours",
            "days_documented",
            "days_undocumented",
            "hours_documented",
            "hours_undocumented",
            "late_arrivals",
        ),
        sa.CheckConstraint(
            "days_documented + days_undocumented <= school_days", name="days_within_school_days"
        ),
        sa.CheckConstraint(
            "hours_documented + hours_undocumented <= teaching_hours",
            name="hours_within_teaching_hours",
        ),
    ]


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, one decimal; None when there is nothing to divide by."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


class AbsenceFigures:
    """Days and teaching hours in a period, and how many of them the pupil was absent."""

    school_days: Mapped[int] = mapped_column(default=0)
    teaching_hours: Mapped[int] = mapped_column(default=0)
    days_documented: Mapped[int] = mapped_column(default=0)
    days_undocumented: Mapped[int] = mapped_column(default=0)
    hours_documented: Mapped[int] = mapped_column(default=0)
    hours_undocumented: Mapped[int] = mapped_column(default=0)
    late_arrivals: Mapped[int] = mapped_column(default=0)

    @property
    def day_absence_percent(self) -> Decimal | None:
        return percent(self.days_documented + self.days_undocumented, self.school_days)

    @property
    def hour_absence_percent(self) -> Decimal | None:
        return percent(self.hours_documented + self.hours_undocumented, self.teaching_hours)

    @property
    def is_worrying(self) -> bool:
        """At or above 10 % of days or of hours (either counts)."""
        return any(
            value is not None and value >= WORRYING_ABSENCE_PERCENT
            for value in (self.day_absence_percent, self.hour_absence_percent)
        )
