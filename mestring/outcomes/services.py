"""Saving absence records: one pupil's figures for one measurement period.

The form and the CSV import both come through here, so the same rules hold for both: a period
has at least one school day, nobody is absent more days than there were or more hours than were
taught, nothing is negative, and the dates fit the pupil's group (see ``periods.fit_problem``).
Approved leave (P) and other agreed teaching (A) are not absence and are not entered.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from mestring.accounts.models import User
from mestring.core.errors import DomainError, StaleEdit
from mestring.core.time import OSLO
from mestring.core.translations import lazy_gettext as _l
from mestring.db import DbSession
from mestring.groups.models import Group, GroupMembership
from mestring.outcomes.enums import PeriodKind
from mestring.outcomes.measures import AnySelect
from mestring.outcomes.models import AbsenceRecord
from mestring.outcomes.periods import CourseDates, fit_problem
from mestring.outcomes.permissions import can_enter_absence
from mestring.referrals.enums import ACTIVE_MEMBER_STATUSES
from mestring.referrals.models import Pupil, Referral
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session

# Referrals whose pupil is measured: placed now, or through the course.
MEASURED_STATUSES = ACTIVE_MEMBER_STATUSES
MAX_COUNT = 100_000


class InvalidAbsence(DomainError):
    """The figures break a rule; ``problems`` lists every one of them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class AbsenceInput:
    """What a school reports for one period, as whole days and single hours (never converted)."""

    starts_on: date
    ends_on: date
    school_days: int
    teaching_hours: int
    days_documented: int
    days_undocumented: int
    hours_documented: int
    hours_undocumented: int
    late_arrivals: int


FIGURES = tuple(f.name for f in fields(AbsenceInput) if f.name not in ("starts_on", "ends_on"))


def figure_problems(data: AbsenceInput) -> list[str]:
    """Every rule the figures break (dates against the group are checked apart)."""
    problems = []
    if any(getattr(data, name) < 0 for name in FIGURES):
        problems.append(str(_l("No figure may be negative.")))
    if any(getattr(data, name) > MAX_COUNT for name in FIGURES):
        problems.append(str(_l("A figure is too large.")))
    if data.school_days < 1:
        problems.append(str(_l("A period must have at least one school day.")))
    if data.days_documented + data.days_undocumented > data.school_days:
        problems.append(str(_l("More days absent than there were school days.")))
    if data.hours_documented + data.hours_undocumented > data.teaching_hours:
        problems.append(str(_l("More hours absent than there were teaching hours.")))
    if data.ends_on <= data.starts_on:
        problems.append(str(_l("The period must end after it starts.")))
    return problems


@dataclass(frozen=True)
class Placement:
    """A pupil's (latest) group and the days of its first and last children's session."""

    membership: GroupMembership
    course: CourseDates

    @property
    def group(self) -> Group:
        return self.membership.group


def course_dates_statement() -> AnySelect:
    """(group id, first, last) start of the not cancelled children's sessions of each group."""
    return sa.select(
        Session.group_id, sa.func.min(Session.starts_at), sa.func.max(Session.starts_at)
    ).where(Session.status != SessionStatus.CANCELLED, Session.guardians_attend.is_(False))


def course_dates(first: datetime | None, last: datetime | None) -> CourseDates:
    return CourseDates(
        first_day=first.astimezone(OSLO).date() if first else None,
        last_day=last.astimezone(OSLO).date() if last else None,
    )


def placements_of(db: DbSession, pupil_ids: list[int]) -> dict[int, Placement]:
    """Each pupil's latest placement whose referral is placed or completed, in two queries (one
    when none is placed)."""
    if not pupil_ids:
        return {}
    memberships = db.scalars(
        sa.select(GroupMembership)
        .options(joinedload(GroupMembership.group).joinedload(Group.term))
        .join(Referral, Referral.id == GroupMembership.referral_id)
        .where(GroupMembership.pupil_id.in_(pupil_ids), Referral.status.in_(MEASURED_STATUSES))
        .order_by(GroupMembership.placed_at)
    ).unique()
    latest = {membership.pupil_id: membership for membership in memberships}
    if not latest:
        return {}
    group_ids = {membership.group_id for membership in latest.values()}
    dates = {
        group_id: course_dates(utc_from_sql(first), utc_from_sql(last))
        for group_id, first, last in db.execute(
            course_dates_statement()
            .where(Session.group_id.in_(group_ids))
            .group_by(Session.group_id)
        )
    }
    return {
        pupil_id: Placement(membership, dates.get(membership.group_id, CourseDates(None, None)))
        for pupil_id, membership in latest.items()
    }


def utc_from_sql(value: datetime | str | None) -> datetime | None:
    """min()/max() bypass the column type: SQLite answers naive UTC text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def placement_of(db: DbSession, pupil: Pupil) -> Placement | None:
    return placements_of(db, [pupil.id]).get(pupil.id)


def record_for(db: DbSession, pupil_id: int, period: PeriodKind) -> AbsenceRecord | None:
    return db.scalar(
        sa.select(AbsenceRecord).where(
            AbsenceRecord.pupil_id == pupil_id, AbsenceRecord.period == period
        )
    )


def check_absence(
    *, actor: User, pupil: Pupil, placement: Placement, period: PeriodKind, data: AbsenceInput
) -> None:
    """DomainError unless ``actor`` may enter these figures for the pupil's ``period``."""
    if not can_enter_absence(actor, pupil):
        raise DomainError(str(_l("You cannot enter absence for this pupil.")))
    problems = figure_problems(data)
    if data.ends_on > data.starts_on:
        fit = fit_problem(period, data.starts_on, data.ends_on, placement.course)
        if fit:
            problems.append(fit)
    if problems:
        raise InvalidAbsence(problems)


def save_absence_record(
    db: DbSession,
    *,
    actor: User,
    pupil: Pupil,
    placement: Placement,
    period: PeriodKind,
    data: AbsenceInput,
    version: int | None,
    now: datetime,
) -> AbsenceRecord:
    """Create or update the pupil's record for ``period``.

    ``version`` is the record's version when the user opened the form (None for a new one);
    if someone saved in between, StaleEdit is raised and nothing changes.
    """
    check_absence(actor=actor, pupil=pupil, placement=placement, period=period, data=data)
    record = record_for(db, pupil.id, period)
    if record is None:
        if version is not None:
            raise StaleEdit(str(_l("Someone else removed this record. Reload and try again.")))
        record = AbsenceRecord(pupil_id=pupil.id, period=period)
        db.add(record)
    elif version != record.version_id:
        raise StaleEdit(
            str(_l("Someone else saved this period after you opened it. Reload and try again."))
        )
    for name in ("starts_on", "ends_on", *FIGURES):
        setattr(record, name, getattr(data, name))
    record.entered_by_id = actor.id
    record.entered_at = now
    db.flush()
    return record
