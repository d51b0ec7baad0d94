"""Everything the system holds about one pupil, for a guardian's access request (GDPR art. 15).

``pupil_export`` gathers it as plain data (JSON-ready: dates as ISO strings); the readable page
and the JSON download are both made from it, so that they always hold the same.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from mestring.attendance.models import Attendance
from mestring.core.absence import AbsenceFigures
from mestring.db import DbSession
from mestring.groups.models import Group, GroupMembership
from mestring.outcomes.models import AbsenceRecord
from mestring.referrals.fields import REFERRAL_FIELDS
from mestring.referrals.models import Consent, Pupil, Referral, ReferralStatusChange
from mestring.scheduling.models import Session

FORMAT_VERSION = 1
ABSENCE_FIGURES = (
    "school_days",
    "teaching_hours",
    "days_documented",
    "days_undocumented",
    "hours_documented",
    "hours_undocumented",
    "late_arrivals",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _percentages(figures: AbsenceFigures) -> dict[str, Any]:
    return {
        "day_absence_percent": _plain(figures.day_absence_percent),
        "hour_absence_percent": _plain(figures.hour_absence_percent),
        "at_or_above_10_percent": figures.is_worrying,
    }


def _referral(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.id,
        "status": referral.status.value,
        "school": referral.school.name,
        "created_at": _plain(referral.created_at),
        "submitted_at": _plain(referral.submitted_at),
        **{name: _plain(getattr(referral, name)) for name in REFERRAL_FIELDS},
        **_percentages(referral),
        "history": [
            {
                "at": _plain(change.created_at),
                "from": change.from_status.value if change.from_status else None,
                "to": change.to_status.value,
                "by": change.actor.name if change.actor else None,
                "comment": change.comment,
            }
            for change in referral.history
        ],
        "consents": [
            {
                "given_on": _plain(consent.given_on),
                "guardian": consent.guardian.name if consent.guardian else None,
                "method": consent.method.value,
                "note": consent.note,
                "covers_participation": consent.covers_participation,
                "covers_sharing": consent.covers_sharing,
                "covers_absence_data": consent.covers_absence_data,
                "recorded_at": _plain(consent.recorded_at),
                "withdrawn_at": _plain(consent.withdrawn_at),
            }
            for consent in referral.consents
        ],
    }


def pupil_export(db: DbSession, pupil_id: int) -> dict[str, Any]:
    """The pupil, guardians, referrals with history and consents, groups, attendance, absence."""
    pupil = db.scalars(
        sa.select(Pupil)
        .options(
            joinedload(Pupil.school),
            selectinload(Pupil.guardians),
            selectinload(Pupil.referrals).joinedload(Referral.school),
            selectinload(Pupil.referrals)
            .selectinload(Referral.history)
            .joinedload(ReferralStatusChange.actor),
            selectinload(Pupil.referrals)
            .selectinload(Referral.consents)
            .joinedload(Consent.guardian),
        )
        .where(Pupil.id == pupil_id)
    ).one()
    memberships = db.scalars(
        sa.select(GroupMembership)
        .options(joinedload(GroupMembership.group).joinedload(Group.term))
        .where(GroupMembership.pupil_id == pupil_id)
        .order_by(GroupMembership.placed_at)
    )
    attendance = db.scalars(
        sa.select(Attendance)
        .options(joinedload(Attendance.session).joinedload(Session.group))
        .join(Attendance.session)
        .where(Attendance.pupil_id == pupil_id)
        .order_by(Session.starts_at)
    )
    absence = db.scalars(
        sa.select(AbsenceRecord)
        .where(AbsenceRecord.pupil_id == pupil_id)
        .order_by(AbsenceRecord.starts_on)
    )
    return {
        "format_version": FORMAT_VERSION,
        "pupil": {
            "id": pupil.id,
            "first_name": pupil.first_name,
            "last_name": pupil.last_name,
            "birth_date": _plain(pupil.birth_date),
            "grade": pupil.grade,
            "school": pupil.school.name,
            "pupil_ref": pupil.pupil_ref,
            "created_at": _plain(pupil.created_at),
            "anonymised_at": _plain(pupil.anonymised_at),
        },
        "guardians": [
            {
                "name": guardian.name,
                "relation": guardian.relation,
                "phone": guardian.phone,
                "email": guardian.email,
                "language": guardian.language,
                "interpreter_needed": guardian.interpreter_needed,
            }
            for guardian in pupil.guardians
        ],
        "referrals": [_referral(referral) for referral in pupil.referrals],
        "groups": [
            {
                "group": membership.group.name,
                "term": membership.group.term.name,
                "status": membership.group.status.value,
                "placed_at": _plain(membership.placed_at),
            }
            for membership in memberships
        ],
        "attendance": [
            {
                "group": row.session.group.name,
                "session": row.session.title,
                "starts_at": _plain(row.session.starts_at),
                "status": row.status.value,
                "guardian_present": row.guardian_present,
            }
            for row in attendance
        ],
        "absence_records": [
            {
                "period": record.period.value,
                "starts_on": _plain(record.starts_on),
                "ends_on": _plain(record.ends_on),
                **{name: getattr(record, name) for name in ABSENCE_FIGURES},
                **_percentages(record),
            }
            for record in absence
        ],
    }
