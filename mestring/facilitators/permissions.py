"""Who may see a facilitator's profile and change their unavailability, and staff a group."""

from __future__ import annotations

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.groups.models import FacilitatorAssignment, Group
from mestring.groups.permissions import can_manage_group, is_district_coordinator
from mestring.scheduling.models import Unavailability


def can_view_facilitator(user: User, facilitator: User) -> bool:
    """The facilitator themselves and the coordinator of their district."""
    if facilitator.role is not Role.FACILITATOR:
        return False
    return user.id == facilitator.id or is_district_coordinator(user, facilitator.district_id)


def can_manage_unavailability(user: User, item: Unavailability) -> bool:
    return can_view_facilitator(user, item.user)


def can_staff_group(user: User, group: Group) -> bool:
    """Assign and remove facilitators: the district's coordinator."""
    return can_manage_group(user, group)


def can_remove_assignment(user: User, assignment: FacilitatorAssignment) -> bool:
    return can_staff_group(user, assignment.group)
