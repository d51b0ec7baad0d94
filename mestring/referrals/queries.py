"""Referral lists that pages share, with what they show loaded up front."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from mestring.accounts.enums import Role
from mestring.accounts.models import School, User
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Referral


def referrals_in_scope(user: User, status: ReferralStatus | None = None) -> sa.Select[Referral]:
    """The referrals a school or coordinator may list, newest first."""
    stmt = sa.select(Referral).options(joinedload(Referral.pupil), joinedload(Referral.school))
    if user.role is Role.SCHOOL:
        stmt = stmt.where(Referral.school_id == user.school_id)
    elif user.role is Role.COORDINATOR:
        stmt = stmt.join(Referral.school).where(School.district_id == user.district_id)
    else:
        stmt = stmt.where(sa.false())
    if status is not None:
        stmt = stmt.where(Referral.status == status)
    return stmt.order_by(Referral.created_at.desc(), Referral.id.desc())


def triage_queue(user: User) -> sa.Select[Referral]:
    """Submitted referrals of the coordinator's district, oldest first."""
    return (
        referrals_in_scope(user, ReferralStatus.SUBMITTED)
        .order_by(None)
        .order_by(Referral.submitted_at.asc(), Referral.id.asc())
    )
