"""Every domain's models, imported so that mappers and Alembic see the whole schema."""

from mestring.accounts.models import District, PasswordSetupToken, School, Service, User
from mestring.attendance.models import Attendance
from mestring.audit.models import AuditEvent
from mestring.groups.models import (
    CourseTemplate,
    FacilitatorAssignment,
    Group,
    GroupMembership,
    KeepApartPair,
    Term,
    Venue,
)
from mestring.outcomes.models import AbsenceRecord, FiguresStamp
from mestring.referrals.models import Consent, Guardian, Pupil, Referral, ReferralStatusChange
from mestring.scheduling.models import (
    ClosedPeriod,
    Session,
    SessionChange,
    SessionSubstitute,
    Unavailability,
)

__all__ = [
    "AbsenceRecord",
    "Attendance",
    "AuditEvent",
    "ClosedPeriod",
    "Consent",
    "CourseTemplate",
    "District",
    "FacilitatorAssignment",
    "FiguresStamp",
    "Group",
    "GroupMembership",
    "Guardian",
    "KeepApartPair",
    "PasswordSetupToken",
    "Pupil",
    "Referral",
    "ReferralStatusChange",
    "School",
    "Service",
    "Session",
    "SessionChange",
    "SessionSubstitute",
    "Term",
    "Unavailability",
    "User",
    "Venue",
]
