"""Who may see and act on referrals."""

from __future__ import annotations

from mestring.accounts.enums import Role
from mestring.accounts.models import School, User
from mestring.referrals.enums import CLOSED_STATUSES, ReferralStatus
from mestring.referrals.models import Referral

SCHOOL_EDITABLE = frozenset({ReferralStatus.DRAFT, ReferralStatus.NEEDS_INFO})


def in_school_scope(user: User, school: School) -> bool:
    """A school user sees their own school; a coordinator every school of their district."""
    if user.role is Role.SCHOOL:
        return user.school_id == school.id
    if user.role is Role.COORDINATOR:
        return user.district_id == school.district_id
    return False


def can_view_referral(user: User, referral: Referral) -> bool:
    """Drafts stay with the school until they are submitted."""
    if user.role is Role.COORDINATOR and referral.status is ReferralStatus.DRAFT:
        return False
    return in_school_scope(user, referral.school)


def can_create_referral(user: User) -> bool:
    return user.role is Role.SCHOOL and user.school_id is not None


def can_edit_referral(user: User, referral: Referral) -> bool:
    """The school edits while the referral is a draft or needs information; after that only
    the coordinator corrects it, until it is closed."""
    if not can_view_referral(user, referral):
        return False
    if user.role is Role.SCHOOL:
        return referral.status in SCHOOL_EDITABLE
    return referral.status not in CLOSED_STATUSES


def can_record_consent(user: User, referral: Referral) -> bool:
    return can_view_referral(user, referral) and referral.status not in CLOSED_STATUSES


def can_list_referrals(user: User) -> bool:
    return user.role in {Role.SCHOOL, Role.COORDINATOR}
