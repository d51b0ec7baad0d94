"""What outcome pages share: a pupil's measurement periods, outstanding measurements, filters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from mestring.accounts.models import School, Term
from mestring.db import DbSession
from mestring.groups.models import Group, GroupMembership
from mestring.outcomes.enums import PeriodKind
from mestring.outcomes.models import AbsenceRecord
from mestring.outcomes.periods import (
    CourseDates,
    MeasurementStatus,
    Period,
    measurement_status,
    proposed_period,
)
from mestring.outcomes.services import (
    MEASURED_STATUSES,
    Placement,
    course_dates,
    course_dates_statement,
    placements_of,
    utc_from_sql,
)
from mestring.referrals.models import Pupil, Referral
from mestring.scheduling.models import Session

OUTSTANDING = frozenset({MeasurementStatus.DUE, MeasurementStatus.MISSING})


@dataclass(frozen=True)
class Measurement:
    """One period of a placed pupil: what is proposed, what is entered, and its status."""

    period: PeriodKind
    proposal: Period | None
    record: AbsenceRecord | None
    status: MeasurementStatus


def _measurements(
    course: CourseDates, records: dict[PeriodKind, AbsenceRecord], today: date
) -> list[Measurement]:
    result = []
    for kind in PeriodKind:
        proposal = proposed_period(kind, course)
        record = records.get(kind)
        result.append(
            Measurement(
                kind, proposal, record, measurement_status(proposal, record is not None, today)
            )
        )
    return result


def measurements_of(
    db: DbSession, pupil: Pupil, today: date, records: Iterable[AbsenceRecord] | None = None
) -> tuple[Placement | None, list[Measurement]]:
    """The pupil's group and periods (empty when the pupil is not placed). ``records``: the
    pupil's absence records when the caller has read them already."""
    placement = placements_of(db, [pupil.id]).get(pupil.id)
    if placement is None:
        return None, []
    if records is None:
        records = db.scalars(sa.select(AbsenceRecord).where(AbsenceRecord.pupil_id == pupil.id))
    return placement, measurements_for(placement.course, records, today)


def measurements_for(
    course: CourseDates, records: Iterable[AbsenceRecord], today: date
) -> list[Measurement]:
    """The periods of a placed pupil whose group's course dates the caller has read already
    (the pupil page reads them with the pupil's groups); ``records``: the pupil's absence
    records."""
    return _measurements(course, {record.period: record for record in records}, today)


@dataclass(frozen=True)
class Outstanding:
    pupil_id: int
    pupil_name: str
    school: str
    group: str
    measurement: Measurement


def outstanding_measurements(
    db: DbSession, *, district_id: int, school_id: int | None, today: date
) -> list[Outstanding]:
    """Due or missing periods of placed pupils, by school and pupil, in three queries."""
    stmt = (
        sa.select(GroupMembership)
        .join(Referral, Referral.id == GroupMembership.referral_id)
        .join(Pupil, Pupil.id == GroupMembership.pupil_id)
        .join(School, School.id == Pupil.school_id)
        .join(Group, Group.id == GroupMembership.group_id)
        .options(
            joinedload(GroupMembership.pupil).joinedload(Pupil.school),
            joinedload(GroupMembership.group),
        )
        .where(Group.district_id == district_id, Referral.status.in_(MEASURED_STATUSES))
        .order_by(School.name, Pupil.last_name, Pupil.first_name, GroupMembership.placed_at)
    )
    if school_id is not None:
        stmt = stmt.where(Pupil.school_id == school_id)
    memberships = {m.pupil_id: m for m in db.scalars(stmt).unique()}  # the latest placement
    group_ids = {m.group_id for m in memberships.values()}
    dates = {
        group_id: course_dates(utc_from_sql(first), utc_from_sql(last))
        for group_id, first, last in db.execute(
            course_dates_statement()
            .where(Session.group_id.in_(group_ids))
            .group_by(Session.group_id)
        )
    }
    records: dict[int, dict[PeriodKind, AbsenceRecord]] = {}
    for record in db.scalars(
        sa.select(AbsenceRecord).where(AbsenceRecord.pupil_id.in_(list(memberships)))
    ):
        records.setdefault(record.pupil_id, {})[record.period] = record
    result = []
    for pupil_id, membership in memberships.items():
        placement = Placement(membership, dates.get(membership.group_id, course_dates(None, None)))
        for measurement in _measurements(placement.course, records.get(pupil_id, {}), today):
            if measurement.status in OUTSTANDING:
                result.append(
                    Outstanding(
                        pupil_id=pupil_id,
                        pupil_name=membership.pupil.full_name,
                        school=membership.pupil.school.name,
                        group=membership.group.name,
                        measurement=measurement,
                    )
                )
    return result


def outstanding_per_school(items: list[Outstanding]) -> list[tuple[str, Counter[PeriodKind]]]:
    """(school, count of outstanding periods by kind), schools in name order."""
    counts: dict[str, Counter[PeriodKind]] = {}
    for item in items:
        counts.setdefault(item.school, Counter())[item.measurement.period] += 1
    return sorted(counts.items())


def district_schools(db: DbSession, district_id: int) -> list[School]:
    return list(
        db.scalars(sa.select(School).where(School.district_id == district_id).order_by(School.name))
    )


def district_groups(db: DbSession, district_id: int) -> list[sa.Row[Any]]:
    """The district's groups as rows of (id, name, term), newest term first."""
    return list(
        db.execute(
            sa.select(Group.id, Group.name, Term.name.label("term"))
            .join(Term, Term.id == Group.term_id)
            .where(Group.district_id == district_id)
            .order_by(Term.starts_on.desc(), Group.name)
        )
    )


@dataclass(frozen=True)
class FilterChoices:
    """What the dashboard's filters offer, as plain values (cached with the figures):
    terms and schools as (id, name), groups as (id, name, term name)."""

    terms: list[tuple[int, str]]
    schools: list[tuple[int, str]]
    groups: list[tuple[int, str, str]]


def filter_choices(db: DbSession, district_id: int) -> FilterChoices:
    """The district's terms (newest first), schools (by name) and groups (newest term first)."""
    terms = db.execute(
        sa.select(Term.id, Term.name)
        .where(Term.district_id == district_id)
        .order_by(Term.starts_on.desc())
    )
    schools = db.execute(
        sa.select(School.id, School.name)
        .where(School.district_id == district_id)
        .order_by(School.name)
    )
    return FilterChoices(
        terms=[(id_, name) for id_, name in terms],
        schools=[(id_, name) for id_, name in schools],
        groups=[(row.id, row.name, row.term) for row in district_groups(db, district_id)],
    )
