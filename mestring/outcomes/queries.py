"""Outcome figures per term, aggregated in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from mestring.db import DbSession
from mestring.groups.models import Group, GroupMembership, Term
from mestring.outcomes.enums import PeriodKind
from mestring.outcomes.models import AbsenceRecord
from mestring.outcomes.suppression import is_suppressed
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Referral


@dataclass(frozen=True)
class TermOutcome:
    term: str
    placed: int
    completed: int
    measured: int
    day_absence_before: float | None
    day_absence_after: float | None

    @property
    def change(self) -> float | None:
        if self.day_absence_before is None or self.day_absence_after is None:
            return None
        return self.day_absence_after - self.day_absence_before

    @property
    def suppressed(self) -> bool:
        return is_suppressed(self.placed)

    @property
    def completed_suppressed(self) -> bool:
        return is_suppressed(self.completed)

    @property
    def measures_suppressed(self) -> bool:
        return is_suppressed(self.measured)


def _day_absence_percent(record: type[AbsenceRecord]) -> sa.ColumnElement[Any]:
    days = record.days_documented + record.days_undocumented
    return sa.cast(days, sa.Float) * 100.0 / record.school_days


def term_outcomes(db: DbSession, district_id: int) -> list[TermOutcome]:
    """Placed, completed, and day absence before and after, for each term of a district."""
    before = aliased(AbsenceRecord)
    after = aliased(AbsenceRecord)
    both = sa.and_(before.id.is_not(None), after.id.is_not(None))
    stmt = (
        sa.select(
            Term.name,
            sa.func.count(sa.distinct(GroupMembership.pupil_id)),
            sa.func.count(
                sa.distinct(
                    sa.case((Referral.status == ReferralStatus.COMPLETED, GroupMembership.pupil_id))
                )
            ),
            sa.func.count(sa.distinct(sa.case((both, GroupMembership.pupil_id)))),
            sa.func.avg(sa.case((both, _day_absence_percent(before)))),
            sa.func.avg(sa.case((both, _day_absence_percent(after)))),
        )
        .select_from(Term)
        .join(Group, Group.term_id == Term.id)
        .join(GroupMembership, GroupMembership.group_id == Group.id)
        .join(Referral, Referral.id == GroupMembership.referral_id)
        .outerjoin(
            before,
            sa.and_(
                before.pupil_id == GroupMembership.pupil_id, before.period == PeriodKind.BASELINE
            ),
        )
        .outerjoin(
            after,
            sa.and_(after.pupil_id == GroupMembership.pupil_id, after.period == PeriodKind.POST),
        )
        .where(Term.district_id == district_id)
        .group_by(Term.id, Term.name, Term.starts_on)
        .order_by(Term.starts_on.desc())
    )
    return [
        TermOutcome(
            term=name,
            placed=placed,
            completed=completed,
            measured=measured,
            day_absence_before=float(before_pct) if before_pct is not None else None,
            day_absence_after=float(after_pct) if after_pct is not None else None,
        )
        for name, placed, completed, measured, before_pct, after_pct in db.execute(stmt)
    ]
