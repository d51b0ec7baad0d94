"""Referral list and referral page."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy.orm import selectinload

from mestring.accounts.enums import Role
from mestring.audit.web import audit_request
from mestring.core.access import acting_user, get_or_404, roles_required
from mestring.core.pagination import paginate
from mestring.extensions import db
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Referral, ReferralStatusChange
from mestring.referrals.permissions import can_view_referral
from mestring.referrals.queries import referrals_in_scope

bp = Blueprint("referrals", __name__, url_prefix="/referrals")


@bp.route("/")
@roles_required(Role.SCHOOL, Role.COORDINATOR)
def index() -> str:
    status_arg = request.args.get("status", "")
    status = ReferralStatus(status_arg) if status_arg in set(ReferralStatus) else None
    page = paginate(
        db.session,
        referrals_in_scope(acting_user(), status),
        request.args.get("page", 1, type=int),
    )
    return render_template(
        "referrals/index.html", page=page, status=status, statuses=list(ReferralStatus)
    )


@bp.route("/<int:referral_id>")
@roles_required(Role.SCHOOL, Role.COORDINATOR)
def detail(referral_id: int) -> str:
    referral = get_or_404(
        Referral,
        referral_id,
        can_view_referral,
        options=[
            selectinload(Referral.history).joinedload(ReferralStatusChange.actor),
            selectinload(Referral.consents),
        ],
    )
    audit_request(
        "view_referral", object_type="referral", object_id=referral.id, pupil_id=referral.pupil_id
    )
    db.session.commit()
    return render_template("referrals/detail.html", referral=referral)
