"""The main pages of each role, as URLs in one district, for the query-bound test and the bench."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from mestring.accounts.enums import Role
from mestring.accounts.models import District, User
from mestring.db import DbSession
from mestring.groups.enums import GroupStatus
from mestring.groups.models import FacilitatorAssignment, Group
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Referral
from mestring.scheduling.services import new_feed_token


@dataclass(frozen=True)
class Page:
    name: str
    email: str  # who signs in; empty for a page that needs nobody (the calendar feed)
    url: str


def _first_user(db: DbSession, district_id: int, role: Role) -> User:
    user = db.scalar(
        sa.select(User)
        .where(User.district_id == district_id, User.role == role, User.active)
        .order_by(User.id)
        .limit(1)
    )
    assert user is not None, f"no {role} in the district"
    return user


def main_pages(db: DbSession, district_name: str) -> list[Page]:
    """Every main page of every role; gives the busiest facilitator a calendar feed token."""
    district = db.scalars(sa.select(District).where(District.name == district_name)).one()
    coordinator = _first_user(db, district.id, Role.COORDINATOR)
    analyst = _first_user(db, district.id, Role.ANALYST)
    school = _first_user(db, district.id, Role.SCHOOL)
    admin = db.scalars(sa.select(User).where(User.role == Role.ADMIN).order_by(User.id)).first()
    assert admin is not None
    facilitator = db.scalars(
        sa.select(User)
        .join(FacilitatorAssignment, FacilitatorAssignment.user_id == User.id)
        .where(User.district_id == district.id, User.active)
        .group_by(User.id)
        .order_by(sa.func.count().desc(), User.id)
        .limit(1)
    ).one()
    group = (
        db.scalars(
            sa.select(Group)
            .join(FacilitatorAssignment)
            .where(
                FacilitatorAssignment.user_id == facilitator.id,
                Group.status == GroupStatus.RUNNING,
            )
            .order_by(Group.id.desc())
            .limit(1)
        ).first()
        or db.scalars(
            sa.select(Group)
            .join(FacilitatorAssignment)
            .where(FacilitatorAssignment.user_id == facilitator.id)
            .order_by(Group.id.desc())
            .limit(1)
        ).one()
    )
    referral = db.scalars(
        sa.select(Referral)
        .where(Referral.school_id == school.school_id, Referral.status != ReferralStatus.DRAFT)
        .order_by(Referral.id.desc())
        .limit(1)
    ).one()
    token = new_feed_token(db, user=facilitator)
    filters = f"?term={group.term_id}&school={referral.school_id}"
    pages = [
        Page("school: start", school.email, "/"),
        Page("school: referral list", school.email, "/referrals/"),
        Page("school: referral", school.email, f"/referrals/{referral.id}"),
        Page("school: pupil", school.email, f"/pupils/{referral.pupil_id}"),
        Page("facilitator: start", facilitator.email, "/"),
        Page("facilitator: group list", facilitator.email, "/groups/"),
        Page("facilitator: group", facilitator.email, f"/groups/{group.id}"),
        Page("facilitator: group plan", facilitator.email, f"/groups/{group.id}/plan"),
        Page("facilitator: calendar week", facilitator.email, "/calendar/week"),
        Page("facilitator: calendar month", facilitator.email, "/calendar/month"),
        Page("facilitator: calendar feed", "", f"/calendar/feed/{token}.ics"),
        Page("coordinator: start", coordinator.email, "/"),
        Page("coordinator: referral list", coordinator.email, "/referrals/"),
        Page("coordinator: referral", coordinator.email, f"/referrals/{referral.id}"),
        Page("coordinator: pupil", coordinator.email, f"/pupils/{referral.pupil_id}"),
        Page("coordinator: group list", coordinator.email, "/groups/"),
        Page("coordinator: group", coordinator.email, f"/groups/{group.id}"),
        Page("coordinator: group plan", coordinator.email, f"/groups/{group.id}/plan"),
        Page("coordinator: composer", coordinator.email, "/groups/composer"),
        Page("coordinator: calendar week", coordinator.email, "/calendar/week"),
        Page("coordinator: calendar month", coordinator.email, "/calendar/month"),
        Page("coordinator: facilitators", coordinator.email, "/facilitators/"),
        Page("coordinator: outcomes", coordinator.email, "/outcomes/"),
        Page("coordinator: outcomes filtered", coordinator.email, f"/outcomes/{filters}"),
        Page("analyst: start", analyst.email, "/"),
        Page("analyst: outcomes", analyst.email, "/outcomes/"),
        Page("analyst: outcomes filtered", analyst.email, f"/outcomes/{filters}"),
        Page("analyst: export csv", analyst.email, "/outcomes/export.csv"),
        Page("analyst: export xlsx", analyst.email, "/outcomes/export.xlsx"),
        Page("admin: start", admin.email, "/"),
        Page("admin: users", admin.email, "/admin/users"),
    ]
    return pages
