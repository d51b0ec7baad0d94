"""The referral form, consent and status changes."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
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

from mestring.core.forms import BaseForm
from mestring.core.translations import lazy_gettext as _l
from mestring.referrals.enums import ConsentMethod
from mestring.referrals.fields import GUARDIAN_FIELDS, PUPIL_FIELDS, REFERRAL_FIELDS
from mestring.referrals.models import Guardian, Referral

MAX_GUARDIANS = 3
TEXT = 4000


def _count(label: Any, **kwargs: Any) -> IntegerField:
    return IntegerField(
        label,
        default=0,
        validators=[InputRequired(), NumberRange(min=0, max=10_000)],
        **kwargs,
    )


class GuardianForm(BaseForm):
    """One guardian; the first is required, the others are used when a name is given."""

    class Meta(BaseForm.Meta):
        csrf = False

    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    relation = StringField(_l("Relation to the pupil"), validators=[Optional(), Length(max=60)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    language = StringField(_l("Language"), default="norsk", validators=[Optional(), Length(max=60)])
    interpreter_needed = BooleanField(_l("Needs an interpreter"))

    def validate_name(self, field: StringField) -> None:
        others = (self.relation.data, self.phone.data, self.email.data)
        if not field.data and any(others):
            raise ValidationError(str(_l("Give the guardian's name.")))

    def validate_phone(self, field: StringField) -> None:
        if self.name.data and not (field.data or self.email.data):
            raise ValidationError(str(_l("Give a phone number or an e-mail address.")))


class ReferralForm(BaseForm):
    # The pupil.
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=80)])
    birth_date = DateField(_l("Birth date"), validators=[InputRequired()])
    grade = IntegerField(_l("Grade"), validators=[InputRequired(), NumberRange(min=1, max=10)])
    pupil_ref = StringField(
        _l("The school's pupil reference"),
        validators=[Optional(), Length(max=40)],
        description=_l("Used to match absence figures imported later, e.g. from IST."),
    )
    guardians = FieldList(
        FormField(GuardianForm), min_entries=MAX_GUARDIANS, max_entries=MAX_GUARDIANS
    )

    # The worry.
    worry_absence_10_percent = BooleanField(_l("Absence at or above 10 %"))
    worry_hours = BooleanField(_l("High absence counted in single hours"))
    worry_present_not_in_class = BooleanField(_l("At school but not in class"))
    worry_lateness = BooleanField(_l("Repeated late arrivals"))
    worry_text = TextAreaField(
        _l("Describe the worry"), validators=[DataRequired(), Length(max=TEXT)]
    )

    # Absence so far this school year.
    school_days = _count(_l("School days covered"))
    days_documented = _count(_l("Whole days absent, documented (L)"))
    days_undocumented = _count(_l("Whole days absent, undocumented (U)"))
    teaching_hours = _count(_l("Teaching hours covered"))
    hours_documented = _count(_l("Single hours absent, documented"))
    hours_undocumented = _count(_l("Single hours absent, undocumented"))
    late_arrivals = _count(_l("Late arrivals"))

    # The nærværsteam.
    team_meeting_date = DateField(_l("Date of the nærværsteam meeting"), validators=[Optional()])
    team_ppt_present = BooleanField(_l("PPT"))
    team_health_present = BooleanField(_l("School health service"))
    team_school_present = BooleanField(_l("School staff"), default=True)
    team_district_present = BooleanField(_l("District"))

    measures_tried = TextAreaField(
        _l("Measures already tried"), validators=[Optional(), Length(max=TEXT)]
    )
    pupil_voice = TextAreaField(
        _l("The pupil's own view"),
        validators=[Optional(), Length(max=TEXT)],
        description=_l("Children over 7 are to be heard: what does the pupil say?"),
    )

    # Practical needs.
    digital_access = RadioField(
        _l("Digital access at home"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        default="yes",
        validators=[InputRequired()],
    )
    travel_needs = TextAreaField(_l("Travel"), validators=[Optional(), Length(max=TEXT)])
    other_needs = TextAreaField(
        _l("Other needs (allergies, health)"), validators=[Optional(), Length(max=TEXT)]
    )
    planned_start = DateField(
        _l("Planned course start"),
        validators=[Optional()],
        description=_l("Leave empty for the start of the coming term."),
    )
    version = HiddenField()

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if not any(entry.form.name.data for entry in self.guardians):
            first = self.guardians[0].form.name
            first.errors = [*first.errors, str(_l("Give at least one guardian."))]
            valid = False
        return valid

    def validate_days_documented(self, field: IntegerField) -> None:
        days = (field.data or 0) + (self.days_undocumented.data or 0)
        if (self.school_days.data or 0) >= 0 and days > (self.school_days.data or 0):
            raise ValidationError(str(_l("More days absent than school days.")))

    def validate_hours_documented(self, field: IntegerField) -> None:
        hours = (field.data or 0) + (self.hours_undocumented.data or 0)
        if (self.teaching_hours.data or 0) >= 0 and hours > (self.teaching_hours.data or 0):
            raise ValidationError(str(_l("More hours absent than teaching hours.")))

    def section(self, names: tuple[str, ...]) -> dict[str, Any]:
        values = {name: self[name].data for name in names if name in self}
        if "digital_access" in values:
            values["digital_access"] = values["digital_access"] == "yes"
        if values.get("pupil_ref") == "":
            values["pupil_ref"] = None
        return values

    def guardian_entries(self) -> list[dict[str, Any]]:
        return [entry.form.data for entry in self.guardians]

    @staticmethod
    def initial(referral: Referral) -> dict[str, Any]:
        """The saved referral as form data, for editing it."""
        pupil = referral.pupil
        data: dict[str, Any] = {name: getattr(pupil, name) for name in PUPIL_FIELDS}
        data |= {name: getattr(referral, name) for name in REFERRAL_FIELDS}
        data["digital_access"] = "yes" if referral.digital_access else "no"
        data["guardians"] = [
            {name: getattr(guardian, name) for name in GUARDIAN_FIELDS}
            for guardian in pupil.guardians
        ]
        data["version"] = str(referral.version_id)
        return data


class ConsentForm(BaseForm):
    guardian = SelectField(_l("Guardian who consented"), coerce=int, validators=[InputRequired()])
    given_on = DateField(_l("Date"), validators=[InputRequired()])
    method = RadioField(
        _l("How"),
        choices=ConsentMethod.choices(),
        validators=[InputRequired()],
    )
    note = TextAreaField(
        _l("Note"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Required for verbal consent: who said what, and when."),
    )
    covers_participation = BooleanField(_l("Participation in the course"), default=True)
    covers_sharing = BooleanField(
        _l("Sharing between the school, PPT and the school health service"), default=True
    )
    covers_absence_data = BooleanField(_l("Absence data before and after the course"), default=True)

    def __init__(self, *args: Any, guardians: list[Guardian], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guardian.choices = [SelectChoice(g.id, g.name) for g in guardians]


class StatusForm(BaseForm):
    """One status change; the comment is a question, answer or reason where one is needed."""

    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])
