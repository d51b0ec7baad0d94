"""Referral lists that pages share, with what they show loaded up front."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from mestring.accounts.enums import Role
from mestring.accounts.models import School, Term, User
from mestring.db import DbSession
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Pupil, Referral, ReferralStatusChange

# The statuses whose change carries the coordinator's question or reason for the school.
MESSAGE_STATUSES = (ReferralStatus.NEEDS_INFO, ReferralStatus.DECLINED)

AGE_BANDS = {"8-10": (8, 10), "11-13": (11, 13)}

# What every list shows of a referral: the pupil's name and age, and whether a guardian needs
# an interpreter. Built once: options are immutable.
PUPIL_OPTION = joinedload(Referral.pupil).selectinload(Pupil.guardians)
# The school's lists show the coordinator's question or reason, found in the history: only its
# changes to those two statuses are loaded (Referral.coordinator_message).
MESSAGES_OPTION = selectinload(
    Referral.history.and_(ReferralStatusChange.to_status.in_(MESSAGE_STATUSES))
)
# The coordinator's lists join the school for the district anyway: it is loaded from that join.
SCHOOL_FROM_JOIN = contains_eager(Referral.school)


@dataclass(frozen=True)
class ReferralFilters:
    status: ReferralStatus | None = None
    school_id: int | None = None
    term: Term | None = None
    age_band: str | None = None
    # The day ages are counted on for the age band: the term's start, or today.
    age_on: date | None = None


def referrals_in_scope(user: User, filters: ReferralFilters | None = None) -> sa.Select[Referral]:
    """The referrals a school or coordinator may list, newest first.

    The coordinator does not see the schools' drafts.
    """
    filters = filters or ReferralFilters()
    stmt = sa.select(Referral)
    if user.role is Role.SCHOOL:
        # The school's lists do not name the school, which is the user's own.
        stmt = stmt.where(Referral.school_id == user.school_id).options(
            PUPIL_OPTION, MESSAGES_OPTION
        )
    elif user.role is Role.COORDINATOR:
        stmt = (
            stmt.join(Referral.school)
            .options(PUPIL_OPTION, SCHOOL_FROM_JOIN)
            .where(School.district_id == user.district_id, Referral.status != ReferralStatus.DRAFT)
        )
    else:
        stmt = stmt.where(sa.false()).options(PUPIL_OPTION, joinedload(Referral.school))
    if filters.status is not None:
        stmt = stmt.where(Referral.status == filters.status)
    if filters.school_id is not None:
        stmt = stmt.where(Referral.school_id == filters.school_id)
    if filters.term is not None:
        term = filters.term
        stmt = stmt.where(
            sa.or_(
                Referral.planned_start.between(term.starts_on, term.ends_on),
                Referral.planned_start.is_(None),
            )
        )
    if filters.age_band in AGE_BANDS and filters.age_on is not None:
        youngest, oldest = AGE_BANDS[filters.age_band]
        on = filters.age_on
        born_after = on.replace(year=on.year - oldest - 1)
        born_by = on.replace(year=on.year - youngest)
        stmt = stmt.join(Referral.pupil).where(
            Pupil.birth_date > born_after, Pupil.birth_date <= born_by
        )
    return stmt.order_by(Referral.created_at.desc(), Referral.id.desc())


def triage_queue(user: User) -> sa.Select[Referral]:
    """Submitted referrals of the coordinator's district, oldest first."""
    return (
        referrals_in_scope(user, ReferralFilters(status=ReferralStatus.SUBMITTED))
        .order_by(None)
        .order_by(Referral.submitted_at.asc(), Referral.id.asc())
    )


def district_schools(db: DbSession, district_id: int | None) -> list[School]:
    return list(
        db.scalars(sa.select(School).where(School.district_id == district_id).order_by(School.name))
    )


def district_terms(db: DbSession, district_id: int | None) -> list[Term]:
    return list(
        db.scalars(
            sa.select(Term).where(Term.district_id == district_id).order_by(Term.starts_on.desc())
        )
    )
