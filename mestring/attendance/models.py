"""Whether a pupil (and for parent meetings, a guardian) came to a session."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mestring.attendance.enums import AttendanceStatus
from mestring.core.time import now_utc
from mestring.db import Base, UTCDateTime, enum_type, fk

if TYPE_CHECKING:
    from mestring.referrals.models import Pupil
    from mestring.scheduling.models import Session


class Attendance(Base):
    __tablename__ = "attendance"
    __table_args__ = (sa.UniqueConstraint("session_id", "pupil_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"))
    pupil_id: Mapped[int] = fk("pupils.id", ondelete="CASCADE")
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_type(AttendanceStatus, "attendance_status")
    )
    guardian_present: Mapped[bool | None]
    recorded_by_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    session: Mapped[Session] = relationship(back_populates="attendance")
    pupil: Mapped[Pupil] = relationship()
