"""Group list and group page."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy.orm import joinedload, selectinload

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.core.access import acting_user, get_or_404, roles_required
from mestring.core.pagination import paginate
from mestring.extensions import db
from mestring.groups.models import FacilitatorAssignment, Group, GroupMembership
from mestring.groups.permissions import can_view_group
from mestring.groups.queries import groups_in_scope
from mestring.referrals.models import Pupil

bp = Blueprint("groups", __name__, url_prefix="/groups")


@bp.route("/")
@roles_required(Role.COORDINATOR, Role.FACILITATOR)
def index() -> str:
    page = paginate(
        db.session, groups_in_scope(acting_user()), request.args.get("page", 1, type=int)
    )
    return render_template("groups/index.html", page=page)


@bp.route("/<int:group_id>")
@roles_required(Role.COORDINATOR, Role.FACILITATOR)
def detail(group_id: int) -> str:
    group = get_or_404(
        Group,
        group_id,
        can_view_group,
        options=[
            selectinload(Group.memberships)
            .joinedload(GroupMembership.pupil)
            .joinedload(Pupil.school),
            selectinload(Group.facilitators)
            .joinedload(FacilitatorAssignment.user)
            .joinedload(User.service),
            selectinload(Group.sessions),
            joinedload(Group.term),
            joinedload(Group.template),
            joinedload(Group.venue),
        ],
    )
    return render_template("groups/detail.html", group=group)
