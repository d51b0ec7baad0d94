"""The attendance form, built for the roster of one session: a row of choices per pupil."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length

from mestring.attendance.enums import AttendanceStatus
from mestring.attendance.services import NOTE_MAX_LENGTH, Mark
from mestring.core.forms import BaseForm
from mestring.core.translations import lazy_gettext as _l
from mestring.groups.models import GroupMembership

YES, NO = "yes", "no"


def _choice(label: Any, options: list[SelectChoice], message: Any) -> Any:
    """Radio buttons that must be answered; one message whether empty or tampered with."""
    return RadioField(
        label,
        choices=options,
        validate_choice=False,
        validators=[
            InputRequired(message=message),
            AnyOf([str(option.value) for option in options], message=message),
        ],
    )


class AttendanceForm(BaseForm):
    """The note; ``for_roster`` adds one status (and for parent meetings, one guardian) field
    per pupil, named after the pupil's id so that a row can never be matched to another pupil."""

    note = TextAreaField(
        _l("Session note"),
        validators=[Length(max=NOTE_MAX_LENGTH, message=_l("At most 2000 characters."))],
        description=_l("Only the group’s facilitators and the coordinator can read the note."),
    )

    pupil_ids: tuple[int, ...] = ()
    parent_meeting = False

    @classmethod
    def for_roster(
        cls, members: Sequence[GroupMembership], *, parent_meeting: bool, **kwargs: Any
    ) -> AttendanceForm:
        fields: dict[str, Any] = {
            "pupil_ids": tuple(m.pupil_id for m in members),
            "parent_meeting": parent_meeting,
        }
        for member in members:
            name = member.pupil.full_name
            fields[f"status_{member.pupil_id}"] = _choice(
                name,
                [SelectChoice(s.value, s.label) for s in AttendanceStatus],
                _l("Choose present, absent or excused."),
            )
            if parent_meeting:
                fields[f"guardian_{member.pupil_id}"] = _choice(
                    _l("Did a guardian of %(name)s come?", name=name),
                    [SelectChoice(YES, _l("Yes")), SelectChoice(NO, _l("No"))],
                    _l("Answer yes or no."),
                )
        form_class = type("RosterAttendanceForm", (cls,), fields)
        form: AttendanceForm = form_class(**kwargs)
        return form

    @staticmethod
    def initial(existing: dict[int, Any], note: str) -> dict[str, Any]:
        """Form data from the marks already saved (Attendance rows by pupil id)."""
        data: dict[str, Any] = {"note": note}
        for pupil_id, row in existing.items():
            data[f"status_{pupil_id}"] = row.status.value
            if row.guardian_present is not None:
                data[f"guardian_{pupil_id}"] = YES if row.guardian_present else NO
        return data

    def status_field(self, pupil_id: int) -> Any:
        return self[f"status_{pupil_id}"]

    def guardian_field(self, pupil_id: int) -> Any:
        return self[f"guardian_{pupil_id}"] if self.parent_meeting else None

    def marks(self) -> list[Mark]:
        marks = []
        for pupil_id in self.pupil_ids:
            guardian = self.guardian_field(pupil_id)
            marks.append(
                Mark(
                    pupil_id=pupil_id,
                    status=AttendanceStatus(self.status_field(pupil_id).data),
                    guardian_present=(guardian.data == YES) if guardian is not None else None,
                )
            )
        return marks
