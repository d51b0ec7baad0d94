"""Referral statuses and consent methods."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class ReferralStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    NEEDS_INFO = "needs_info"
    ACCEPTED = "accepted"
    PLACED = "placed"
    COMPLETED = "completed"
    DISCONTINUED = "discontinued"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])


# A referral in one of these states no longer blocks a new referral for the same pupil.
CLOSED_STATUSES = frozenset(
    {
        ReferralStatus.DECLINED,
        ReferralStatus.WITHDRAWN,
        ReferralStatus.COMPLETED,
        ReferralStatus.DISCONTINUED,
    }
)


class ConsentMethod(StrEnum):
    SIGNED_FORM = "signed_form"
    DIGITAL = "digital"
    VERBAL = "verbal"

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])


_LABELS: dict[type[StrEnum], dict[StrEnum, str]] = {
    ReferralStatus: {
        ReferralStatus.DRAFT: _l("Draft"),
        ReferralStatus.SUBMITTED: _l("Submitted"),
        ReferralStatus.NEEDS_INFO: _l("Needs information"),
        ReferralStatus.ACCEPTED: _l("On the waitlist"),
        ReferralStatus.PLACED: _l("Placed in a group"),
        ReferralStatus.COMPLETED: _l("Completed"),
        ReferralStatus.DISCONTINUED: _l("Discontinued"),
        ReferralStatus.DECLINED: _l("Declined"),
        ReferralStatus.WITHDRAWN: _l("Withdrawn"),
    },
    ConsentMethod: {
        ConsentMethod.SIGNED_FORM: _l("Signed form"),
        ConsentMethod.DIGITAL: _l("Digital"),
        ConsentMethod.VERBAL: _l("Verbal"),
    },
}
