"""A pupil's school absence over one measurement period."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mestring.core.time import now_utc
from mestring.db import Base, UTCDateTime, enum_type, fk, non_negative
from mestring.outcomes.enums import PeriodKind

if TYPE_CHECKING:
    from mestring.referrals.models import Pupil


class AbsenceRecord(Base):
    """Whole days and single hours are counted apart, as in IST, and never converted."""

    __tablename__ = "absence_records"
    __table_args__ = (
        sa.UniqueConstraint("pupil_id", "period"),
        sa.CheckConstraint("ends_on > starts_on", name="ends_after_start"),
        sa.CheckConstraint("school_days >= 1", name="school_days_positive"),
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
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"))
    period: Mapped[PeriodKind] = mapped_column(enum_type(PeriodKind, "period_kind"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    school_days: Mapped[int]
    teaching_hours: Mapped[int] = mapped_column(default=0)
    days_documented: Mapped[int] = mapped_column(default=0)
    days_undocumented: Mapped[int] = mapped_column(default=0)
    hours_documented: Mapped[int] = mapped_column(default=0)
    hours_undocumented: Mapped[int] = mapped_column(default=0)
    late_arrivals: Mapped[int] = mapped_column(default=0)
    entered_by_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    version_id: Mapped[int] = mapped_column(default=1)

    pupil: Mapped[Pupil] = relationship()

    __mapper_args__ = {"version_id_col": version_id}
