"""Who may see a session."""

from __future__ import annotations

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.groups.permissions import can_view_group
from mestring.scheduling.models import Session


def leads_session(user: User, session: Session) -> bool:
    """An assigned facilitator who is not replaced, or a substitute for this session."""
    substitutes = {s.substitute_id for s in session.substitutes}
    replaced = {s.replaced_id for s in session.substitutes}
    if user.id in substitutes:
        return True
    assigned = {a.user_id for a in session.group.facilitators}
    return user.id in assigned - replaced


def can_view_session(user: User, session: Session) -> bool:
    if user.role is Role.FACILITATOR:
        return leads_session(user, session) or can_view_group(user, session.group)
    return can_view_group(user, session.group)
