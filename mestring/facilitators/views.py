"""Facilitators: the workload list, profiles with unavailability, and staffing a group."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import joinedload, selectinload

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.audit.web import audit_request
from mestring.core.access import acting_user, get_or_404, roles_required
from mestring.core.errors import DomainError
from mestring.core.time import now_utc, today_oslo
from mestring.core.translations import gettext as _
from mestring.core.translations import ngettext
from mestring.extensions import db
from mestring.facilitators.assignment import (
    assign_facilitator,
    assignment_choices,
    rank_for_group,
    unassign_facilitator,
)
from mestring.facilitators.forms import AssignForm, TermForm, UnavailabilityForm
from mestring.facilitators.fragments import workload_rows
from mestring.facilitators.permissions import (
    can_manage_unavailability,
    can_remove_assignment,
    can_staff_group,
    can_view_facilitator,
)
from mestring.facilitators.queries import (
    coming_unavailability,
    current_term,
    facilitator_page,
    groups_led_by,
    months_of,
    sessions_while_unavailable,
    workload,
)
from mestring.facilitators.services import add_unavailability, delete_unavailability
from mestring.groups.enums import FacilitatorRole
from mestring.groups.models import FacilitatorAssignment, Group
from mestring.groups.queries import term_options
from mestring.groups.services import EDITABLE_STATUSES
from mestring.scheduling.enums import UnavailabilityReason
from mestring.scheduling.models import Unavailability

bp = Blueprint("facilitators", __name__)

STAFF = (Role.COORDINATOR, Role.FACILITATOR)


def _form_error(form: Any, error: DomainError) -> None:
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors = [*form[field].errors, str(error)]
    else:
        form.form_errors.append(str(error))


# --- Workload -----------------------------------------------------------------------------------


@bp.route("/facilitators/")
@roles_required(Role.COORDINATOR)
def index() -> str:
    """Each facilitator's groups and sessions per month of a term, to balance the load."""
    user = acting_user()
    terms = term_options(db.session, user.district_id)
    form = TermForm(request.args, terms=[(t.id, t.name) for t in terms])
    term = next((t for t in terms if t.id == form.term.data), None) or current_term(
        terms, today_oslo()
    )
    form.term.data = term.id if term else None
    page = facilitator_page(db.session, user.district_id, request.args.get("page", 1, type=int))
    return render_template(
        "facilitators/index.html",
        form=form,
        term=term,
        page=page,
        months=months_of(term) if term else [],
        table_rows=workload_rows(workload(db.session, page.items, term)) if term else [],
    )


# --- Profiles and unavailability ---------------------------------------------------------------


@bp.route("/facilitators/me")
@roles_required(Role.FACILITATOR)
def me() -> ResponseReturnValue:
    return redirect(url_for("facilitators.profile", user_id=acting_user().id))


PROFILE_OPTIONS = [joinedload(User.service), joinedload(User.school), joinedload(User.district)]


def _render_profile(
    facilitator: User, form: UnavailabilityForm | None = None, status: int = 200
) -> ResponseReturnValue:
    today = today_oslo()
    periods = coming_unavailability(db.session, facilitator, today)
    return render_template(
        "facilitators/profile.html",
        facilitator=facilitator,
        is_self=acting_user().id == facilitator.id,
        assignments=groups_led_by(db.session, facilitator),
        periods=periods,
        uncovered=sessions_while_unavailable(db.session, facilitator, periods, now_utc()),
        form=form or UnavailabilityForm(formdata=None, data={"reason": "holiday"}),
    ), status


@bp.route("/facilitators/<int:user_id>")
@roles_required(*STAFF)
def profile(user_id: int) -> ResponseReturnValue:
    facilitator = get_or_404(User, user_id, can_view_facilitator, PROFILE_OPTIONS)
    return _render_profile(facilitator)


@bp.route("/facilitators/<int:user_id>/unavailability", methods=["POST"])
@roles_required(*STAFF)
def add_unavailability_view(user_id: int) -> ResponseReturnValue:
    facilitator = get_or_404(User, user_id, can_view_facilitator, PROFILE_OPTIONS)
    form = UnavailabilityForm()
    if form.validate_on_submit():
        try:
            item = add_unavailability(
                db.session,
                actor=acting_user(),
                facilitator=facilitator,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                reason=UnavailabilityReason(form.reason.data),
                note=form.note.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            audit_request("add_unavailability", object_type="unavailability", object_id=item.id)
            db.session.commit()
            flash(_("The period is saved."), "success")
            uncovered = sessions_while_unavailable(db.session, facilitator, [item], now_utc())
            if uncovered:
                flash(
                    ngettext(
                        "%(num)s session falls in the period and needs a substitute.",
                        "%(num)s sessions fall in the period and need a substitute.",
                        len(uncovered),
                    ),
                    "warning",
                )
            return redirect(url_for("facilitators.profile", user_id=facilitator.id))
    return _render_profile(facilitator, form, status=400)


_WITH_USER = (joinedload(Unavailability.user),)


@bp.route("/facilitators/<int:user_id>/unavailability/<int:item_id>/delete", methods=["POST"])
@roles_required(*STAFF)
def delete_unavailability_view(user_id: int, item_id: int) -> ResponseReturnValue:
    item = get_or_404(Unavailability, item_id, can_manage_unavailability, _WITH_USER)
    if item.user_id != user_id:
        abort(404)
    delete_unavailability(db.session, actor=acting_user(), item=item)
    audit_request("delete_unavailability", object_type="unavailability", object_id=item_id)
    db.session.commit()
    flash(_("The period is deleted."), "success")
    return redirect(url_for("facilitators.profile", user_id=user_id))


# --- Staffing a group ---------------------------------------------------------------------------

STAFFING_OPTIONS = [
    selectinload(Group.facilitators)
    .joinedload(FacilitatorAssignment.user)
    .joinedload(User.service),
    selectinload(Group.sessions),
    joinedload(Group.term),
]


@bp.route("/groups/<int:group_id>/facilitators", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
def assign(group_id: int) -> ResponseReturnValue:
    """The ranked candidates for the group (GET) and assigning one of them (POST)."""
    user = acting_user()
    group = get_or_404(Group, group_id, can_staff_group, STAFFING_OPTIONS)
    now = now_utc()
    ranking = rank_for_group(db.session, group=group, now=now)
    form = AssignForm(candidates=assignment_choices(ranking))
    if form.validate_on_submit():
        chosen = db.session.get(User, form.user.data)
        try:
            if chosen is None:
                abort(404)
            assign_facilitator(
                db.session,
                actor=user,
                group=group,
                facilitator=chosen,
                role=FacilitatorRole(form.role.data),
                now=now,
            )
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            audit_request(
                "assign_facilitator",
                object_type="group",
                object_id=group.id,
                details={"user_id": chosen.id, "role": form.role.data},
            )
            db.session.commit()
            flash(_("%(name)s now leads the group.", name=chosen.name), "success")
            return redirect(url_for("facilitators.assign", group_id=group.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "facilitators/assign.html",
        group=group,
        ranking=ranking,
        form=form,
        editable=group.status in EDITABLE_STATUSES,
    ), status


_WITH_GROUP_AND_USER = (
    joinedload(FacilitatorAssignment.group),
    joinedload(FacilitatorAssignment.user),
)


@bp.route("/groups/<int:group_id>/facilitators/<int:assignment_id>/remove", methods=["POST"])
@roles_required(Role.COORDINATOR)
def remove(group_id: int, assignment_id: int) -> ResponseReturnValue:
    assignment = get_or_404(
        FacilitatorAssignment,
        assignment_id,
        can_remove_assignment,
        _WITH_GROUP_AND_USER,
    )
    if assignment.group_id != group_id:
        abort(404)
    name, user_id = assignment.user.name, assignment.user_id
    try:
        unassign_facilitator(db.session, actor=acting_user(), assignment=assignment, now=now_utc())
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        audit_request(
            "unassign_facilitator",
            object_type="group",
            object_id=group_id,
            details={"user_id": user_id},
        )
        db.session.commit()
        flash(_("%(name)s no longer leads the group.", name=name), "success")
    return redirect(url_for("facilitators.assign", group_id=group_id))
