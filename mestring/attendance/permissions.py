"""Who may record attendance and see it (the note's readers, see ``can_read_session_note``)."""

from __future__ import annotations

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.groups.models import Group
from mestring.groups.permissions import can_view_group, is_district_coordinator
from mestring.scheduling.models import Session
from mestring.scheduling.permissions import can_read_session_note, leads_session


def can_record_attendance(user: User, session: Session) -> bool:
    """A facilitator leading this session (a substitute too, not the one replaced), or the
    district's coordinator, who may correct a mark."""
    if user.role is Role.FACILITATOR:
        return leads_session(user, session)
    return is_district_coordinator(user, session.group.district_id)


def can_view_session_attendance(user: User, session: Session) -> bool:
    return can_read_session_note(user, session)


def can_view_group_attendance(user: User, group: Group) -> bool:
    """The group's facilitators and the district's coordinator."""
    return can_view_group(user, group)
