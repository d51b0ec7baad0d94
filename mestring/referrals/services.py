"""Referral rules: drafting, duplicates, consent, submission and triage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.core.errors import DomainError, InvalidTransition, StaleEdit
from mestring.core.translations import lazy_gettext as _l
from mestring.db import DbSession
from mestring.referrals.eligibility import age_problem
from mestring.referrals.enums import CLOSED_STATUSES, ConsentMethod, ReferralStatus
from mestring.referrals.fields import GUARDIAN_FIELDS, PUPIL_FIELDS, REFERRAL_FIELDS
from mestring.referrals.models import Consent, Guardian, Pupil, Referral, ReferralStatusChange
from mestring.referrals.permissions import can_edit_referral, can_view_referral
from mestring.referrals.workflow import change_status


class DuplicateReferral(DomainError):
    """The pupil already has an active referral."""

    def __init__(self, existing: Referral) -> None:
        super().__init__(str(_l("This pupil already has an active referral.")))
        self.existing = existing


@dataclass(frozen=True)
class ReferralInput:
    """What the referral form gives: the pupil, their guardians and the referral itself."""

    pupil: Mapping[str, Any]
    guardians: Sequence[Mapping[str, Any]]
    referral: Mapping[str, Any]


def find_active_referral(
    db: DbSession,
    *,
    district_id: int,
    school_id: int,
    pupil_ref: str | None,
    first_name: str,
    last_name: str,
    birth_date: date,
    exclude_pupil_id: int | None = None,
) -> Referral | None:
    """An open referral for the same pupil: same school reference, or same name and birth date
    anywhere in the district."""
    same_name = sa.and_(
        sa.func.lower(Pupil.first_name) == first_name.strip().lower(),
        sa.func.lower(Pupil.last_name) == last_name.strip().lower(),
        Pupil.birth_date == birth_date,
    )
    same_ref = (
        sa.and_(Pupil.school_id == school_id, Pupil.pupil_ref == pupil_ref)
        if pupil_ref
        else sa.false()
    )
    stmt = (
        sa.select(Referral)
        .join(Referral.pupil)
        .where(
            Referral.district_id == district_id,
            Referral.status.not_in(CLOSED_STATUSES),
            sa.or_(same_ref, same_name),
        )
        .order_by(Referral.created_at)
        .limit(1)
    )
    if exclude_pupil_id is not None:
        stmt = stmt.where(Pupil.id != exclude_pupil_id)
    return db.scalar(stmt)


def _pupil_with_ref(
    db: DbSession, *, school_id: int, ref: str, exclude_id: int | None = None
) -> Pupil | None:
    stmt = sa.select(Pupil).where(Pupil.school_id == school_id, Pupil.pupil_ref == ref)
    if exclude_id is not None:
        stmt = stmt.where(Pupil.id != exclude_id)
    return db.scalar(stmt)


def _known_pupil(db: DbSession, *, school_id: int, data: Mapping[str, Any]) -> Pupil | None:
    """The school's existing record of this pupil: by reference, else by name and birth date."""
    if data.get("pupil_ref"):
        found = _pupil_with_ref(db, school_id=school_id, ref=data["pupil_ref"])
        if found is not None:
            return found
    stmt = sa.select(Pupil).where(
        Pupil.school_id == school_id,
        sa.func.lower(Pupil.first_name) == data["first_name"].strip().lower(),
        sa.func.lower(Pupil.last_name) == data["last_name"].strip().lower(),
        Pupil.birth_date == data["birth_date"],
    )
    return db.scalars(stmt.limit(1)).first()


def _check_version(referral: Referral, version: int | None) -> None:
    if version is not None and version != referral.version_id:
        raise StaleEdit(
            str(
                _l(
                    "Someone else changed this referral after you opened it. Your changes are "
                    "shown below; check them against the saved version and save again."
                )
            )
        )


def _set_guardians(pupil: Pupil, entries: Sequence[Mapping[str, Any]]) -> None:
    """Keep the guardians in form order: update those there are, add or remove the rest."""
    filled = [entry for entry in entries if (entry.get("name") or "").strip()]
    for index, entry in enumerate(filled):
        if index < len(pupil.guardians):
            guardian = pupil.guardians[index]
        else:
            guardian = Guardian()
            pupil.guardians.append(guardian)
        for name in GUARDIAN_FIELDS:
            value = entry.get(name)
            setattr(guardian, name, bool(value) if name == "interpreter_needed" else value or "")
    del pupil.guardians[len(filled) :]


def create_referral(db: DbSession, *, actor: User, data: ReferralInput, now: datetime) -> Referral:
    """A new draft referral from the actor's school, for a new pupil record."""
    if actor.role is not Role.SCHOOL or actor.school is None:
        raise InvalidTransition(str(_l("Only school staff can refer pupils.")))
    existing = find_active_referral(
        db,
        district_id=actor.school.district_id,
        school_id=actor.school.id,
        pupil_ref=data.pupil.get("pupil_ref"),
        first_name=data.pupil["first_name"],
        last_name=data.pupil["last_name"],
        birth_date=data.pupil["birth_date"],
    )
    if existing is not None:
        raise DuplicateReferral(existing)
    # A pupil referred before (and closed since) keeps one record.
    pupil = _known_pupil(db, school_id=actor.school.id, data=data.pupil) or Pupil(
        school=actor.school
    )
    for name in PUPIL_FIELDS:
        setattr(pupil, name, data.pupil.get(name))
    _set_guardians(pupil, data.guardians)
    referral = Referral(
        pupil=pupil,
        school=actor.school,
        district_id=actor.school.district_id,
        created_by=actor,
        created_at=now,
        status=ReferralStatus.DRAFT,
        **{name: data.referral[name] for name in REFERRAL_FIELDS if name in data.referral},
    )
    db.add(referral)
    db.add(
        ReferralStatusChange(
            referral=referral, actor=actor, to_status=ReferralStatus.DRAFT, created_at=now
        )
    )
    db.flush()
    return referral


def update_referral(
    db: DbSession,
    *,
    actor: User,
    referral: Referral,
    data: ReferralInput,
    version: int | None,
    now: datetime,
) -> Referral:
    """Save changes to a referral the actor may edit, unless someone saved in between."""
    if not can_edit_referral(actor, referral):
        raise InvalidTransition(str(_l("This referral can no longer be changed by you.")))
    _check_version(referral, version)
    pupil = referral.pupil
    existing = find_active_referral(
        db,
        district_id=referral.school.district_id,
        school_id=pupil.school_id,
        pupil_ref=data.pupil.get("pupil_ref"),
        first_name=data.pupil["first_name"],
        last_name=data.pupil["last_name"],
        birth_date=data.pupil["birth_date"],
        exclude_pupil_id=pupil.id,
    )
    if existing is not None:
        raise DuplicateReferral(existing)
    ref = data.pupil.get("pupil_ref")
    if ref and _pupil_with_ref(db, school_id=pupil.school_id, ref=ref, exclude_id=pupil.id):
        raise DomainError(str(_l("Another pupil at the school already has this reference.")))
    for name in PUPIL_FIELDS:
        setattr(pupil, name, data.pupil.get(name))
    _set_guardians(pupil, data.guardians)
    for name in REFERRAL_FIELDS:
        if name in data.referral:
            setattr(referral, name, data.referral[name])
    referral.updated_at = now
    db.flush()
    return referral


def record_consent(
    db: DbSession,
    *,
    actor: User,
    referral: Referral,
    guardian: Guardian | None,
    given_on: date,
    method: ConsentMethod,
    note: str,
    covers_participation: bool,
    covers_sharing: bool,
    covers_absence_data: bool,
    now: datetime,
) -> Consent:
    if guardian is not None and guardian.pupil_id != referral.pupil_id:
        raise DomainError(str(_l("Choose one of the pupil's guardians.")))
    if method is ConsentMethod.VERBAL and not note.strip():
        raise DomainError(str(_l("Verbal consent needs a note of who gave it and how.")))
    if given_on > now.date():
        raise DomainError(str(_l("Consent cannot be dated in the future.")))
    consent = Consent(
        referral=referral,
        guardian=guardian,
        given_on=given_on,
        method=method,
        note=note.strip(),
        covers_participation=covers_participation,
        covers_sharing=covers_sharing,
        covers_absence_data=covers_absence_data,
        recorded_by_id=actor.id,
        recorded_at=now,
    )
    db.add(consent)
    db.flush()
    return consent


def has_valid_consent(referral: Referral) -> bool:
    """Consent to participation that has not been withdrawn."""
    return any(c.covers_participation and c.withdrawn_at is None for c in referral.consents)


def submission_problems(referral: Referral, *, term_start: date) -> list[str]:
    """Why the referral cannot be submitted yet; empty when it can."""
    problems = []
    if not has_valid_consent(referral):
        problems.append(
            str(_l("Record the guardians' consent to participation before submitting."))
        )
    problem = age_problem(referral.pupil.birth_date, referral.planned_start or term_start)
    if problem:
        problems.append(problem)
    return problems


def move_referral(
    db: DbSession,
    *,
    actor: User,
    referral: Referral,
    target: ReferralStatus,
    comment: str,
    term_start: date,
    now: datetime,
) -> ReferralStatusChange:
    """A status change from the referral page; submitting checks consent and age first."""
    if target is ReferralStatus.SUBMITTED:
        problems = submission_problems(referral, term_start=term_start)
        if problems:
            raise InvalidTransition(" ".join(problems))
    return change_status(
        db, actor=actor, referral=referral, target=target, comment=comment, now=now
    )


def share_worry(db: DbSession, *, actor: User, referral: Referral, shared: bool) -> None:
    """Let the group's facilitators read the school's free-text worry, or stop letting them."""
    if actor.role is not Role.COORDINATOR or not can_view_referral(actor, referral):
        raise InvalidTransition(str(_l("Only the district's coordinator decides this.")))
    referral.worry_shared = shared
    db.flush()
