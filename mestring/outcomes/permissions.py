"""Who may enter absence and see outcomes: schools their own pupils, coordinators their district,
analysts aggregated figures only."""

from __future__ import annotations

from mestring.accounts.enums import Role
from mestring.accounts.models import School, User
from mestring.referrals.models import Pupil
from mestring.referrals.permissions import in_school_scope


def can_enter_absence(user: User, pupil: Pupil) -> bool:
    """A school user for their own school's pupils; a coordinator for the whole district."""
    return user.role in {Role.SCHOOL, Role.COORDINATOR} and in_school_scope(user, pupil.school)


def can_import_absence(user: User, school: School) -> bool:
    return user.role in {Role.SCHOOL, Role.COORDINATOR} and in_school_scope(user, school)


def can_view_outcomes(user: User) -> bool:
    return user.role in {Role.COORDINATOR, Role.ANALYST} and user.district_id is not None


def sees_pupils(user: User) -> bool:
    """Only coordinators see pupil-level outcomes; analysts see suppressed aggregates."""
    return user.role is Role.COORDINATOR


def suppresses_small_numbers(user: User) -> bool:
    return user.role is not Role.COORDINATOR
