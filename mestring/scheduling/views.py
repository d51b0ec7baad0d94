"""The session page."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy.orm import joinedload, selectinload

from mestring.accounts.enums import Role
from mestring.core.access import get_or_404, roles_required
from mestring.groups.models import FacilitatorAssignment, Group
from mestring.scheduling.models import Session, SessionChange, SessionSubstitute
from mestring.scheduling.permissions import can_view_session

bp = Blueprint("scheduling", __name__, url_prefix="/sessions")


@bp.route("/<int:session_id>")
@roles_required(Role.COORDINATOR, Role.FACILITATOR)
def session_detail(session_id: int) -> str:
    session = get_or_404(
        Session,
        session_id,
        can_view_session,
        options=[
            joinedload(Session.group)
            .selectinload(Group.facilitators)
            .joinedload(FacilitatorAssignment.user),
            joinedload(Session.venue),
            selectinload(Session.substitutes).joinedload(SessionSubstitute.substitute),
            selectinload(Session.changes).joinedload(SessionChange.actor),
        ],
    )
    return render_template("scheduling/session.html", session=session)
