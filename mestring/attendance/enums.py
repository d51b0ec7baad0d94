"""Attendance statuses."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])


_LABELS: dict[type[StrEnum], dict[StrEnum, str]] = {
    AttendanceStatus: {
        AttendanceStatus.PRESENT: _l("Present"),
        AttendanceStatus.ABSENT: _l("Absent"),
        AttendanceStatus.EXCUSED: _l("Excused"),
    },
}
