"""Forms for groups, placing and removing pupils, the composer, templates and keep-apart pairs.

Choices come in through the constructor; rules that span records live in the services and come
back as form errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from mestring.core.forms import BaseForm
from mestring.core.translations import lazy_gettext as _l
from mestring.groups.enums import GroupStatus, SessionMode

REQUIRED = _l("This field is required.")
CHOOSE = _l("Choose one of the options.")
WHOLE_NUMBER = _l("Give a whole number.")
DATE = _l("Give a date as dd.mm.yyyy.")
NO_VENUE = ""

WEEKDAYS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)


def optional_int(value: Any) -> int | None:
    """Coerce a choice to an id; anything else becomes None and fails the choice check."""
    if isinstance(value, int):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def choices(items: Iterable[tuple[Any, Any]] | Iterable[SelectChoice]) -> list[SelectChoice]:
    """Choices of (value, label) pairs; choices made already (once for several forms, as the
    composer's proposals share them) are used as they are."""
    return [
        item if type(item) is SelectChoice else SelectChoice(str(item[0]), str(item[1]))
        for item in items
    ]


class _IntegerField(IntegerField):
    """An integer field whose parse error is a translated message."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or valuelist[0] in ("", None):
            self.data = None
            return
        try:
            self.data = int(str(valuelist[0]).strip())
        except ValueError:
            self.data = None
            raise ValueError(str(WHOLE_NUMBER)) from None


# (lowest, highest, message) of the group's whole-number fields.
SIZE_RANGE = (1, 30, _l("Between 1 and 30."))
AGE_RANGE = (6, 16, _l("Between 6 and 16."))


def _bounded(label: Any, default: int, bounds: tuple[int, int, Any]) -> _IntegerField:
    """A required whole number within ``bounds``, with translated messages."""
    low, high, message = bounds
    return _IntegerField(
        label,
        default=default,
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=low, max=high, message=message),
        ],
    )


class _DateField(DateField):
    """Accepts 2027-01-04 (the browser's date input) and 04.01.2027."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%Y-%m-%d", "%d.%m.%Y"])
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(DATE)) from None


class GroupForm(BaseForm):
    version = HiddenField()
    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=REQUIRED), Length(max=120)],
        description=_l("For example the venue and the ages: “Bestum 8–10 år”."),
    )
    term_id = SelectField(
        _l("Term"), coerce=optional_int, validators=[InputRequired(message=REQUIRED)]
    )
    template_id = SelectField(
        _l("Course template"), coerce=optional_int, validators=[InputRequired(message=REQUIRED)]
    )
    starts_on = _DateField(
        _l("First day"),
        validators=[Optional()],
        description=_l("When the group starts; within the term."),
    )
    capacity = _bounded(_l("Capacity"), 8, SIZE_RANGE)
    min_size = _bounded(_l("Minimum to start"), 4, SIZE_RANGE)
    age_min = _bounded(_l("Lowest age"), 8, AGE_RANGE)
    age_max = _bounded(_l("Highest age"), 10, AGE_RANGE)
    venue_id = SelectField(_l("Venue"), validators=[Optional()])
    new_venue_name = StringField(
        _l("Or a new venue: name"),
        validators=[Optional(), Length(max=120)],
        description=_l("A school or district room not in the list."),
    )
    new_venue_address = StringField(
        _l("New venue: address"), validators=[Optional(), Length(max=200)]
    )
    video_link = StringField(
        _l("Video meeting link"),
        validators=[
            Optional(),
            Length(max=500),
            URL(message=_l("Give a web address beginning with https://.")),
        ],
        description=_l("Used for digital sessions unless a session has its own."),
    )

    def __init__(
        self,
        *args: Any,
        terms: Iterable[tuple[int, str]] | Iterable[SelectChoice],
        templates: Iterable[tuple[int, str]] | Iterable[SelectChoice],
        venues: Iterable[tuple[int, str]] | Iterable[SelectChoice],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choose = str(CHOOSE)
        self.term_id.choices = choices(terms)
        self.term_id.invalid_choice_message = choose
        self.template_id.choices = choices(templates)
        self.template_id.invalid_choice_message = choose
        self.venue_id.choices = [
            SelectChoice(NO_VENUE, str(_l("No venue yet"))),
            *choices(venues),
        ]
        self.venue_id.invalid_choice_message = choose

    def validate_video_link(self, field: Any) -> None:
        if field.data and not field.data.startswith("https://"):
            raise ValidationError(str(_l("Give a web address beginning with https://.")))

    def validate_min_size(self, field: Any) -> None:
        if field.data and self.capacity.data and field.data > self.capacity.data:
            raise ValidationError(str(_l("The minimum cannot be larger than the capacity.")))

    def validate_age_max(self, field: Any) -> None:
        if field.data and self.age_min.data and field.data < self.age_min.data:
            raise ValidationError(str(_l("The highest age cannot be below the lowest.")))

    @property
    def venue(self) -> int | None:
        return optional_int(self.venue_id.data) if self.venue_id.data else None

    @property
    def version_number(self) -> int:
        return optional_int(self.version.data) or 0


class StatusForm(BaseForm):
    target = SelectField(
        _l("New status"),
        choices=[SelectChoice(status.value) for status in GroupStatus],
        validators=[InputRequired(message=REQUIRED)],
    )
    version = HiddenField(validators=[InputRequired(message=REQUIRED)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target.invalid_choice_message = str(CHOOSE)

    @property
    def version_number(self) -> int:
        return optional_int(self.version.data) or 0


class PlaceForm(BaseForm):
    referral = SelectField(
        _l("Pupil on the waitlist"),
        coerce=optional_int,
        validators=[InputRequired(message=REQUIRED)],
    )

    def __init__(self, *args: Any, waitlist: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referral.choices = choices(waitlist)
        self.referral.invalid_choice_message = str(
            _l("Choose a pupil who is on the waitlist of your district.")
        )


class RemoveMemberForm(BaseForm):
    comment = TextAreaField(
        _l("Why the pupil goes back to the waitlist"),
        validators=[DataRequired(message=REQUIRED), Length(max=2000)],
        description=_l("Kept in the referral's history; the school sees it."),
    )


class ComposerTermForm(BaseForm):
    """The GET form that chooses the term (and template) the composer works for."""

    class Meta:
        csrf = False

    term = SelectField(_l("Term"), coerce=optional_int, validators=[Optional()])
    template = SelectField(
        _l("Course template"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l("Used to warn about pupils without digital access."),
    )

    def __init__(
        self,
        *args: Any,
        terms: Iterable[tuple[int, str]],
        templates: Iterable[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.term.choices = choices(terms)
        self.term.invalid_choice_message = str(CHOOSE)
        self.template.choices = choices(templates)
        self.template.invalid_choice_message = str(CHOOSE)


class ProposalForm(GroupForm):
    """A group made from a proposal: the group's details and the pupils to place in it."""

    referrals = SelectMultipleField(
        _l("Pupils to place"),
        coerce=optional_int,
        validators=[DataRequired(message=_l("Choose at least one pupil."))],
    )

    def __init__(self, *args: Any, waitlist: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referrals.choices = choices(waitlist)
        self.referrals.invalid_choice_message = str(
            _l("Choose pupils who are on the waitlist of your district.")
        )


class ProposalDetailsForm(BaseForm):
    """The fields of a ProposalForm that a proposal sets (its name, ages and pupils) or that
    its warnings read (the sizes): the composer makes a whole form for the first proposal
    only, and writes the other fields of the others from it (groups.proposal_forms) rather
    than making their selects again."""

    version = GroupForm.version
    name = GroupForm.name
    capacity = GroupForm.capacity
    min_size = GroupForm.min_size
    age_min = GroupForm.age_min
    age_max = GroupForm.age_max
    referrals = ProposalForm.referrals

    def __init__(self, *args: Any, waitlist: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referrals.choices = choices(waitlist)


class TemplateForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=REQUIRED), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])
    physical_weekday = SelectField(_l("Physical sessions: weekday"), coerce=optional_int)
    second_physical_weekday = SelectField(
        _l("Physical sessions: second weekday"),
        coerce=optional_int,
        description=_l("For formats that meet twice a week, such as Mestrende barn standard."),
    )
    physical_time = TimeField(
        _l("Physical sessions: time"), validators=[InputRequired(message=REQUIRED)]
    )
    digital_weekday = SelectField(_l("Digital sessions: weekday"), coerce=optional_int)
    digital_time = TimeField(
        _l("Digital sessions: time"), validators=[InputRequired(message=REQUIRED)]
    )
    guardian_weekday = SelectField(_l("Parent meetings: weekday"), coerce=optional_int)
    guardian_time = TimeField(
        _l("Parent meetings: time"), validators=[InputRequired(message=REQUIRED)]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in (self.physical_weekday, self.digital_weekday, self.guardian_weekday):
            field.choices = choices(enumerate(WEEKDAYS))
            field.invalid_choice_message = str(CHOOSE)
        self.second_physical_weekday.choices = [
            SelectChoice("", str(_l("None"))),
            *choices(enumerate(WEEKDAYS)),
        ]
        self.second_physical_weekday.invalid_choice_message = str(CHOOSE)
        for field in (self.physical_time, self.digital_time, self.guardian_time):
            field.process_errors = [str(_l("Give a time as hh:mm.")) for _ in field.process_errors]


class TemplateSessionForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=REQUIRED), Length(max=120)])
    theme = TextAreaField(_l("Theme"), validators=[Length(max=4000)])
    mode = SelectField(_l("Mode"), validators=[InputRequired(message=REQUIRED)])
    duration_minutes = _IntegerField(
        _l("Duration in minutes"),
        default=90,
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=15, max=480, message=_l("Between 15 and 480.")),
        ],
    )
    guardians_attend = BooleanField(_l("Guardians attend (parent meeting)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mode.choices = choices((mode.value, mode.label) for mode in SessionMode)
        self.mode.invalid_choice_message = str(CHOOSE)


class MoveForm(BaseForm):
    direction = SelectField(
        _l("Direction"),
        choices=[SelectChoice("up"), SelectChoice("down")],
        validators=[InputRequired(message=REQUIRED)],
    )


class KeepApartForm(BaseForm):
    first = SelectField(
        _l("First pupil"), coerce=optional_int, validators=[InputRequired(message=REQUIRED)]
    )
    second = SelectField(
        _l("Second pupil"), coerce=optional_int, validators=[InputRequired(message=REQUIRED)]
    )
    note = TextAreaField(
        _l("Why"),
        validators=[Length(max=2000)],
        description=_l("Seen only by the district's coordinators."),
    )

    def __init__(self, *args: Any, pupils: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = list(pupils)
        for field in (self.first, self.second):
            field.choices = choices(options)
            field.invalid_choice_message = str(_l("Choose a pupil of your district."))

    def validate_second(self, field: Any) -> None:
        if field.data is not None and field.data == self.first.data:
            raise ValidationError(str(_l("Choose two different pupils.")))
