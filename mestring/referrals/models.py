"""Pupils, guardians, referrals, their status history and guardians' consent."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mestring.core.absence import AbsenceFigures, absence_constraints
from mestring.core.time import now_utc
from mestring.db import Base, UTCDateTime, enum_type, fk
from mestring.referrals.enums import ConsentMethod, ReferralStatus

if TYPE_CHECKING:
    from mestring.accounts.models import School, User
    from mestring.groups.models import GroupMembership


class Pupil(Base):
    __tablename__ = "pupils"
    __table_args__ = (
        sa.UniqueConstraint("school_id", "pupil_ref"),
        sa.Index("ix_pupils_name", "last_name", "first_name"),
        sa.CheckConstraint("grade BETWEEN 1 AND 10", name="grade_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = fk("schools.id")
    # The school's own reference, used to match absence imports (and, indexed, to tell a
    # pupil of another school from an unknown one).
    pupil_ref: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    first_name: Mapped[str] = mapped_column(sa.String(80))
    last_name: Mapped[str] = mapped_column(sa.String(80))
    birth_date: Mapped[date] = mapped_column(index=True)
    grade: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    school: Mapped[School] = relationship()
    guardians: Mapped[list[Guardian]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", order_by="Guardian.id"
    )
    referrals: Mapped[list[Referral]] = relationship(
        back_populates="pupil", order_by="Referral.created_at.desc()"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Guardian(Base):
    __tablename__ = "guardians"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = fk("pupils.id", ondelete="CASCADE")
    name: Mapped[str] = mapped_column(sa.String(120))
    relation: Mapped[str] = mapped_column(sa.String(60), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    language: Mapped[str] = mapped_column(sa.String(60), default="norsk")
    interpreter_needed: Mapped[bool] = mapped_column(default=False)

    pupil: Mapped[Pupil] = relationship(back_populates="guardians")


class Referral(AbsenceFigures, Base):
    """A referral; its absence figures are those of the school year so far."""

    __tablename__ = "referrals"
    __table_args__ = (
        *absence_constraints(school_days_minimum=0),
        sa.Index("ix_referrals_status_submitted_at", "status", "submitted_at"),
        # A school's referral list, newest first; the term filter on the planned start.
        sa.Index("ix_referrals_school_created_at", "school_id", "created_at", "id"),
        sa.Index("ix_referrals_planned_start", "planned_start"),
        # The district's: the coordinator's list, newest first; by status, oldest submitted
        # first (the triage queue, the waitlist) and counted.
        sa.Index("ix_referrals_district_created_at", "district_id", "created_at", "id"),
        sa.Index(
            "ix_referrals_district_status_submitted_at", "district_id", "status", "submitted_at"
        ),
        sa.ForeignKeyConstraint(
            ["school_id", "district_id"], ["schools.id", "schools.district_id"]
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = fk("pupils.id")
    # The referring school; kept apart from the pupil's school, which may change later.
    school_id: Mapped[int] = mapped_column(index=True)
    # The referring school's district, kept with the referral so that the district's lists
    # have indexes of their own; whoever makes a referral sets it. The key to the school is on
    # both columns, so the district is always the school's.
    district_id: Mapped[int]
    status: Mapped[ReferralStatus] = mapped_column(
        enum_type(ReferralStatus, "referral_status"), default=ReferralStatus.DRAFT, index=True
    )
    created_by_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    planned_start: Mapped[date | None]

    # The worry: Oslo's four indicators of worrying absence, and free text.
    worry_absence_10_percent: Mapped[bool] = mapped_column(default=False)
    worry_hours: Mapped[bool] = mapped_column(default=False)
    worry_present_not_in_class: Mapped[bool] = mapped_column(default=False)
    worry_lateness: Mapped[bool] = mapped_column(default=False)
    worry_text: Mapped[str] = mapped_column(sa.Text, default="")
    # Whether the coordinator shares the free-text worry with the group's facilitators.
    worry_shared: Mapped[bool] = mapped_column(default=False)

    # The nærværsteam meeting that decided the referral.
    team_meeting_date: Mapped[date | None]
    team_ppt_present: Mapped[bool] = mapped_column(default=False)
    team_health_present: Mapped[bool] = mapped_column(default=False)
    team_school_present: Mapped[bool] = mapped_column(default=True)
    team_district_present: Mapped[bool] = mapped_column(default=False)

    measures_tried: Mapped[str] = mapped_column(sa.Text, default="")
    pupil_voice: Mapped[str] = mapped_column(sa.Text, default="")
    digital_access: Mapped[bool] = mapped_column(default=True)
    travel_needs: Mapped[str] = mapped_column(sa.Text, default="")
    other_needs: Mapped[str] = mapped_column(sa.Text, default="")

    version_id: Mapped[int] = mapped_column(default=1)

    pupil: Mapped[Pupil] = relationship(back_populates="referrals")
    # Joined by the school's id alone, so that a school already loaded is found by its key.
    school: Mapped[School] = relationship(foreign_keys=[school_id])
    created_by: Mapped[User | None] = relationship()
    history: Mapped[list[ReferralStatusChange]] = relationship(
        back_populates="referral",
        cascade="all, delete-orphan",
        order_by="ReferralStatusChange.created_at",
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="referral", cascade="all, delete-orphan", order_by="Consent.given_on"
    )
    membership: Mapped[GroupMembership | None] = relationship(back_populates="referral")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def needs_interpreter(self) -> bool:
        return any(guardian.interpreter_needed for guardian in self.pupil.guardians)

    @property
    def coordinator_message(self) -> ReferralStatusChange | None:
        """The latest question or reason for the school, while the referral waits on it."""
        if self.status not in {ReferralStatus.NEEDS_INFO, ReferralStatus.DECLINED}:
            return None
        return next((c for c in reversed(self.history) if c.to_status == self.status), None)


class ReferralStatusChange(Base):
    __tablename__ = "referral_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = fk("referrals.id", ondelete="CASCADE")
    actor_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    from_status: Mapped[ReferralStatus | None] = mapped_column(
        enum_type(ReferralStatus, "referral_change_from")
    )
    to_status: Mapped[ReferralStatus] = mapped_column(
        enum_type(ReferralStatus, "referral_change_to")
    )
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    referral: Mapped[Referral] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()


class Consent(Base):
    """Guardians' consent to referral, participation and the use of absence data."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = fk("referrals.id", ondelete="CASCADE")
    guardian_id: Mapped[int | None] = fk("guardians.id", nullable=True, ondelete="SET NULL")
    given_on: Mapped[date]
    method: Mapped[ConsentMethod] = mapped_column(enum_type(ConsentMethod, "consent_method"))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    covers_participation: Mapped[bool] = mapped_column(default=True)
    covers_sharing: Mapped[bool] = mapped_column(default=True)
    covers_absence_data: Mapped[bool] = mapped_column(default=True)
    recorded_by_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    referral: Mapped[Referral] = relationship(back_populates="consents")
    guardian: Mapped[Guardian | None] = relationship()
