"""Attendance statuses."""

from mestring.core.enums import LabelledEnum, set_labels
from mestring.core.translations import lazy_gettext as _l


class AttendanceStatus(LabelledEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


set_labels(
    AttendanceStatus,
    {
        AttendanceStatus.PRESENT: _l("Present"),
        AttendanceStatus.ABSENT: _l("Absent"),
        AttendanceStatus.EXCUSED: _l("Excused"),
    },
)


class FlagKind(LabelledEnum):
    """Why a pupil needs following up."""

    MISSED_IN_A_ROW = "missed_in_a_row"
    LOW_ATTENDANCE = "low_attendance"


set_labels(
    FlagKind,
    {
        FlagKind.MISSED_IN_A_ROW: _l("Missed two sessions in a row"),
        FlagKind.LOW_ATTENDANCE: _l("Attendance under 75 %"),
    },
)
