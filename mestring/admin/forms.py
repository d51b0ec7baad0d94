"""The admin's user form and the audit log's search form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from wtforms import (
    DateField,
    EmailField,
    Field,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from mestring.accounts.enums import Role
from mestring.accounts.models import District, School, Service, User
from mestring.core.forms import BaseForm
from mestring.core.translations import lazy_gettext as _l


def optional_id(value: Any) -> int | None:
    """A chosen id, or None for "none" and anything that is not a number."""
    if isinstance(value, int):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class UserForm(BaseForm):
    """An account as the admin creates or edits it; the service checks the scope fits."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Length(max=254), Email(check_deliverability=False)],
    )
    phone = StringField(_l("Phone"), validators=[Length(max=40)])
    role = SelectField(_l("Role"), choices=Role.choices(), validators=[InputRequired()])
    district = SelectField(
        _l("District"),
        coerce=optional_id,
        description=_l("Every role but administrator works in one district."),
    )
    school = SelectField(
        _l("School"), coerce=optional_id, description=_l("For school staff and facilitators.")
    )
    service = SelectField(_l("Service"), coerce=optional_id, description=_l("For facilitators."))

    def __init__(
        self,
        *args: Any,
        districts: Sequence[District],
        schools: Sequence[School],
        services: Sequence[Service],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        none = SelectChoice("", str(_l("None")))
        self.district.choices = [none, *(SelectChoice(str(d.id), d.name) for d in districts)]
        self.school.choices = [
            none,
            *(SelectChoice(str(s.id), f"{s.name} ({s.district.name})") for s in schools),
        ]
        self.service.choices = [
            none,
            *(
                SelectChoice(str(s.id), f"{s.name}, {s.kind.label} ({s.district.name})")
                for s in services
            ),
        ]


EARLIEST = date(2000, 1, 1)
LATEST = date(2999, 12, 31)


class AuditSearchForm(BaseForm):
    """A GET form: no CSRF token, nothing changes."""

    class Meta:
        csrf = False

    user = SelectField(_l("User"), coerce=optional_id, validators=[Optional()])
    pupil = IntegerField(_l("Pupil id"), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    action = SelectField(_l("Action"), validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def __init__(
        self, *args: Any, users: Sequence[User], actions: Sequence[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user.choices = [
            SelectChoice("", str(_l("Everyone"))),
            *(SelectChoice(str(user.id), f"{user.name} ({user.email})") for user in users),
        ]
        self.action.choices = [
            SelectChoice("", str(_l("All actions"))),
            *(SelectChoice(action) for action in actions),
        ]

    def _in_range(self, field: Field) -> None:
        if field.data is not None and not EARLIEST <= field.data <= LATEST:
            raise ValidationError(_l("Give a date between 2000 and 2999."))

    def validate_date_from(self, field: Field) -> None:
        self._in_range(field)

    def validate_date_to(self, field: Field) -> None:
        self._in_range(field)
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date comes before the start date."))
