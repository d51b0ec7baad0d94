"""Forms for unavailability, assigning a facilitator and choosing the workload's term."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from wtforms import DateField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from mestring.core.forms import BaseForm
from mestring.core.translations import lazy_gettext as _l
from mestring.groups.enums import FacilitatorRole
from mestring.groups.forms import choices, optional_int
from mestring.scheduling.enums import UnavailabilityReason

REQUIRED = _l("This field is required.")
CHOOSE = _l("Choose one of the options.")


class _DateField(DateField):
    """Accepts 2027-01-04 (the browser's date input) and 04.01.2027."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%Y-%m-%d", "%d.%m.%Y"])
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Give a date as dd.mm.yyyy."))) from None


class UnavailabilityForm(BaseForm):
    starts_on = _DateField(
        _l("First day"), validators=[DataRequired(message=REQUIRED)], render_kw={"type": "date"}
    )
    ends_on = _DateField(
        _l("Last day"), validators=[DataRequired(message=REQUIRED)], render_kw={"type": "date"}
    )
    reason = SelectField(_l("Reason"), validators=[InputRequired(message=REQUIRED)])
    note = StringField(
        _l("Note"),
        validators=[Optional(), Length(max=200)],
        description=_l("For example “Course in Bergen”. The coordinator sees it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Labels are translated per request, so the choices are made here.
        self.reason.choices = [SelectChoice(r.value, r.label) for r in UnavailabilityReason]
        self.reason.invalid_choice_message = str(CHOOSE)

    def validate_ends_on(self, field: DateField) -> None:
        start: date | None = self.starts_on.data
        if start and field.data and field.data < start:
            raise ValidationError(str(_l("The last day cannot be before the first.")))


class AssignForm(BaseForm):
    user = SelectField(
        _l("Facilitator"), coerce=optional_int, validators=[InputRequired(message=REQUIRED)]
    )
    role = RadioField(
        _l("Role in the group"),
        default=FacilitatorRole.CO_LEAD.value,
        validators=[InputRequired(message=REQUIRED)],
    )

    def __init__(self, *args: Any, candidates: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user.choices = choices(candidates)
        self.user.invalid_choice_message = str(_l("Choose a facilitator from the list."))
        self.role.choices = [SelectChoice(r.value, r.label) for r in FacilitatorRole]
        self.role.invalid_choice_message = str(CHOOSE)


class TermForm(BaseForm):
    """The GET form that chooses the term the workload covers."""

    class Meta:
        csrf = False

    term = SelectField(_l("Term"), coerce=optional_int, validators=[Optional()])

    def __init__(self, *args: Any, terms: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.term.choices = choices(terms)
        self.term.invalid_choice_message = str(CHOOSE)
