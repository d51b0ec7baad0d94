"""Absence records: a pupil's school absence over one measurement period."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mestring.core.absence import AbsenceFigures, absence_constraints
from mestring.core.time import now_utc
from mestring.db import Base, UTCDateTime, enum_type, fk
from mestring.outcomes.enums import PeriodKind

if TYPE_CHECKING:
    from mestring.referrals.models import Pupil


class AbsenceRecord(AbsenceFigures, Base):
    """A pupil's absence over one measurement period: before, after or follow-up."""

    __tablename__ = "absence_records"
    __table_args__ = (
        sa.UniqueConstraint("pupil_id", "period"),
        sa.CheckConstraint("ends_on > starts_on", name="ends_after_start"),
        *absence_constraints(school_days_minimum=1),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("pupils.id", ondelete="CASCADE"))
    period: Mapped[PeriodKind] = mapped_column(enum_type(PeriodKind, "period_kind"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    entered_by_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    version_id: Mapped[int] = mapped_column(default=1)

    pupil: Mapped[Pupil] = relationship()

    __mapper_args__ = {"version_id_col": version_id}


class FiguresStamp(Base):
    """A random stamp of one district's outcome figures (or of all districts'), replaced by
    every commit that changes data behind them; cached figures are keyed by it (see
    ``mestring.outcomes.freshness``)."""

    __tablename__ = "figures_stamps"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    stamp: Mapped[str] = mapped_column(sa.String(32))
