"""The start page: what each role needs first."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, render_template

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.admin.queries import all_users
from mestring.attendance.fragments import also_leading, follow_up_rows, pupils_needs
from mestring.attendance.queries import (
    day_details,
    district_flags,
    next_sessions,
    sessions_missing_attendance,
)
from mestring.core.access import acting_user, public
from mestring.core.time import now_utc
from mestring.extensions import db
from mestring.groups.list_fragments import group_rows
from mestring.home.queries import district_groups
from mestring.outcomes.freshness import cached_fragment
from mestring.outcomes.measures import Dimension, OutcomeFilters, outcome_rows
from mestring.outcomes.suppression import MIN_PUPILS, shown_rows
from mestring.referrals.fragments import ReferralLine
from mestring.referrals.queries import ReferralFilters, first_referral_lines, triage_queue

bp = Blueprint("home", __name__)

START_LIST_LENGTH = 10


@bp.route("/")
def index() -> str:
    user = acting_user()
    template, context = START_PAGES[user.role](user)
    return render_template(f"home/{template}.html", **context)


@bp.route("/tilgjengelighet")
@public
def accessibility() -> str:
    """The accessibility statement (tilgjengelighetserklæring), open to everyone."""
    return render_template("home/accessibility.html")


def _school(user: User) -> tuple[str, dict[str, object]]:
    lines = first_referral_lines(user, ReferralFilters(), START_LIST_LENGTH)
    return "school", {"referrals": _referral_lines(lines)}


def _referral_lines(stmt: sa.Select[Any]) -> list[ReferralLine]:
    # Plain columns run on the session's connection, as in `triage_queue`.
    return [ReferralLine._make(row) for row in db.session.connection().execute(stmt).all()]


def _facilitator(user: User) -> tuple[str, dict[str, object]]:
    now = now_utc()
    sessions = next_sessions(db.session, user, now)
    missing = sessions_missing_attendance(db.session, user, now, START_LIST_LENGTH)
    details = day_details(db.session, sessions)
    # Written once per group: the pupils' needs are the same for every session of a group.
    needs = {
        group_id: pupils_needs(details.members[group_id])
        for group_id in {session.group_id for session in sessions}
    }
    leading = [
        also_leading(details.leaders[session.group_id], details.substitutes[session.id], user.id)
        for session in sessions
    ]
    return "facilitator", {
        "sessions": [
            (session, others, needs[session.group_id])
            for session, others in zip(sessions, leading, strict=True)
        ],
        "missing": missing,
    }


def _coordinator(user: User) -> tuple[str, dict[str, object]]:
    queue = triage_queue(db.session, user.district_id, START_LIST_LENGTH)
    groups = district_groups(db.session, user.district_id, START_LIST_LENGTH)
    return "coordinator", {
        "queue": [ReferralLine._make(row) for row in queue],
        "groups": group_rows(groups),
        "follow_up": follow_up_rows(district_flags(db.session, user.district_id)),
    }


def _analyst(user: User) -> tuple[str, dict[str, object]]:
    district_id = user.district_id
    if district_id is None:
        return "analyst", {"figures": None}

    def context() -> dict[str, object]:
        rows = outcome_rows(
            db.session,
            district_id=district_id,
            dimension=Dimension.TERM,
            filters=OutcomeFilters(),
            now=now_utc(),
        )
        return {"rows": shown_rows(rows, suppress=True), "min_pupils": MIN_PUPILS}

    figures = cached_fragment(
        db.session,
        district_id=district_id,
        now=now_utc(),
        template="home/_analyst_figures.html",
        parts=(),
        context=context,
    )
    return "analyst", {"figures": figures}


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
