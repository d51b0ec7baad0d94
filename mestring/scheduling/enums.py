"""Session statuses, closed-period kinds and reasons for unavailability."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class SessionStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])


class ClosedPeriodKind(StrEnum):
    AUTUMN = "autumn"
    CHRISTMAS = "christmas"
    WINTER = "winter"
    EASTER = "easter"
    SUMMER = "summer"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])


class UnavailabilityReason(StrEnum):
    HOLIDAY = "holiday"
    COURSE = "course"
    SICK = "sick"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])


_LABELS: dict[type[StrEnum], dict[StrEnum, str]] = {
    SessionStatus: {
        SessionStatus.PLANNED: _l("Planned"),
        SessionStatus.HELD: _l("Held"),
        SessionStatus.CANCELLED: _l("Cancelled"),
    },
    ClosedPeriodKind: {
        ClosedPeriodKind.AUTUMN: _l("Autumn break"),
        ClosedPeriodKind.CHRISTMAS: _l("Christmas break"),
        ClosedPeriodKind.WINTER: _l("Winter break"),
        ClosedPeriodKind.EASTER: _l("Easter break"),
        ClosedPeriodKind.SUMMER: _l("Summer break"),
        ClosedPeriodKind.OTHER: _l("Other closed days"),
    },
    UnavailabilityReason: {
        UnavailabilityReason.HOLIDAY: _l("Holiday"),
        UnavailabilityReason.COURSE: _l("Course"),
        UnavailabilityReason.SICK: _l("Sick"),
        UnavailabilityReason.OTHER: _l("Other"),
    },
}
