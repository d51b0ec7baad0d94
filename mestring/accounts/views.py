"""Sign in, sign out, the account page and the language switch."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from mestring.accounts.enums import Locale
from mestring.accounts.forms import ChangePasswordForm, LanguageForm, LoginForm
from mestring.accounts.services import (
    WrongPassword,
    authenticate,
    change_password,
    normalise_email,
    set_locale,
)
from mestring.audit.services import record_event
from mestring.core.access import acting_user, public
from mestring.core.time import now_utc
from mestring.core.urls import safe_next
from mestring.extensions import db, limiter

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute; 100 per hour", methods=["POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        now = now_utc()
        user = authenticate(db.session, email=form.email.data, password=form.password.data, now=now)
        if user is None:
            record_event(
                db.session,
                actor=None,
                action="sign_in_failed",
                now=now,
                ip_address=request.remote_addr or "",
                details={"email": normalise_email(form.email.data)},
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
        login_user(user)
        session["locale"] = user.locale.value
        return redirect(safe_next(form.next.data, url_for("home.index")))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account")
def account() -> str:
    user = acting_user()
    return render_template(
        "accounts/account.html",
        user=user,
        password_form=ChangePasswordForm(),
        language_form=LanguageForm(language=user.locale.value),
    )


@bp.route("/account/password", methods=["POST"])
def password() -> ResponseReturnValue:
    user = acting_user()
    form = ChangePasswordForm()
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
        else:
            db.session.commit()
            login_user(user)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.account"))
    return render_template(
        "accounts/account.html",
        user=user,
        password_form=form,
        language_form=LanguageForm(language=user.locale.value),
    ), 400


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
