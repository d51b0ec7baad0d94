"""Who may withdraw consent for a pupil and who may export everything held about one."""

from __future__ import annotations

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.referrals.models import Pupil
from mestring.referrals.permissions import in_school_scope


def can_withdraw_consent(user: User, pupil: Pupil) -> bool:
    """The pupil's school or the district's coordinator, while the pupil still has an identity."""
    return pupil.anonymised_at is None and in_school_scope(user, pupil.school)


def can_export_pupil(user: User, pupil: Pupil) -> bool:
    """The coordinator of the pupil's district answers access requests."""
    return user.role is Role.COORDINATOR and user.district_id == pupil.school.district_id
