"""Group statuses, session modes and facilitator roles."""

from flask_babel import lazy_gettext as _l

from mestring.core.enums import LabelledEnum, set_labels


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
