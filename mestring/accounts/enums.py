"""Roles and services."""

from mestring.core.enums import LabelledEnum, set_labels
from mestring.core.translations import lazy_gettext as _l


class Role(LabelledEnum):
    SCHOOL = "school"
    FACILITATOR = "facilitator"
    COORDINATOR = "coordinator"
    ANALYST = "analyst"
    ADMIN = "admin"


class ServiceKind(LabelledEnum):
    PPT = "ppt"
    SCHOOL_HEALTH = "school_health"
    SCHOOL = "school"
    DISTRICT = "district"


class Locale(LabelledEnum):
    NB = "nb"
    EN = "en"


set_labels(
    Role,
    {
        Role.SCHOOL: _l("School"),
        Role.FACILITATOR: _l("Facilitator"),
        Role.COORDINATOR: _l("Coordinator"),
        Role.ANALYST: _l("Analyst"),
        Role.ADMIN: _l("Administrator"),
    },
)
set_labels(
    ServiceKind,
    {
        ServiceKind.PPT: _l("PPT"),
        ServiceKind.SCHOOL_HEALTH: _l("School health service"),
        ServiceKind.SCHOOL: _l("School staff"),
        ServiceKind.DISTRICT: _l("District"),
    },
)
set_labels(
    Locale,
    {
        Locale.NB: "Norsk bokmål",
        Locale.EN: "English",
    },
)
