"""Who may see groups."""

from __future__ import annotations

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.groups.models import Group


def leads_group(user: User, group: Group) -> bool:
    return any(assignment.user_id == user.id for assignment in group.facilitators)


def can_view_group(user: User, group: Group) -> bool:
    if user.role is Role.COORDINATOR:
        return user.district_id == group.district_id
    if user.role is Role.FACILITATOR:
        return leads_group(user, group)
    return False
