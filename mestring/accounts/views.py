"""Sign in, sign out, the account page, one-time password links and the language switch."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from mestring.accounts.enums import Locale
from mestring.accounts.forms import ChangePasswordForm, LanguageForm, LoginForm, SetPasswordForm
from mestring.accounts.services import (
    WeakPassword,
    WrongPassword,
    authenticate,
    change_password,
    normalise_email,
    set_locale,
    set_password_with_token,
    sign_out_everywhere,
    valid_setup_token,
)
from mestring.audit.services import record_event
from mestring.audit.web import audit_request
from mestring.core.access import acting_user, public
from mestring.core.time import now_utc
from mestring.core.translations import gettext as _
from mestring.core.urls import safe_next
from mestring.extensions import db, limiter

bp = Blueprint("accounts", __name__)

# The session keeps when the user was last seen (seconds since the epoch), renewed at most
# once a minute: inactivity is measured without writing to the database on every request.
LAST_SEEN_KEY = "seen"
LAST_SEEN_RESOLUTION = 60


def _account_key() -> str:
    """Sign-in attempts are counted per account as well as per address; an unknown e-mail
    is counted the same way, so the limit says nothing about which accounts exist."""
    email = request.form.get("email", "")
    return "sign-in:" + normalise_email(email if isinstance(email, str) else "")[:254]


def _start_session() -> None:
    session[LAST_SEEN_KEY] = int(now_utc().timestamp())


@bp.before_app_request
def end_idle_session() -> None:
    """Sign out a session that has been idle longer than SESSION_IDLE_HOURS."""
    if "_user_id" not in session:
        return
    now = int(now_utc().timestamp())
    seen = session.get(LAST_SEEN_KEY)
    idle_limit = int(current_app.config["SESSION_IDLE_HOURS"]) * 3600
    if not isinstance(seen, int) or now - seen > idle_limit:
        logout_user()
        session.clear()
        flash(_("You were signed out after a period without activity."), "info")
    elif now - seen >= LAST_SEEN_RESOLUTION:
        session[LAST_SEEN_KEY] = now


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute; 100 per hour", methods=["POST"])
@limiter.limit("5 per minute; 20 per hour", methods=["POST"], key_func=_account_key)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        now = now_utc()
        user = authenticate(db.session, email=form.email.data, password=form.password.data, now=now)
        if user is None:
            # The e-mail only: never the password, and no pupil data is involved.
            record_event(
                db.session,
                actor=None,
                action="sign_in_failed",
                now=now,
                ip_address=request.remote_addr or "",
                details={"email": normalise_email(form.email.data)[:254]},
            )
            db.session.commit()
            form.password.errors.append(_("Wrong e-mail or password."))
            return render_template("accounts/login.html", form=form), 200
        record_event(
            db.session, actor=user, action="sign_in", now=now, ip_address=request.remote_addr or ""
        )
        db.session.commit()
        # Flask-Login keeps the old session: start a fresh one so nothing carries over.
        session.clear()
        login_user(user, remember=False)
        session["locale"] = user.locale.value
        _start_session()
        return redirect(safe_next(form.next.data, url_for("home.index")))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    # A copy of this session cookie elsewhere must not stay signed in: the id changes.
    sign_out_everywhere(db.session, user=acting_user())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


def _render_account(password_form: ChangePasswordForm, status: int = 200) -> ResponseReturnValue:
    user = acting_user()
    return render_template(
        "accounts/account.html",
        user=user,
        password_form=password_form,
        language_form=LanguageForm(language=user.locale.value),
    ), status


@bp.route("/account")
def account() -> ResponseReturnValue:
    return _render_account(ChangePasswordForm(email=acting_user().email))


@bp.route("/account/password", methods=["POST"])
def password() -> ResponseReturnValue:
    user = acting_user()
    form = ChangePasswordForm(email=user.email)
    if form.validate_on_submit():
        try:
            change_password(
                db.session,
                user=user,
                current=form.current_password.data,
                new=form.new_password.data,
            )
        except WrongPassword:
            form.current_password.errors.append(_("The current password is wrong."))
        except WeakPassword as error:
            form.new_password.errors.extend(error.problems)
        else:
            audit_request("change_password", object_type="user", object_id=user.id)
            db.session.commit()
            login_user(user)
            _start_session()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.account"))
    return _render_account(form, 400)


@bp.route("/account/setup/<token>", methods=["GET", "POST"])
@public
@limiter.limit("30 per minute", methods=["POST"])
def setup_password(token: str) -> ResponseReturnValue:
    """Set a password from the one-time link an administrator passed on."""
    now = now_utc()
    setup = valid_setup_token(db.session, token, now=now)
    if setup is None:
        abort(404)
    if current_user.is_authenticated:
        logout_user()
        session.clear()
    form = SetPasswordForm(email=setup.user.email)
    if form.validate_on_submit():
        try:
            user = set_password_with_token(
                db.session, setup=setup, password=form.new_password.data, now=now
            )
        except WeakPassword as error:
            form.new_password.errors.extend(error.problems)
        else:
            record_event(
                db.session,
                actor=user,
                action="set_password",
                now=now,
                object_type="user",
                object_id=user.id,
                ip_address=request.remote_addr or "",
            )
            db.session.commit()
            flash(_("Your password is set. Sign in with it."), "success")
            return redirect(url_for("accounts.login"))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/setup_password.html", form=form, user=setup.user), status


@bp.route("/language", methods=["POST"])
@public
def set_language() -> Response:
    form = LanguageForm()
    if form.validate_on_submit():
        locale = Locale(form.language.data)
        if current_user.is_authenticated:
            set_locale(db.session, user=acting_user(), locale=locale)
            db.session.commit()
        session["locale"] = locale.value
    return redirect(safe_next(form.next.data, url_for("home.index")))
