"""The start page: what each role needs first."""

from __future__ import annotations

from flask import Blueprint, render_template

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.admin.queries import all_users
from mestring.core.access import acting_user
from mestring.core.time import now_utc
from mestring.extensions import db
from mestring.groups.queries import groups_in_scope
from mestring.outcomes.queries import term_outcomes
from mestring.outcomes.suppression import MIN_PUPILS
from mestring.referrals.queries import referrals_in_scope, triage_queue
from mestring.scheduling.queries import upcoming_sessions

bp = Blueprint("home", __name__)

START_LIST_LENGTH = 10


@bp.route("/")
def index() -> str:
    user = acting_user()
    template, context = START_PAGES[user.role](user)
    return render_template(f"home/{template}.html", **context)


def _school(user: User) -> tuple[str, dict[str, object]]:
    referrals = db.session.scalars(referrals_in_scope(user).limit(START_LIST_LENGTH)).unique()
    return "school", {"referrals": list(referrals)}


def _facilitator(user: User) -> tuple[str, dict[str, object]]:
    sessions = db.session.scalars(upcoming_sessions(user, now_utc())).unique()
    return "facilitator", {"sessions": list(sessions)}


def _coordinator(user: User) -> tuple[str, dict[str, object]]:
    queue = db.session.scalars(triage_queue(user).limit(START_LIST_LENGTH)).unique()
    groups = db.session.execute(groups_in_scope(user).limit(START_LIST_LENGTH)).unique()
    return "coordinator", {
        "queue": list(queue),
        "groups": list(groups),
    }


def _analyst(user: User) -> tuple[str, dict[str, object]]:
    rows = term_outcomes(db.session, user.district_id) if user.district_id else []
    return "analyst", {"rows": rows, "min_pupils": MIN_PUPILS, "suppress": True}


def _admin(user: User) -> tuple[str, dict[str, object]]:
    users = db.session.scalars(all_users().limit(START_LIST_LENGTH)).unique()
    return "admin", {"users": list(users)}


START_PAGES = {
    Role.SCHOOL: _school,
    Role.FACILITATOR: _facilitator,
    Role.COORDINATOR: _coordinator,
    Role.ANALYST: _analyst,
    Role.ADMIN: _admin,
}
