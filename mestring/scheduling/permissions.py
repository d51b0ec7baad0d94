"""Who may see and change sessions, plans and closed periods."""

from __future__ import annotations

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.groups.models import Group
from mestring.groups.permissions import can_view_group, leads_group
from mestring.scheduling.models import ClosedPeriod, Session


def leads_session(user: User, session: Session) -> bool:
    """An assigned facilitator who is not replaced, or a substitute for this session."""
    substitutes = {s.substitute_id for s in session.substitutes}
    replaced = {s.replaced_id for s in session.substitutes}
    if user.id in substitutes:
        return True
    assigned = {a.user_id for a in session.group.facilitators}
    return user.id in assigned - replaced


def can_read_session_note(user: User, session: Session) -> bool:
    """The group's facilitators, whoever leads this session, and the district's coordinator."""
    if user.role is Role.FACILITATOR:
        return leads_group(user, session.group) or leads_session(user, session)
    return user.role is Role.COORDINATOR and user.district_id == session.group.district_id


def can_set_substitute(user: User, session: Session) -> bool:
    """Substitutes are arranged by the district's coordinator."""
    return user.role is Role.COORDINATOR and user.district_id == session.group.district_id


def can_view_session(user: User, session: Session) -> bool:
    if user.role is Role.FACILITATOR:
        return leads_session(user, session) or can_view_group(user, session.group)
    return can_view_group(user, session.group)


def can_change_sessions_of(user: User, group: Group) -> bool:
    """Move, switch or cancel sessions: the district's coordinator and the group's facilitators."""
    if user.role is Role.COORDINATOR:
        return user.district_id == group.district_id
    if user.role is Role.FACILITATOR:
        return leads_group(user, group)
    return False


def can_change_session(user: User, session: Session) -> bool:
    return can_change_sessions_of(user, session.group)


def can_view_plan(user: User, group: Group) -> bool:
    return can_view_group(user, group)


def can_generate_plan(user: User, group: Group) -> bool:
    """Re-generating replaces sessions: only the district's coordinator."""
    return user.role is Role.COORDINATOR and user.district_id == group.district_id


def can_have_feed(user: User) -> bool:
    return user.role in (Role.FACILITATOR, Role.COORDINATOR)


def can_manage_closed_period(user: User, period: ClosedPeriod) -> bool:
    """Admins without a district span all districts; one with a district keeps to it."""
    if user.role is not Role.ADMIN:
        return False
    return user.district_id is None or user.district_id == period.district_id
