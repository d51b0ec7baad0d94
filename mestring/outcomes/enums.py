"""Measurement periods."""

from flask_babel import lazy_gettext as _l

from mestring.core.enums import LabelledEnum, set_labels


class PeriodKind(LabelledEnum):
    BASELINE = "baseline"
    POST = "post"
    FOLLOW_UP = "follow_up"


set_labels(
    PeriodKind,
    {
        PeriodKind.BASELINE: _l("Before"),
        PeriodKind.POST: _l("After"),
        PeriodKind.FOLLOW_UP: _l("Follow-up"),
    },
)
