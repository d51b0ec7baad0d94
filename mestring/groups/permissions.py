"""Who may see and change groups, course templates and keep-apart pairs."""

from __future__ import annotations

from mestring.accounts.enums import Role
from mestring.accounts.models import Term, User
from mestring.groups.models import (
    CourseTemplate,
    Group,
    GroupMembership,
    KeepApartPair,
    TemplateSession,
)


def leads_group(user: User, group: Group) -> bool:
    return any(assignment.user_id == user.id for assignment in group.facilitators)


def is_district_coordinator(user: User, district_id: int | None) -> bool:
    return (
        user.role is Role.COORDINATOR
        and district_id is not None
        and (user.district_id == district_id)
    )


def can_view_group(user: User, group: Group) -> bool:
    if user.role is Role.COORDINATOR:
        return user.district_id == group.district_id
    if user.role is Role.FACILITATOR:
        return leads_group(user, group)
    return False


def can_manage_group(user: User, group: Group) -> bool:
    """Edit, change status, place and remove pupils: the district's coordinator only."""
    return is_district_coordinator(user, group.district_id)


def can_manage_membership(user: User, membership: GroupMembership) -> bool:
    return can_manage_group(user, membership.group)


def can_use_term(user: User, term: Term) -> bool:
    return is_district_coordinator(user, term.district_id)


def can_view_template(user: User, template: CourseTemplate) -> bool:
    """Shipped templates and the coordinator's own district's copies."""
    if user.role is not Role.COORDINATOR:
        return False
    return template.district_id is None or template.district_id == user.district_id


def can_edit_template(user: User, template: CourseTemplate) -> bool:
    """Only a district's own copy; shipped templates are read-only."""
    return is_district_coordinator(user, template.district_id)


def can_edit_template_session(user: User, session: TemplateSession) -> bool:
    return can_edit_template(user, session.template)


def can_manage_keep_apart(user: User, pair: KeepApartPair) -> bool:
    return is_district_coordinator(user, pair.district_id)
