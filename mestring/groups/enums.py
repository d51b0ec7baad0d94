"""Group statuses, session modes and facilitator roles."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class GroupStatus(StrEnum):
    PLANNING = "planning"
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])


class SessionMode(StrEnum):
    PHYSICAL = "physical"
    DIGITAL = "digital"

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])


class FacilitatorRole(StrEnum):
    LEAD = "lead"
    CO_LEAD = "co_lead"

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])


_LABELS: dict[type[StrEnum], dict[StrEnum, str]] = {
    GroupStatus: {
        GroupStatus.PLANNING: _l("Planning"),
        GroupStatus.RUNNING: _l("Running"),
        GroupStatus.FINISHED: _l("Finished"),
        GroupStatus.CANCELLED: _l("Cancelled"),
    },
    SessionMode: {
        SessionMode.PHYSICAL: _l("Physical"),
        SessionMode.DIGITAL: _l("Digital"),
    },
    FacilitatorRole: {
        FacilitatorRole.LEAD: _l("Lead"),
        FacilitatorRole.CO_LEAD: _l("Co-lead"),
    },
}
