"""Forms for plans, session changes, calendar filters and closed periods."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from mestring.accounts.models import District, User
from mestring.core.forms import BaseForm
from mestring.core.translations import lazy_gettext as _l
from mestring.groups.enums import SessionMode
from mestring.groups.models import Venue
from mestring.scheduling.enums import ClosedPeriodKind


class GeneratePlanForm(BaseForm):
    start = DateField(
        _l("Start date"),
        validators=[DataRequired()],
        description=_l(
            "The first session is on or after this day. Public holidays and the district's "
            "closed periods are skipped. Sessions that have been held are kept."
        ),
    )


class SessionForm(BaseForm):
    """Move a session, or switch it between physical and digital."""

    version = HiddenField()
    day = DateField(_l("Date"), validators=[DataRequired()])
    starts = TimeField(_l("Starts"), validators=[DataRequired()])
    ends = TimeField(_l("Ends"), validators=[DataRequired()])
    mode = RadioField(
        _l("Mode"),
        choices=SessionMode.choices(),
        validators=[InputRequired()],
    )
    venue = SelectField(
        _l("Room"),
        coerce=int,
        validators=[Optional()],
        description=_l("For a physical session."),
    )
    video_link = StringField(
        _l("Video meeting link"),
        validators=[Optional(), Length(max=500)],
        description=_l("For a digital session."),
    )
    accept_conflicts = BooleanField(_l("Save even though the change causes conflicts"))

    def __init__(self, *args: Any, venues: Sequence[Venue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Labels are translated per request, so the choices are made here.
        self.mode.choices = [SelectChoice(m.value, m.label) for m in SessionMode]
        self.venue.choices = [
            SelectChoice(0, _l("No room")),
            *(SelectChoice(v.id, v.name) for v in venues),
        ]

    def validate_version(self, field: HiddenField) -> None:
        if not (field.data or "").isdigit():
            raise ValidationError(_l("The form is incomplete. Open the session again."))

    def validate_ends(self, field: TimeField) -> None:
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError(_l("The session must end after it starts."))

    def validate_venue(self, field: SelectField) -> None:
        if self.mode.data == SessionMode.PHYSICAL.value and not field.data:
            raise ValidationError(_l("Choose the room for a physical session."))

    def validate_video_link(self, field: StringField) -> None:
        if field.data and not field.data.startswith("https://"):
            raise ValidationError(_l("The link must start with https://."))


class CancelSessionForm(BaseForm):
    version = HiddenField()
    reason = TextAreaField(
        _l("Reason for cancelling"),
        validators=[DataRequired(), Length(max=150)],
        description=_l("Shown in the session's history."),
    )

    def validate_version(self, field: HiddenField) -> None:
        if not (field.data or "").isdigit():
            raise ValidationError(_l("The form is incomplete. Open the session again."))


class CalendarFilterForm(BaseForm):
    """The coordinator's filters on the calendar (a GET form)."""

    class Meta:
        csrf = False

    group = SelectField(_l("Group"), coerce=int, validators=[Optional()])
    facilitator = SelectField(_l("Facilitator"), coerce=int, validators=[Optional()])

    def __init__(
        self,
        *args: Any,
        groups: Sequence[tuple[int, str]],
        facilitators: Sequence[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        """``groups`` and ``facilitators`` are (id, name) pairs."""
        super().__init__(*args, **kwargs)
        self.group.choices = [
            SelectChoice(0, _l("All groups")),
            *(SelectChoice(group_id, name) for group_id, name in groups),
        ]
        self.facilitator.choices = [
            SelectChoice(0, _l("All facilitators")),
            *(SelectChoice(user_id, name) for user_id, name in facilitators),
        ]


class ClosedPeriodForm(BaseForm):
    district = SelectField(_l("District"), coerce=int, validators=[InputRequired()])
    kind = SelectField(
        _l("Kind"),
        choices=ClosedPeriodKind.choices(),
        validators=[InputRequired()],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day"), validators=[DataRequired()])

    def __init__(self, *args: Any, districts: Sequence[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.district.choices = [SelectChoice(d.id, d.name) for d in districts]
        self.kind.choices = [SelectChoice(k.value, k.label) for k in ClosedPeriodKind]

    def validate_ends_on(self, field: DateField) -> None:
        start: date | None = self.starts_on.data
        if start and field.data and field.data < start:
            raise ValidationError(_l("The last day cannot be before the first."))


class SubstituteForm(BaseForm):
    """One session led by a substitute in place of an assigned facilitator."""

    version = HiddenField()
    replaced = SelectField(_l("In place of"), coerce=int, validators=[InputRequired()])
    substitute = SelectField(_l("Substitute"), coerce=int, validators=[InputRequired()])
    accept_conflicts = BooleanField(_l("Save even though the change causes conflicts"))

    def __init__(
        self,
        *args: Any,
        assigned: Sequence[User],
        candidates: Sequence[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        """``candidates`` are (id, name) pairs."""
        super().__init__(*args, **kwargs)
        self.replaced.choices = [SelectChoice(u.id, u.name) for u in assigned]
        self.substitute.choices = [SelectChoice(user_id, name) for user_id, name in candidates]
        message = _l("Choose one of the options.")
        self.replaced.invalid_choice_message = str(message)
        self.substitute.invalid_choice_message = str(message)

    def validate_version(self, field: HiddenField) -> None:
        if not (field.data or "").isdigit():
            raise ValidationError(_l("The form is incomplete. Open the session again."))

    def validate_substitute(self, field: SelectField) -> None:
        if field.data is not None and field.data == self.replaced.data:
            raise ValidationError(_l("Choose someone else than the one replaced."))


class VersionForm(BaseForm):
    """A POST that only carries the version the person saw (removing a substitute)."""

    version = HiddenField()

    def validate_version(self, field: HiddenField) -> None:
        if not (field.data or "").isdigit():
            raise ValidationError(_l("The form is incomplete. Open the session again."))
