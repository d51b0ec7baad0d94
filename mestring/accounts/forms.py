"""Sign-in, password and language forms."""

from __future__ import annotations

from typing import Any

from wtforms import EmailField, Field, HiddenField, PasswordField, SelectChoice, SelectField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from mestring.accounts.enums import Locale
from mestring.accounts.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    password_problems,
)
from mestring.core.forms import BaseForm
from mestring.core.translations import lazy_gettext as _l

PASSWORD_HELP = _l(
    "At least %(n)s characters. Not a common password, and not your e-mail address. "
    "A few unrelated words make a good one.",
    n=MIN_PASSWORD_LENGTH,
)


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class _NewPasswordForm(BaseForm):
    """A new password, checked against the policy for the owner of ``email``."""

    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)],
        description=PASSWORD_HELP,
    )
    confirm_password = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def validate_new_password(self, field: Field) -> None:
        problems = password_problems(field.data or "", email=self.email)
        if problems:
            raise ValidationError(" ".join(problems))


class ChangePasswordForm(_NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])


class SetPasswordForm(_NewPasswordForm):
    """The form behind a one-time link: the new password only."""


class LanguageForm(BaseForm):
    language = SelectField(
        _l("Language"),
        # Each language's name is in that language, marked so for screen readers.
        choices=[
            SelectChoice(locale.value, locale.label, render_kw={"lang": locale.value})
            for locale in Locale
        ],
        validators=[DataRequired()],
    )
    next = HiddenField()
