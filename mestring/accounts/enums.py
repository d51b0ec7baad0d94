"""Roles and services."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    SCHOOL = "school"
    FACILITATOR = "facilitator"
    COORDINATOR = "coordinator"
    ANALYST = "analyst"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])


class ServiceKind(StrEnum):
    PPT = "ppt"
    SCHOOL_HEALTH = "school_health"
    SCHOOL = "school"
    DISTRICT = "district"

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])


class Locale(StrEnum):
    NB = "nb"
    EN = "en"

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])


_LABELS: dict[type[StrEnum], dict[StrEnum, str]] = {
    Role: {
        Role.SCHOOL: _l("School"),
        Role.FACILITATOR: _l("Facilitator"),
        Role.COORDINATOR: _l("Coordinator"),
        Role.ANALYST: _l("Analyst"),
        Role.ADMIN: _l("Administrator"),
    },
    ServiceKind: {
        ServiceKind.PPT: _l("PPT"),
        ServiceKind.SCHOOL_HEALTH: _l("School health service"),
        ServiceKind.SCHOOL: _l("School staff"),
        ServiceKind.DISTRICT: _l("District"),
    },
    Locale: {
        Locale.NB: "Norsk bokmål",
        Locale.EN: "English",
    },
}
