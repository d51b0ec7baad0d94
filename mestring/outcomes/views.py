"""The outcome summary."""

from __future__ import annotations

from flask import Blueprint, render_template

from mestring.accounts.enums import Role
from mestring.core.access import acting_user, roles_required
from mestring.extensions import db
from mestring.outcomes.queries import term_outcomes
from mestring.outcomes.suppression import MIN_PUPILS

bp = Blueprint("outcomes", __name__, url_prefix="/outcomes")


@bp.route("/")
@roles_required(Role.COORDINATOR, Role.ANALYST)
def index() -> str:
    user = acting_user()
    rows = term_outcomes(db.session, user.district_id) if user.district_id else []
    return render_template(
        "outcomes/index.html",
        rows=rows,
        min_pupils=MIN_PUPILS,
        suppress=user.role is Role.ANALYST,
    )
