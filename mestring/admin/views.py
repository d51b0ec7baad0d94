"""Administration pages: user accounts and the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.accounts.services import (
    InvalidAccount,
    UserDetails,
    create_user,
    new_setup_token,
    set_active,
    sign_out_everywhere,
    update_user,
)
from mestring.admin.forms import AuditSearchForm, UserForm
from mestring.admin.permissions import can_manage_user
from mestring.admin.queries import (
    AuditFilters,
    all_users,
    audit_actions,
    audit_events,
    scope_options,
    user_rows,
    users_by_id,
)
from mestring.audit.web import audit_request
from mestring.core.access import acting_user, get_or_404, roles_required
from mestring.core.forms import BaseForm
from mestring.core.pagination import paginate
from mestring.core.time import now_utc
from mestring.core.translations import gettext as _
from mestring.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@roles_required(Role.ADMIN)
def users() -> str:
    stmt = user_rows(acting_user().district_id)
    page = paginate(db.session, stmt, request.args.get("page", 1, type=int))
    return render_template("admin/users.html", page=page)


def _user_form(user: User | None = None) -> UserForm:
    districts, schools, services = scope_options(db.session, acting_user().district_id)
    data = None
    if user is not None:
        data = {
            "name": user.name,
            "email": user.email,
            "phone": user.phone,
            "role": user.role.value,
            "district": user.district_id,
            "school": user.school_id,
            "service": user.service_id,
        }
    return UserForm(data=data, districts=districts, schools=schools, services=services)


def _details(form: UserForm) -> UserDetails:
    return UserDetails(
        name=form.name.data,
        email=form.email.data,
        phone=form.phone.data or "",
        role=Role(form.role.data),
        district_id=form.district.data,
        school_id=form.school.data,
        service_id=form.service.data,
    )


def _field_error(form: UserForm, error: InvalidAccount) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _setup_link_page(user: User, token: str) -> str:
    setup_url = url_for("accounts.setup_password", token=token, _external=True)
    return render_template("admin/setup_link.html", user=user, setup_url=setup_url)


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user_new() -> ResponseReturnValue:
    actor = acting_user()
    form = _user_form()
    if form.validate_on_submit():
        now = now_utc()
        try:
            user = create_user(db.session, actor=actor, details=_details(form), now=now)
            _check_district(actor, user)
        except InvalidAccount as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            token = new_setup_token(db.session, actor=actor, user=user, now=now)
            audit_request("create_user", object_type="user", object_id=user.id)
            db.session.commit()
            # The link is shown once, here; only its hash is kept.
            return _setup_link_page(user, token)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=None), status


def _check_district(actor: User, user: User) -> None:
    """An administrator bound to a district keeps the accounts they manage in it."""
    if not can_manage_user(actor, user):
        raise InvalidAccount(_("Choose your own district."), "district")


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user_edit(user_id: int) -> ResponseReturnValue:
    actor = acting_user()
    user = get_or_404(User, user_id, can_manage_user)
    form = _user_form(user) if request.method == "GET" else _user_form()
    if form.validate_on_submit():
        try:
            update_user(db.session, actor=actor, user=user, details=_details(form))
            _check_district(actor, user)
        except InvalidAccount as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            audit_request(
                "update_user",
                object_type="user",
                object_id=user.id,
                details={"role": user.role.value},
            )
            db.session.commit()
            flash(_("The account is saved."), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/user_form.html", form=form, user=user, is_self=user.id == actor.id
    ), status


def _account_action(user_id: int, action: str) -> tuple[User, User] | None:
    """Load the account for a POST action; None when the form (CSRF) does not validate."""
    user = get_or_404(User, user_id, can_manage_user)
    if not BaseForm().validate_on_submit():
        flash(_("The change could not be made. Please try again."), "error")
        return None
    audit_request(action, object_type="user", object_id=user.id)
    return acting_user(), user


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@roles_required(Role.ADMIN)
def user_deactivate(user_id: int) -> ResponseReturnValue:
    loaded = _account_action(user_id, "deactivate_user")
    if loaded is not None:
        actor, user = loaded
        try:
            set_active(db.session, actor=actor, user=user, active=False)
        except InvalidAccount as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The account is deactivated and signed out everywhere."), "success")
    return redirect(url_for("admin.user_edit", user_id=user_id))


@bp.route("/users/<int:user_id>/activate", methods=["POST"])
@roles_required(Role.ADMIN)
def user_activate(user_id: int) -> ResponseReturnValue:
    loaded = _account_action(user_id, "activate_user")
    if loaded is not None:
        actor, user = loaded
        set_active(db.session, actor=actor, user=user, active=True)
        db.session.commit()
        flash(_("The account is active again."), "success")
    return redirect(url_for("admin.user_edit", user_id=user_id))


@bp.route("/users/<int:user_id>/sign-out", methods=["POST"])
@roles_required(Role.ADMIN)
def user_sign_out(user_id: int) -> ResponseReturnValue:
    loaded = _account_action(user_id, "sign_out_user")
    if loaded is not None:
        _actor, user = loaded
        sign_out_everywhere(db.session, user=user)
        db.session.commit()
        flash(_("The user is signed out in every browser."), "success")
    return redirect(url_for("admin.user_edit", user_id=user_id))


@bp.route("/users/<int:user_id>/setup-link", methods=["POST"])
@roles_required(Role.ADMIN)
def user_setup_link(user_id: int) -> ResponseReturnValue:
    loaded = _account_action(user_id, "password_link_user")
    if loaded is None:
        return redirect(url_for("admin.user_edit", user_id=user_id))
    actor, user = loaded
    token = new_setup_token(db.session, actor=actor, user=user, now=now_utc())
    db.session.commit()
    return _setup_link_page(user, token)


@bp.route("/audit")
@roles_required(Role.ADMIN)
def audit() -> ResponseReturnValue:
    form = AuditSearchForm(
        request.args,
        users=list(db.session.scalars(all_users())),
        actions=audit_actions(db.session),
    )
    valid = form.validate() if request.args else True
    filters = (
        AuditFilters(
            actor_id=form.user.data,
            pupil_id=form.pupil.data,
            action=form.action.data or None,
            date_from=form.date_from.data,
            date_to=form.date_to.data,
        )
        if valid and request.args
        else AuditFilters()
    )
    page = paginate(db.session, audit_events(filters), request.args.get("page", 1, type=int))
    actors = users_by_id(db.session, {event.actor_id for event in page.items if event.actor_id})
    args = {key: value for key, value in request.args.items() if key != "page"}
    return render_template(
        "admin/audit.html", form=form, page=page, actors=actors, args=args
    ), 200 if valid else 400
