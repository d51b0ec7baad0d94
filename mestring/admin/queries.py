"""Lists for the administrator: users, and the audit log searched by its filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from mestring.accounts.models import District, School, Service, User
from mestring.audit.models import AuditEvent
from mestring.core.time import OSLO
from mestring.db import DbSession


def all_users(district_id: int | None = None) -> sa.Select[User]:
    stmt = (
        sa.select(User)
        .options(joinedload(User.district), joinedload(User.school), joinedload(User.service))
        .order_by(User.name, User.id)
    )
    if district_id is not None:
        stmt = stmt.where(User.district_id == district_id)
    return stmt


def user_rows(district_id: int | None = None) -> sa.Select[Any]:
    """The user list as plain rows: each user's own fields and the names of their scope, in
    the order of ``all_users``."""
    stmt = (
        sa.select(
            User.id,
            User.name,
            User.email,
            User.role,
            User.active,
            District.name.label("district"),
            School.name.label("school"),
            Service.kind.label("service_kind"),
        )
        .outerjoin(District, District.id == User.district_id)
        .outerjoin(School, School.id == User.school_id)
        .outerjoin(Service, Service.id == User.service_id)
        .order_by(User.name, User.id)
    )
    if district_id is not None:
        stmt = stmt.where(User.district_id == district_id)
    # Eight columns; pagination takes any select.
    return cast("sa.Select[Any]", stmt)


def scope_options(
    db: DbSession, district_id: int | None
) -> tuple[list[District], list[School], list[Service]]:
    """Districts, schools and services an administrator may give a user."""
    districts = sa.select(District).order_by(District.name)
    schools = sa.select(School).options(joinedload(School.district)).order_by(School.name)
    services = sa.select(Service).options(joinedload(Service.district)).order_by(Service.name)
    if district_id is not None:
        districts = districts.where(District.id == district_id)
        schools = schools.where(School.district_id == district_id)
        services = services.where(Service.district_id == district_id)
    return list(db.scalars(districts)), list(db.scalars(schools)), list(db.scalars(services))


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    pupil_id: int | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def _oslo_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=OSLO)


def audit_events(filters: AuditFilters) -> sa.Select[AuditEvent]:
    """Audit events matching every filter given, newest first; days are Oslo days."""
    stmt = sa.select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if filters.actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == filters.actor_id)
    if filters.pupil_id is not None:
        stmt = stmt.where(AuditEvent.pupil_id == filters.pupil_id)
    if filters.action:
        stmt = stmt.where(AuditEvent.action == filters.action)
    if filters.date_from is not None:
        stmt = stmt.where(AuditEvent.created_at >= _oslo_midnight(filters.date_from))
    if filters.date_to is not None:
        stmt = stmt.where(
            AuditEvent.created_at < _oslo_midnight(filters.date_to + timedelta(days=1))
        )
    return stmt


def audit_actions(db: DbSession) -> list[str]:
    return list(db.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def users_by_id(db: DbSession, ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {user.id: user for user in db.scalars(sa.select(User).where(User.id.in_(ids)))}
