"""Terms, course templates, venues, groups, membership, keep-apart pairs and facilitators."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from mestring.accounts.enums import ServiceKind
from mestring.accounts.models import Service, Term, User
from mestring.core.time import now_utc
from mestring.db import Base, UTCDateTime, enum_type, fk
from mestring.groups.enums import FacilitatorRole, GroupStatus, SessionMode
from mestring.referrals.enums import ACTIVE_MEMBER_STATUSES

if TYPE_CHECKING:
    from mestring.accounts.models import District, School
    from mestring.referrals.models import Pupil, Referral
    from mestring.scheduling.models import Session

WEEKDAY_CHECK = "BETWEEN 0 AND 6"


class CourseTemplate(Base):
    """An ordered list of sessions and the weekly pattern that lays them out."""

    __tablename__ = "course_templates"
    __table_args__ = (
        sa.UniqueConstraint("district_id", "name"),
        sa.CheckConstraint(f"physical_weekday {WEEKDAY_CHECK}", name="physical_weekday_range"),
        sa.CheckConstraint(f"digital_weekday {WEEKDAY_CHECK}", name="digital_weekday_range"),
        sa.CheckConstraint(f"guardian_weekday {WEEKDAY_CHECK}", name="guardian_weekday_range"),
        sa.CheckConstraint(
            f"second_physical_weekday IS NULL OR second_physical_weekday {WEEKDAY_CHECK}",
            name="second_physical_weekday_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Shipped templates belong to no district; copies belong to the district that made them.
    district_id: Mapped[int | None] = fk("districts.id", nullable=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Weekday 0 is Monday; times are wall-clock times in Europe/Oslo.
    physical_weekday: Mapped[int] = mapped_column(default=1)
    physical_time: Mapped[time] = mapped_column(default=time(13, 0))
    # The standard format meets twice a week: physical sessions then alternate weekdays.
    second_physical_weekday: Mapped[int | None]
    digital_weekday: Mapped[int] = mapped_column(default=3)
    digital_time: Mapped[time] = mapped_column(default=time(18, 0))
    guardian_weekday: Mapped[int] = mapped_column(default=2)
    guardian_time: Mapped[time] = mapped_column(default=time(18, 0))
    copied_from_id: Mapped[int | None] = fk(
        "course_templates.id", nullable=True, ondelete="SET NULL"
    )

    sessions: Mapped[list[TemplateSession]] = relationship(
        back_populates="template",
        cascade="all, delete-orphan",
        order_by="TemplateSession.position",
    )


class TemplateSession(Base):
    __tablename__ = "template_sessions"
    __table_args__ = (
        sa.UniqueConstraint("template_id", "position"),
        sa.CheckConstraint("position >= 1", name="position_positive"),
        sa.CheckConstraint("duration_minutes BETWEEN 15 AND 480", name="duration_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = fk("course_templates.id", ondelete="CASCADE")
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(120))
    theme: Mapped[str] = mapped_column(sa.Text, default="")
    mode: Mapped[SessionMode] = mapped_column(enum_type(SessionMode, "template_session_mode"))
    duration_minutes: Mapped[int] = mapped_column(default=90)
    guardians_attend: Mapped[bool] = mapped_column(default=False)

    template: Mapped[CourseTemplate] = relationship(back_populates="sessions")


class Venue(Base):
    """A room where physical sessions are held: at a school or in the district."""

    __tablename__ = "venues"
    __table_args__ = (sa.UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = fk("districts.id")
    school_id: Mapped[int | None] = fk("schools.id", nullable=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    address: Mapped[str] = mapped_column(sa.String(200))

    district: Mapped[District] = relationship()
    school: Mapped[School | None] = relationship()


class Group(Base):
    __tablename__ = "groups"
    __table_args__ = (
        sa.UniqueConstraint("district_id", "term_id", "name"),
        sa.CheckConstraint("capacity BETWEEN 1 AND 30", name="capacity_range"),
        sa.CheckConstraint("min_size BETWEEN 1 AND capacity", name="min_size_range"),
        sa.CheckConstraint("age_min BETWEEN 6 AND 16", name="age_min_range"),
        sa.CheckConstraint("age_max BETWEEN age_min AND 16", name="age_max_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = fk("districts.id")
    term_id: Mapped[int] = fk("terms.id")
    template_id: Mapped[int] = fk("course_templates.id")
    name: Mapped[str] = mapped_column(sa.String(120))
    status: Mapped[GroupStatus] = mapped_column(
        enum_type(GroupStatus, "group_status"), default=GroupStatus.PLANNING, index=True
    )
    capacity: Mapped[int] = mapped_column(default=8)
    min_size: Mapped[int] = mapped_column(default=4)
    age_min: Mapped[int] = mapped_column(default=8)
    age_max: Mapped[int] = mapped_column(default=10)
    venue_id: Mapped[int | None] = fk("venues.id", nullable=True)
    video_link: Mapped[str] = mapped_column(sa.String(500), default="")
    starts_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    version_id: Mapped[int] = mapped_column(default=1)

    # What the group page shows of the group's term, template and venue, read as columns of the
    # group's own row where the "page" group of deferred columns is undeferred: joined as
    # objects, the three tables more than doubled the time PostgreSQL took to plan the page's
    # statement (0.72 -> 0.30 ms), and made as many objects more to load.
    term_name: Mapped[str] = column_property(
        sa.select(Term.name).where(Term.id == term_id).scalar_subquery(),
        deferred=True,
        group="page",
    )
    term_starts_on: Mapped[date] = column_property(
        sa.select(Term.starts_on).where(Term.id == term_id).scalar_subquery(),
        deferred=True,
        group="page",
    )
    template_name: Mapped[str] = column_property(
        sa.select(CourseTemplate.name).where(CourseTemplate.id == template_id).scalar_subquery(),
        deferred=True,
        group="page",
    )
    venue_name: Mapped[str | None] = column_property(
        sa.select(Venue.name).where(Venue.id == venue_id).scalar_subquery(),
        deferred=True,
        group="page",
    )
    venue_address: Mapped[str | None] = column_property(
        sa.select(Venue.address).where(Venue.id == venue_id).scalar_subquery(),
        deferred=True,
        group="page",
    )

    district: Mapped[District] = relationship()
    term: Mapped[Term] = relationship()
    template: Mapped[CourseTemplate] = relationship()
    venue: Mapped[Venue | None] = relationship()
    memberships: Mapped[list[GroupMembership]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupMembership.id"
    )
    facilitators: Mapped[list[FacilitatorAssignment]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="FacilitatorAssignment.id"
    )
    sessions: Mapped[list[Session]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="Session.starts_at"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def active_memberships(self) -> list[GroupMembership]:
        """The pupils who take part now; those who withdrew or stopped have left the group."""
        return [m for m in self.memberships if m.referral.status in ACTIVE_MEMBER_STATUSES]


class GroupMembership(Base):
    """A placed referral: the pupil takes part in the group."""

    __tablename__ = "group_memberships"
    __table_args__ = (sa.UniqueConstraint("group_id", "pupil_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = fk("groups.id", ondelete="CASCADE")
    # A referral is placed in one group at most.
    referral_id: Mapped[int] = mapped_column(
        sa.ForeignKey("referrals.id", ondelete="CASCADE"), unique=True
    )
    pupil_id: Mapped[int] = fk("pupils.id", ondelete="CASCADE")
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    placed_by_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")

    group: Mapped[Group] = relationship(back_populates="memberships")
    referral: Mapped[Referral] = relationship(back_populates="membership")
    pupil: Mapped[Pupil] = relationship()


class KeepApartPair(Base):
    """Two pupils the coordinator wants in different groups."""

    __tablename__ = "keep_apart_pairs"
    __table_args__ = (
        sa.UniqueConstraint("pupil_a_id", "pupil_b_id"),
        sa.CheckConstraint("pupil_a_id < pupil_b_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = fk("districts.id")
    pupil_a_id: Mapped[int] = fk("pupils.id", ondelete="CASCADE")
    pupil_b_id: Mapped[int] = fk("pupils.id", ondelete="CASCADE")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class FacilitatorAssignment(Base):
    __tablename__ = "facilitator_assignments"
    __table_args__ = (sa.UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = fk("groups.id", ondelete="CASCADE")
    user_id: Mapped[int] = fk("users.id")
    role: Mapped[FacilitatorRole] = mapped_column(
        enum_type(FacilitatorRole, "facilitator_role"), default=FacilitatorRole.CO_LEAD
    )

    # What the group page shows of the facilitator, read as columns of the assignment's row
    # where the "page" group of deferred columns is undeferred: joined as objects, the users
    # and their services were two more entities to load for every facilitator.
    user_name: Mapped[str] = column_property(
        sa.select(User.name).where(User.id == user_id).scalar_subquery(),
        deferred=True,
        group="page",
    )
    service_kind: Mapped[ServiceKind | None] = column_property(
        # The user's service by its id, not a join: PostgreSQL hashed every service to join.
        sa.select(Service.kind)
        .where(
            Service.id
            == sa.select(User.service_id)
            .where(User.id == user_id)
            .correlate_except(User)
            .scalar_subquery()
        )
        .scalar_subquery(),
        deferred=True,
        group="page",
    )

    group: Mapped[Group] = relationship(back_populates="facilitators")
    user: Mapped[User] = relationship()
