"""Measurement periods."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class PeriodKind(StrEnum):
    BASELINE = "baseline"
    POST = "post"
    FOLLOW_UP = "follow_up"

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])


_LABELS: dict[type[StrEnum], dict[StrEnum, str]] = {
    PeriodKind: {
        PeriodKind.BASELINE: _l("Before"),
        PeriodKind.POST: _l("After"),
        PeriodKind.FOLLOW_UP: _l("Follow-up"),
    },
}
