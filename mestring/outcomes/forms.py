"""Absence entry, the CSV import (upload and confirmation) and the dashboard's filters."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectChoice, SelectField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from mestring.accounts.models import School
from mestring.core.forms import BaseForm
from mestring.core.translations import lazy_gettext as _l
from mestring.outcomes.models import AbsenceRecord
from mestring.outcomes.periods import Period
from mestring.outcomes.services import FIGURES, MAX_COUNT, AbsenceInput

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def _count(label: Any, *, minimum: int = 0, **kwargs: Any) -> IntegerField:
    return IntegerField(
        label,
        validators=[InputRequired(), NumberRange(min=minimum, max=MAX_COUNT)],
        **kwargs,
    )


class AbsenceForm(BaseForm):
    """One period's absence as whole days and single hours, counted apart (never converted).

    Approved leave (P) and other agreed teaching (A) are not absence and are not entered.
    """

    starts_on = DateField(_l("First day of the period"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day of the period"), validators=[InputRequired()])
    school_days = IntegerField(
        _l("School days in the period"),
        validators=[
            InputRequired(),
            NumberRange(
                min=1, max=MAX_COUNT, message=_l("A period must have at least one school day.")
            ),
        ],
    )
    days_documented = _count(_l("Whole days absent, documented (L)"))
    days_undocumented = _count(_l("Whole days absent, undocumented (U)"))
    teaching_hours = _count(_l("Teaching hours in the period"))
    hours_documented = _count(_l("Single hours absent, documented (L)"))
    hours_undocumented = _count(_l("Single hours absent, undocumented (U)"))
    late_arrivals = _count(_l("Late arrivals"))
    version = HiddenField()

    @classmethod
    def initial(cls, record: AbsenceRecord | None, proposal: Period | None) -> dict[str, Any]:
        if record is not None:
            data = {name: getattr(record, name) for name in ("starts_on", "ends_on", *FIGURES)}
            return {**data, "version": record.version_id}
        if proposal is not None:
            return {"starts_on": proposal.starts_on, "ends_on": proposal.ends_on}
        return {}

    def validate_ends_on(self, field: DateField) -> None:
        if field.data and self.starts_on.data and field.data <= self.starts_on.data:
            raise ValidationError(str(_l("The period must end after it starts.")))

    def validate_days_undocumented(self, field: IntegerField) -> None:
        days = (self.days_documented.data or 0) + (field.data or 0)
        if self.school_days.data is not None and days > self.school_days.data:
            raise ValidationError(str(_l("More days absent than there were school days.")))

    def validate_hours_undocumented(self, field: IntegerField) -> None:
        hours = (self.hours_documented.data or 0) + (field.data or 0)
        if self.teaching_hours.data is not None and hours > self.teaching_hours.data:
            raise ValidationError(str(_l("More hours absent than there were teaching hours.")))

    def absence_input(self) -> AbsenceInput:
        return AbsenceInput(
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            **{name: int(getattr(self, name).data) for name in FIGURES},
        )

    @property
    def expected_version(self) -> int | None:
        return int(self.version.data) if (self.version.data or "").isdigit() else None


class ImportForm(BaseForm):
    """The CSV file, and for a coordinator the school whose pupils it lists."""

    school = SelectField(_l("School"), coerce=int, validators=[InputRequired()])
    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "txt"], _l("The file must be a .csv file.")),
            FileSize(MAX_UPLOAD_BYTES, message=_l("The file is larger than 2 MB.")),
        ],
        description=_l("One row a pupil and period, in the format described below."),
    )

    def __init__(self, *args: Any, schools: list[School] | None, **kwargs: Any) -> None:
        """``schools`` to choose from (a coordinator); None for a school user's own school."""
        super().__init__(*args, **kwargs)
        if schools is None:
            del self.school
        else:
            self.school.choices = [SelectChoice(s.id, s.name) for s in schools]


class ConfirmImportForm(BaseForm):
    """The signed rows of the preview, and consent to update periods already entered."""

    school = HiddenField(validators=[InputRequired()])
    token = HiddenField(validators=[InputRequired()])
    overwrite = BooleanField(_l("Update the periods that are already entered"))
