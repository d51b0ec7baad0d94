"""Administration pages."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from mestring.accounts.enums import Role
from mestring.admin.queries import all_users
from mestring.core.access import roles_required
from mestring.core.pagination import paginate
from mestring.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@roles_required(Role.ADMIN)
def users() -> str:
    page = paginate(db.session, all_users(), request.args.get("page", 1, type=int))
    return render_template("admin/users.html", page=page)
