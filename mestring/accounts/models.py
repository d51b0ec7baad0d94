"""Districts, schools, services and users."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mestring.accounts.enums import Locale, Role, ServiceKind
from mestring.core.time import now_utc
from mestring.db import Base, UTCDateTime, enum_type, fk

if TYPE_CHECKING:
    from mestring.scheduling.models import Unavailability


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class District(Base):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)

    schools: Mapped[list[School]] = relationship(back_populates="district", order_by="School.name")

    def __repr__(self) -> str:
        return f"<District {self.id} {self.name}>"


class School(Base):
    __tablename__ = "schools"
    __table_args__ = (
        sa.UniqueConstraint("district_id", "name"),
        # What a referral's key to its school and district refers to (see Referral.district_id).
        sa.UniqueConstraint("id", "district_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = fk("districts.id")
    name: Mapped[str] = mapped_column(sa.String(120))
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    has_attendance_team: Mapped[bool] = mapped_column(default=True)

    district: Mapped[District] = relationship(back_populates="schools")

    def __repr__(self) -> str:
        return f"<School {self.id} {self.name}>"


class Service(Base):
    """A professional service of a district: PPT, school health, school staff or district."""

    __tablename__ = "services"
    __table_args__ = (sa.UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = fk("districts.id")
    kind: Mapped[ServiceKind] = mapped_column(enum_type(ServiceKind, "service_kind"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))

    district: Mapped[District] = relationship()


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint("role = 'admin' OR district_id IS NOT NULL", name="district_required"),
        sa.CheckConstraint("role <> 'school' OR school_id IS NOT NULL", name="school_required"),
        sa.CheckConstraint(
            "role <> 'facilitator' OR service_id IS NOT NULL", name="service_required"
        ),
        # The district's users of one role (facilitator list, assignment candidates).
        sa.Index("ix_users_district_role", "district_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"), index=True)
    district_id: Mapped[int | None] = fk("districts.id", nullable=True)
    school_id: Mapped[int | None] = fk("schools.id", nullable=True)
    service_id: Mapped[int | None] = fk("services.id", nullable=True)
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    locale: Mapped[Locale] = mapped_column(enum_type(Locale, "locale"), default=Locale.NB)
    active: Mapped[bool] = mapped_column(default=True, index=True)
    # Flask-Login's id: rotated at sign-out, password change, deactivation and an admin's
    # "sign out everywhere", so that every copy of an old session cookie stops working.
    session_token: Mapped[str] = mapped_column(
        sa.String(64), unique=True, default=new_session_token
    )
    calendar_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    district: Mapped[District | None] = relationship()
    school: Mapped[School | None] = relationship()
    service: Mapped[Service | None] = relationship()
    unavailability: Mapped[list[Unavailability]] = relationship(
        back_populates="user", order_by="Unavailability.starts_on"
    )

    # Flask-Login protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return self.session_token

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class PasswordSetupToken(Base):
    """A one-time link that lets a user set their password; only the token's hash is kept."""

    __tablename__ = "password_setup_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = fk("users.id", ondelete="CASCADE")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Term(Base):
    """A half school year in which groups run, e.g. "Vår 2027"."""

    __tablename__ = "terms"
    __table_args__ = (
        sa.UniqueConstraint("district_id", "name"),
        sa.CheckConstraint("ends_on > starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = fk("districts.id")
    name: Mapped[str] = mapped_column(sa.String(60))
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date]

    district: Mapped[District] = relationship()
