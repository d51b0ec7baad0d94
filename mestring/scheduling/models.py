"""Sessions of a group, their change history and substitutes; closed periods; unavailability."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mestring.core.time import now_utc
from mestring.db import Base, UTCDateTime, enum_type, fk
from mestring.groups.enums import SessionMode
from mestring.scheduling.enums import ClosedPeriodKind, SessionStatus, UnavailabilityReason

if TYPE_CHECKING:
    from mestring.accounts.models import User
    from mestring.attendance.models import Attendance
    from mestring.groups.models import Group, TemplateSession, Venue


class ClosedPeriod(Base):
    """A school holiday of a district's calendar; sessions are not planned inside one."""

    __tablename__ = "closed_periods"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        sa.Index("ix_closed_periods_district_dates", "district_id", "starts_on", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = fk("districts.id")
    kind: Mapped[ClosedPeriodKind] = mapped_column(enum_type(ClosedPeriodKind, "closed_kind"))
    name: Mapped[str] = mapped_column(sa.String(120))
    starts_on: Mapped[date]
    ends_on: Mapped[date]


# A session ends on the day it starts (Oslo time), and an Oslo day lasts at most 25 hours; the
# conflict checks rely on it to read sessions by start.
LONGEST_SESSION = timedelta(hours=25)


class Session(Base):
    """One meeting of a group, in a room or online."""

    __tablename__ = "sessions"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("position >= 1", name="position_positive"),
        sa.Index("ix_sessions_group_starts_at", "group_id", "starts_at"),
        sa.Index("ix_sessions_venue_starts_at", "venue_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = fk("groups.id", ondelete="CASCADE")
    template_session_id: Mapped[int | None] = fk(
        "template_sessions.id", nullable=True, ondelete="SET NULL"
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(120))
    theme: Mapped[str] = mapped_column(sa.Text, default="")
    mode: Mapped[SessionMode] = mapped_column(enum_type(SessionMode, "session_mode"))
    status: Mapped[SessionStatus] = mapped_column(
        enum_type(SessionStatus, "session_status"), default=SessionStatus.PLANNED, index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id", ondelete="SET NULL"))
    video_link: Mapped[str] = mapped_column(sa.String(500), default="")
    guardians_attend: Mapped[bool] = mapped_column(default=False)
    # Readable only by the group's facilitators and the coordinator.
    note: Mapped[str] = mapped_column(sa.Text, default="")
    version_id: Mapped[int] = mapped_column(default=1)

    group: Mapped[Group] = relationship(back_populates="sessions")
    template_session: Mapped[TemplateSession | None] = relationship()
    venue: Mapped[Venue | None] = relationship()
    changes: Mapped[list[SessionChange]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionChange.created_at"
    )
    substitutes: Mapped[list[SessionSubstitute]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version_id}


class SessionChange(Base):
    """One change to a session: moved, switched mode, cancelled, given a substitute."""

    __tablename__ = "session_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = fk("sessions.id", ondelete="CASCADE")
    actor_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    summary: Mapped[str] = mapped_column(sa.String(200))
    # {"field": [old, new]} for every field the change touched.
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    session: Mapped[Session] = relationship(back_populates="changes")
    actor: Mapped[User | None] = relationship()


class SessionSubstitute(Base):
    """A facilitator who leads one session in place of an assigned one."""

    __tablename__ = "session_substitutes"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "substitute_id"),
        sa.UniqueConstraint("session_id", "replaced_id"),
        sa.CheckConstraint("substitute_id <> replaced_id", name="different_people"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = fk("sessions.id", ondelete="CASCADE")
    replaced_id: Mapped[int] = fk("users.id")
    substitute_id: Mapped[int] = fk("users.id")

    session: Mapped[Session] = relationship(back_populates="substitutes")
    replaced: Mapped[User] = relationship(foreign_keys=[replaced_id])
    substitute: Mapped[User] = relationship(foreign_keys=[substitute_id])


class Unavailability(Base):
    """A period when a facilitator cannot lead sessions."""

    __tablename__ = "unavailability"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        sa.Index("ix_unavailability_user_dates", "user_id", "starts_on", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[UnavailabilityReason] = mapped_column(
        enum_type(UnavailabilityReason, "unavailability_reason")
    )
    note: Mapped[str] = mapped_column(sa.String(200), default="")

    user: Mapped[User] = relationship(back_populates="unavailability")
