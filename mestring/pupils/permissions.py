"""Who may see a pupil: their school, the district's coordinator, their group's facilitators."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import object_session

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.groups.models import FacilitatorAssignment, GroupMembership
from mestring.referrals.models import Pupil
from mestring.referrals.permissions import in_school_scope


def leads_group_of(user: User, pupil: Pupil) -> bool:
    stmt = (
        sa.select(GroupMembership.id)
        .join(FacilitatorAssignment, FacilitatorAssignment.group_id == GroupMembership.group_id)
        .where(GroupMembership.pupil_id == pupil.id, FacilitatorAssignment.user_id == user.id)
        .limit(1)
    )
    session = object_session(pupil)
    return session is not None and session.scalar(stmt) is not None


def can_view_pupil(user: User, pupil: Pupil) -> bool:
    if user.role is Role.FACILITATOR:
        return leads_group_of(user, pupil)
    return in_school_scope(user, pupil.school)
