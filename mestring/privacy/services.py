"""Consent withdrawal, anonymisation and retention: a pupil's identity goes, the numbers stay.

Anonymisation is irreversible. It replaces the pupil's name, reduces the birth date to the birth
year, drops the school's pupil reference and the guardians, and blanks every free text written
about the pupil (the worry, measures, the pupil's voice, needs, consent notes, status-history
comments, keep-apart pairs, and the name wherever it occurs in the notes of the pupil's group
sessions). Attendance rows, absence records and group memberships stay, so that outcome
statistics keep counting the pupil, without identity. Audit events carry no names and are
never touched (the database refuses to change them).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from mestring.accounts.models import School, User
from mestring.audit.services import record_event
from mestring.core.errors import DomainError
from mestring.core.time import OSLO
from mestring.core.translations import lazy_gettext as _l
from mestring.db import DbSession
from mestring.groups.models import GroupMembership, KeepApartPair
from mestring.outcomes.models import AbsenceRecord
from mestring.privacy.permissions import can_withdraw_consent
from mestring.referrals.enums import CLOSED_STATUSES, ReferralStatus
from mestring.referrals.models import Pupil, Referral, ReferralStatusChange
from mestring.referrals.workflow import change_status
from mestring.scheduling.models import Session

# Stored data, not UI text: the same in every language.
ANONYMOUS_FIRST_NAME = "Anonymisert"
ANONYMOUS_LAST_NAME = "elev"
NAME_PLACEHOLDER = "[elev]"

# Referrals that end this long after being declined or withdrawn lose the pupil's identity.
CLOSED_REFERRAL_MONTHS = 3
# Statuses of a referral still waiting for the school or the coordinator: retention leaves the
# pupil alone until someone decides.
WAITING_STATUSES = frozenset(
    {
        ReferralStatus.DRAFT,
        ReferralStatus.SUBMITTED,
        ReferralStatus.NEEDS_INFO,
        ReferralStatus.ACCEPTED,
    }
)
ENDED_STATUSES = frozenset({ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN})

REFERRAL_FREE_TEXT = ("worry_text", "measures_tried", "pupil_voice", "travel_needs", "other_needs")


class RetentionReason(StrEnum):
    INACTIVE = "inactive"
    REFERRALS_ENDED = "referrals_ended"


@dataclass(frozen=True)
class RetentionCandidate:
    """A pupil retention would anonymise: ids and dates only, never a name."""

    pupil_id: int
    school_id: int
    school_name: str
    reason: RetentionReason
    last_activity: datetime


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (clamped to the month's end)."""
    year, month_index = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return moment.replace(year=year, month=month_index + 1, day=min(moment.day, last_day))


def _start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=OSLO).astimezone(UTC)


def _name_pattern(pupil: Pupil) -> re.Pattern[str] | None:
    """The pupil's full name, first name and last name as whole words, longest first."""
    names = {pupil.full_name.strip(), pupil.first_name.strip(), pupil.last_name.strip()}
    names = {name for name in names if name}
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    """``value`` with every occurrence of the name replaced, through lists and dicts."""
    if isinstance(value, str):
        return pattern.sub(NAME_PLACEHOLDER, value)
    if isinstance(value, list):
        return [_scrub(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, pattern) for key, item in value.items()}
    return value


def _scrub_group_sessions(db: DbSession, pupil: Pupil, pattern: re.Pattern[str]) -> None:
    group_ids = sa.select(GroupMembership.group_id).where(GroupMembership.pupil_id == pupil.id)
    sessions = db.scalars(
        sa.select(Session)
        .options(selectinload(Session.changes))
        .where(Session.group_id.in_(group_ids))
    )
    for session in sessions:
        note = _scrub(session.note, pattern)
        if note != session.note:
            session.note = note
        for change in session.changes:
            summary, changes = _scrub(change.summary, pattern), _scrub(change.changes, pattern)
            if summary != change.summary:
                change.summary = summary
            if changes != change.changes:
                change.changes = changes


def anonymise_pupil(db: DbSession, *, pupil: Pupil, now: datetime) -> Pupil:
    """Remove the pupil's identity for good; see the module's docstring for what goes."""
    if pupil.anonymised_at is not None:
        return pupil
    pattern = _name_pattern(pupil)
    if pattern is not None:
        _scrub_group_sessions(db, pupil, pattern)
    referrals = db.scalars(
        sa.select(Referral)
        .options(selectinload(Referral.history), selectinload(Referral.consents))
        .where(Referral.pupil_id == pupil.id)
    )
    for referral in referrals:
        for field in REFERRAL_FREE_TEXT:
            setattr(referral, field, "")
        for change in referral.history:
            change.comment = ""
        for consent in referral.consents:
            consent.note = ""
            consent.guardian = None
    db.execute(
        sa.delete(KeepApartPair).where(
            sa.or_(KeepApartPair.pupil_a_id == pupil.id, KeepApartPair.pupil_b_id == pupil.id)
        )
    )
    pupil.guardians.clear()
    pupil.first_name = ANONYMOUS_FIRST_NAME
    pupil.last_name = ANONYMOUS_LAST_NAME
    pupil.birth_date = date(pupil.birth_date.year, 1, 1)
    pupil.pupil_ref = None
    pupil.anonymised_at = now
    db.flush()
    return pupil


def withdraw_consent(db: DbSession, *, actor: User, pupil: Pupil, now: datetime) -> Pupil:
    """Guardians withdrew consent: every consent ends, every open referral becomes withdrawn,
    and the pupil is anonymised.

    The pupil leaves their group and the waitlist through the referral: a membership whose
    referral is withdrawn is how a pupil "left" the group, and the membership itself stays
    (with the attendance) so that the group's outcome figures still count the sessions held.
    """
    if not can_withdraw_consent(actor, pupil):
        raise DomainError(str(_l("You cannot withdraw consent for this pupil.")))
    referrals = list(
        db.scalars(
            sa.select(Referral)
            .options(selectinload(Referral.consents), selectinload(Referral.history))
            .where(Referral.pupil_id == pupil.id)
            .order_by(Referral.id)
        )
    )
    comment = str(_l("The guardians withdrew their consent."))
    for referral in referrals:
        for consent in referral.consents:
            if consent.withdrawn_at is None:
                consent.withdrawn_at = now
    anonymise_pupil(db, pupil=pupil, now=now)
    for referral in referrals:
        if referral.status not in CLOSED_STATUSES:
            change_status(
                db,
                actor=actor,
                referral=referral,
                target=ReferralStatus.WITHDRAWN,
                now=now,
                comment=comment,
            )
    db.flush()
    return pupil


# --- Retention ----------------------------------------------------------------------------------


def _latest(values: Iterable[datetime | None]) -> datetime | None:
    present = [value for value in values if value is not None]
    return max(present) if present else None


def _by_pupil(db: DbSession, stmt: sa.Select[Any, Any]) -> dict[int, Any]:
    return {row[0]: row[1] for row in db.execute(stmt).all()}


def last_activity(db: DbSession) -> dict[int, tuple[datetime, set[ReferralStatus]]]:
    """For every pupil not yet anonymised: the last activity and the statuses of their referrals.

    Activity is the end of the latest absence record, the last session of the pupil's groups,
    the last change to one of their referrals, and the pupil record's creation.
    """
    pupils = _by_pupil(
        db, sa.select(Pupil.id, Pupil.created_at).where(Pupil.anonymised_at.is_(None))
    )
    absence_end = _by_pupil(
        db,
        sa.select(AbsenceRecord.pupil_id, sa.func.max(AbsenceRecord.ends_on)).group_by(
            AbsenceRecord.pupil_id
        ),
    )
    last_session = _by_pupil(
        db,
        sa.select(GroupMembership.pupil_id, sa.func.max(Session.starts_at))
        .join(Session, Session.group_id == GroupMembership.group_id)
        .group_by(GroupMembership.pupil_id),
    )
    referral_change = _by_pupil(
        db,
        sa.select(Referral.pupil_id, sa.func.max(Referral.updated_at)).group_by(Referral.pupil_id),
    )
    history_change = _by_pupil(
        db,
        sa.select(Referral.pupil_id, sa.func.max(ReferralStatusChange.created_at))
        .join(ReferralStatusChange, ReferralStatusChange.referral_id == Referral.id)
        .group_by(Referral.pupil_id),
    )
    statuses: dict[int, set[ReferralStatus]] = {}
    for pupil_id, status in db.execute(sa.select(Referral.pupil_id, Referral.status)).all():
        statuses.setdefault(pupil_id, set()).add(status)

    def aware(value: datetime | None) -> datetime | None:
        # max() over a UTC column comes back naive from SQLite.
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)

    result = {}
    for pupil_id, created_at in pupils.items():
        end = absence_end.get(pupil_id)
        latest = _latest(
            [
                aware(created_at),
                _start_of_day(end) if end else None,
                aware(last_session.get(pupil_id)),
                aware(referral_change.get(pupil_id)),
                aware(history_change.get(pupil_id)),
            ]
        )
        result[pupil_id] = (latest or created_at, statuses.get(pupil_id, set()))
    return result


def retention_candidates(
    db: DbSession, *, now: datetime, retention_months: int
) -> list[RetentionCandidate]:
    """Pupils whose identity is kept no longer: inactive for ``retention_months``, or whose
    referrals all ended (declined or withdrawn) more than three months ago.

    A pupil with a referral still waiting for a decision (draft to waitlist) is left alone.
    """
    inactive_before = months_before(now, retention_months)
    ended_before = months_before(now, CLOSED_REFERRAL_MONTHS)
    found: dict[int, tuple[RetentionReason, datetime]] = {}
    for pupil_id, (latest, statuses) in last_activity(db).items():
        if statuses & WAITING_STATUSES:
            continue
        if statuses and statuses <= ENDED_STATUSES and latest < ended_before:
            found[pupil_id] = (RetentionReason.REFERRALS_ENDED, latest)
        elif latest < inactive_before:
            found[pupil_id] = (RetentionReason.INACTIVE, latest)
    if not found:
        return []
    schools = db.execute(
        sa.select(Pupil.id, School.id, School.name)
        .join(School, School.id == Pupil.school_id)
        .where(Pupil.id.in_(found))
    ).all()
    return sorted(
        (
            RetentionCandidate(
                pupil_id=pupil_id,
                school_id=school_id,
                school_name=school_name,
                reason=found[pupil_id][0],
                last_activity=found[pupil_id][1],
            )
            for pupil_id, school_id, school_name in schools
        ),
        key=lambda candidate: candidate.pupil_id,
    )


def apply_retention(
    db: DbSession, *, now: datetime, retention_months: int
) -> list[RetentionCandidate]:
    """Anonymise every retention candidate and audit each; the caller commits."""
    candidates = retention_candidates(db, now=now, retention_months=retention_months)
    for candidate in candidates:
        pupil = db.get_one(Pupil, candidate.pupil_id)
        anonymise_pupil(db, pupil=pupil, now=now)
        record_event(
            db,
            actor=None,
            action="retention_anonymise",
            now=now,
            object_type="pupil",
            object_id=pupil.id,
            pupil_id=pupil.id,
            details={
                "reason": candidate.reason.value,
                "last_activity": candidate.last_activity.isoformat(),
            },
        )
    db.flush()
    return candidates
