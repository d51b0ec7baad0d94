"""Group statuses, session modes and facilitator roles."""

from mestring.core.enums import LabelledEnum, set_labels
from mestring.core.translations import lazy_gettext as _l


class GroupStatus(LabelledEnum):
    PLANNING = "planning"
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class SessionMode(LabelledEnum):
    PHYSICAL = "physical"
    DIGITAL = "digital"


class FacilitatorRole(LabelledEnum):
    LEAD = "lead"
    CO_LEAD = "co_lead"


set_labels(
    GroupStatus,
    {
        GroupStatus.PLANNING: _l("Planning"),
        GroupStatus.RUNNING: _l("Running"),
        GroupStatus.FINISHED: _l("Finished"),
        GroupStatus.CANCELLED: _l("Cancelled"),
    },
)
set_labels(
    SessionMode,
    {
        SessionMode.PHYSICAL: _l("Physical"),
        SessionMode.DIGITAL: _l("Digital"),
    },
)
set_labels(
    FacilitatorRole,
    {
        FacilitatorRole.LEAD: _l("Lead"),
        FacilitatorRole.CO_LEAD: _l("Co-lead"),
    },
)


class WarningKind(LabelledEnum):
    """What may be wrong with a group's (or a proposal's) composition."""

    OVER_CAPACITY = "over_capacity"
    UNDER_MINIMUM = "under_minimum"
    AGE_SPREAD = "age_spread"
    ALONE_FROM_SCHOOL = "alone_from_school"
    NO_DIGITAL_ACCESS = "no_digital_access"
    KEEP_APART = "keep_apart"
    FEW_FACILITATORS = "few_facilitators"
    MISSING_SERVICE = "missing_service"


set_labels(
    WarningKind,
    {
        WarningKind.OVER_CAPACITY: _l("Over capacity"),
        WarningKind.UNDER_MINIMUM: _l("Under the minimum"),
        WarningKind.AGE_SPREAD: _l("Wide age spread"),
        WarningKind.ALONE_FROM_SCHOOL: _l("Alone from their school"),
        WarningKind.NO_DIGITAL_ACCESS: _l("No digital access"),
        WarningKind.KEEP_APART: _l("Keep apart"),
        WarningKind.FEW_FACILITATORS: _l("Too few facilitators"),
        WarningKind.MISSING_SERVICE: _l("Service missing"),
    },
)
