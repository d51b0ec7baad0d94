"""The main pages of each role, as URLs in one district, for the query-bound test and the bench,
and the CSV import the bench times."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from mestring.accounts.enums import Role
from mestring.accounts.models import District, School, User
from mestring.core.time import now_utc
from mestring.db import DbSession
from mestring.groups.enums import GroupStatus
from mestring.groups.models import FacilitatorAssignment, Group, GroupMembership
from mestring.outcomes.enums import PeriodKind
from mestring.outcomes.importing import HEADER, MAX_ROWS
from mestring.outcomes.periods import proposed_period
from mestring.outcomes.services import MEASURED_STATUSES, placements_of
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Pupil, Referral
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session
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
    # The busiest facilitator: the most planned sessions to come (their start page lists them).
    facilitator = db.scalars(
        sa.select(User)
        .join(FacilitatorAssignment, FacilitatorAssignment.user_id == User.id)
        .join(Session, Session.group_id == FacilitatorAssignment.group_id)
        .where(
            User.district_id == district.id,
            User.active,
            Session.status == SessionStatus.PLANNED,
            Session.starts_at >= now_utc(),
        )
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


@dataclass(frozen=True)
class ImportCase:
    """A coordinator's CSV import for the school of the district with the most placed pupils:
    ``valid`` has a row for every placed pupil and period whose dates are known (all of them
    can be saved); ``full`` is that file filled up to the import's limit of rows with pupils
    of the district's other schools, which the preview reports as errors."""

    email: str
    school_id: int
    valid: bytes
    valid_rows: int
    full: bytes
    full_rows: int


def _csv(rows: list[list[str]]) -> bytes:
    return ("\r\n".join(",".join(row) for row in [list(HEADER), *rows]) + "\r\n").encode()


def import_case(db: DbSession, district_name: str) -> ImportCase:
    district = db.scalars(sa.select(District).where(District.name == district_name)).one()
    coordinator = _first_user(db, district.id, Role.COORDINATOR)
    placed = (
        sa.select(Pupil.school_id, Pupil.id, Pupil.pupil_ref)
        .join(GroupMembership, GroupMembership.pupil_id == Pupil.id)
        .join(Referral, Referral.id == GroupMembership.referral_id)
        .join(School, School.id == Pupil.school_id)
        .where(
            School.district_id == district.id,
            Referral.status.in_(MEASURED_STATUSES),
            Pupil.pupil_ref.is_not(None),
        )
        .order_by(Pupil.id)
    )
    by_school: dict[int, dict[int, str]] = {}
    for school_id, pupil_id, ref in db.execute(placed):
        by_school.setdefault(school_id, {})[pupil_id] = str(ref)
    school_id, pupils = max(by_school.items(), key=lambda item: (len(item[1]), -item[0]))
    figures = ["60", "300", "3", "2", "5", "5", "1"]
    valid = []
    for pupil_id, placement in placements_of(db, list(pupils)).items():
        for kind in PeriodKind:
            period = proposed_period(kind, placement.course)
            if period is not None:
                dates = [period.starts_on.isoformat(), period.ends_on.isoformat()]
                valid.append([pupils[pupil_id], kind.value, *dates, *figures])
    others = [
        ref
        for other, refs in sorted(by_school.items())
        if other != school_id
        for ref in refs.values()
    ]
    full = list(valid)
    for number in range(MAX_ROWS - len(valid)):
        ref = others[number % len(others)]
        kind = list(PeriodKind)[number // len(others) % len(PeriodKind)]
        full.append([ref, kind.value, "2026-01-05", "2026-03-27", *figures])
    return ImportCase(coordinator.email, school_id, _csv(valid), len(valid), _csv(full), len(full))
