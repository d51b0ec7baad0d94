"""Sign-in, password and language forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, SelectChoice, SelectField
from wtforms.validators import DataRequired, EqualTo, Length

from mestring.accounts.enums import Locale
from mestring.accounts.passwords import MIN_PASSWORD_LENGTH
from mestring.core.forms import BaseForm


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=_l("At least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
    )
    confirm_password = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class LanguageForm(BaseForm):
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice(locale.value, locale.label) for locale in Locale],
        validators=[DataRequired()],
    )
    next = HiddenField()
