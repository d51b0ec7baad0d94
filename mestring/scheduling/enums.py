"""Session statuses, closed-period kinds, reasons for unavailability and kinds of conflict."""

from mestring.core.enums import LabelledEnum, set_labels
from mestring.core.translations import lazy_gettext as _l


class SessionStatus(LabelledEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class ClosedPeriodKind(LabelledEnum):
    AUTUMN = "autumn"
    CHRISTMAS = "christmas"
    WINTER = "winter"
    EASTER = "easter"
    SUMMER = "summer"
    OTHER = "other"


class UnavailabilityReason(LabelledEnum):
    HOLIDAY = "holiday"
    COURSE = "course"
    SICK = "sick"
    OTHER = "other"


class ConflictKind(LabelledEnum):
    FACILITATOR_BUSY = "facilitator_busy"
    ROOM_BOOKED = "room_booked"
    PUBLIC_HOLIDAY = "public_holiday"
    CLOSED_PERIOD = "closed_period"
    FACILITATOR_UNAVAILABLE = "facilitator_unavailable"


set_labels(
    ConflictKind,
    {
        ConflictKind.FACILITATOR_BUSY: _l("Facilitator busy"),
        ConflictKind.ROOM_BOOKED: _l("Room booked"),
        ConflictKind.PUBLIC_HOLIDAY: _l("Public holiday"),
        ConflictKind.CLOSED_PERIOD: _l("Closed period"),
        ConflictKind.FACILITATOR_UNAVAILABLE: _l("Facilitator unavailable"),
    },
)
set_labels(
    SessionStatus,
    {
        SessionStatus.PLANNED: _l("Planned"),
        SessionStatus.HELD: _l("Held"),
        SessionStatus.CANCELLED: _l("Cancelled"),
    },
)
set_labels(
    ClosedPeriodKind,
    {
        ClosedPeriodKind.AUTUMN: _l("Autumn break"),
        ClosedPeriodKind.CHRISTMAS: _l("Christmas break"),
        ClosedPeriodKind.WINTER: _l("Winter break"),
        ClosedPeriodKind.EASTER: _l("Easter break"),
        ClosedPeriodKind.SUMMER: _l("Summer break"),
        ClosedPeriodKind.OTHER: _l("Other closed days"),
    },
)
set_labels(
    UnavailabilityReason,
    {
        UnavailabilityReason.HOLIDAY: _l("Holiday"),
        UnavailabilityReason.COURSE: _l("Course"),
        UnavailabilityReason.SICK: _l("Sick"),
        UnavailabilityReason.OTHER: _l("Other"),
    },
)
