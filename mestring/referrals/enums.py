"""Referral statuses and consent methods."""

from mestring.core.enums import LabelledEnum, set_labels
from mestring.core.translations import lazy_gettext as _l


class ReferralStatus(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    NEEDS_INFO = "needs_info"
    ACCEPTED = "accepted"
    PLACED = "placed"
    COMPLETED = "completed"
    DISCONTINUED = "discontinued"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


# A referral in one of these states no longer blocks a new referral for the same pupil.
CLOSED_STATUSES = frozenset(
    {
        ReferralStatus.DECLINED,
        ReferralStatus.WITHDRAWN,
        ReferralStatus.COMPLETED,
        ReferralStatus.DISCONTINUED,
    }
)


# A pupil whose referral is in one of these states takes part in their group; a withdrawn or
# discontinued referral means the pupil has left it (the membership stays for the statistics).
ACTIVE_MEMBER_STATUSES = frozenset({ReferralStatus.PLACED, ReferralStatus.COMPLETED})


class ConsentMethod(LabelledEnum):
    SIGNED_FORM = "signed_form"
    DIGITAL = "digital"
    VERBAL = "verbal"


set_labels(
    ReferralStatus,
    {
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
)
set_labels(
    ConsentMethod,
    {
        ConsentMethod.SIGNED_FORM: _l("Signed form"),
        ConsentMethod.DIGITAL: _l("Digital"),
        ConsentMethod.VERBAL: _l("Verbal"),
    },
)
