"""Attendance statuses."""

from flask_babel import lazy_gettext as _l

from mestring.core.enums import LabelledEnum, set_labels


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
