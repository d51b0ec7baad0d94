"""Session lists that pages share."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.groups.models import FacilitatorAssignment, Group
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session, SessionSubstitute


def sessions_led_by(user: User) -> sa.ColumnElement[bool]:
    """Sessions of the user's groups where they are not replaced, and those they substitute in."""
    assigned = sa.select(FacilitatorAssignment.group_id).where(
        FacilitatorAssignment.user_id == user.id
    )
    replaced = sa.select(SessionSubstitute.session_id).where(
        SessionSubstitute.replaced_id == user.id
    )
    substituting = sa.select(SessionSubstitute.session_id).where(
        SessionSubstitute.substitute_id == user.id
    )
    return sa.or_(
        sa.and_(Session.group_id.in_(assigned), Session.id.not_in(replaced)),
        Session.id.in_(substituting),
    )


def upcoming_sessions(user: User, now: datetime, limit: int = 10) -> sa.Select[Session]:
    """The next planned sessions a facilitator leads, or of a coordinator's district."""
    stmt = (
        sa.select(Session)
        .join(Session.group)
        .options(joinedload(Session.group), joinedload(Session.venue))
        .where(Session.starts_at >= now, Session.status == SessionStatus.PLANNED)
    )
    if user.role is Role.FACILITATOR:
        stmt = stmt.where(sessions_led_by(user))
    elif user.role is Role.COORDINATOR:
        stmt = stmt.where(Group.district_id == user.district_id)
    else:
        stmt = stmt.where(sa.false())
    return stmt.order_by(Session.starts_at).limit(limit)
