"""Measurement periods."""

from mestring.core.enums import LabelledEnum, set_labels
from mestring.core.translations import lazy_gettext as _l


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
