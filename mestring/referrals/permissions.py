"""Who may see and act on referrals."""

from __future__ import annotations

from mestring.accounts.enums import Role
from mestring.accounts.models import School, User
from mestring.referrals.models import Referral


def in_school_scope(user: User, school: School) -> bool:
    """A school user sees their own school; a coordinator every school of their district."""
    if user.role is Role.SCHOOL:
        return user.school_id == school.id
    if user.role is Role.COORDINATOR:
        return user.district_id == school.district_id
    return False


def can_view_referral(user: User, referral: Referral) -> bool:
    return in_school_scope(user, referral.school)


def can_list_referrals(user: User) -> bool:
    return user.role in {Role.SCHOOL, Role.COORDINATOR}
