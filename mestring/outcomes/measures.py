"""The district's outcome measures, aggregated in SQL on SQLite and PostgreSQL alike.

Each figure is computed by the database over one row per placement (a pupil in a group), so the
dashboard never loads every pupil into Python. The rules, in one place:

- **referred**: submitted referrals (not drafts). A referral belongs to its group's term once
  placed, otherwise to the term its planned start falls in.
- **placed**: pupils with a group membership.
- **held session**: a children's session (not a parent-only one, ``guardians_attend``) that is
  not cancelled and either has status *held* or has attendance recorded.
- **completed**: a placed pupil who did not discontinue, whose group's course is over (the group
  is *finished*, or it has no children's session left that is neither held nor cancelled and
  starts after ``now``), and who was *present* at at least 75 % of the group's held sessions
  (``present * 4 >= held * 3`` in integers, so 75 % exactly counts). A group with no held session
  has no completers.
- **discontinued**: the referral's status is *discontinued*.
- **waiting time**: days from the referral's submission to the group's first children's session
  that is not cancelled; the median over placed pupils.
- **session attendance**: *present* marks out of all marks recorded for the pupils at held
  sessions, in percent.
- **absence before/after**: for pupils with both a baseline and a post record, the day absence %
  of each (days documented + undocumented over school days; hours are never mixed in); mean,
  median and the change in percentage points (mean after − mean before). A pupil is *at or above
  10 %* if the day or the hour percentage is, compared exactly in integers (days × 10 ≥ school
  days). Follow-up likewise for pupils with a baseline and a follow-up record.

Medians are computed portably with ``ROW_NUMBER`` and ``COUNT`` windows (the middle row, or the
mean of the middle two), as SQLite has no ``percentile_cont``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from math import ceil
from typing import Any, TypeAlias

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from mestring.accounts.models import School, Term
from mestring.attendance.enums import AttendanceStatus
from mestring.attendance.models import Attendance
from mestring.core.pagination import PER_PAGE, Page
from mestring.db import DbSession
from mestring.groups.enums import GroupStatus
from mestring.groups.models import Group, GroupMembership
from mestring.outcomes.enums import PeriodKind
from mestring.outcomes.models import AbsenceRecord
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Pupil, Referral
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session

# A statement of any columns.
AnySelect: TypeAlias = sa.Select[*tuple[Any, ...]]

COMPLETION_NUMERATOR, COMPLETION_DENOMINATOR = 3, 4  # present at ≥ 75 % of held sessions

# The moment the figures are computed for: a parameter, so that statements can be built once.
NOW = sa.bindparam("now", type_=Session.starts_at.type)


class Dimension(StrEnum):
    PROGRAMME = "programme"
    TERM = "term"
    GROUP = "group"
    SCHOOL = "school"


@dataclass(frozen=True)
class OutcomeFilters:
    term_id: int | None = None
    school_id: int | None = None
    group_id: int | None = None


@dataclass(frozen=True)
class OutcomeRow:
    """The figures of one term, group, school or the whole programme."""

    key: int | None
    label: str
    referred: int = 0
    placed: int = 0
    completed: int = 0
    discontinued: int = 0
    waiting_known: int = 0
    waiting_median_days: float | None = None
    attendance_marks: int = 0
    attendance_rate: float | None = None
    measured: int = 0
    before_mean: float | None = None
    before_median: float | None = None
    after_mean: float | None = None
    after_median: float | None = None
    worrying_before: int = 0
    worrying_after: int = 0
    follow_up_measured: int = 0
    follow_up_before_mean: float | None = None
    follow_up_mean: float | None = None
    follow_up_median: float | None = None
    worrying_follow_up: int = 0

    @property
    def change(self) -> float | None:
        if self.before_mean is None or self.after_mean is None:
            return None
        return self.after_mean - self.before_mean

    @property
    def follow_up_change(self) -> float | None:
        if self.follow_up_before_mean is None or self.follow_up_mean is None:
            return None
        return self.follow_up_mean - self.follow_up_before_mean

    @property
    def share_worrying_before(self) -> float | None:
        return _share(self.worrying_before, self.measured)

    @property
    def share_worrying_after(self) -> float | None:
        return _share(self.worrying_after, self.measured)

    @property
    def share_worrying_follow_up(self) -> float | None:
        return _share(self.worrying_follow_up, self.follow_up_measured)


def _share(part: int, whole: int) -> float | None:
    return part * 100.0 / whole if whole else None


@dataclass(frozen=True)
class Outcomes:
    """The dashboard's tables: the whole programme, and per term, group and school."""

    programme: OutcomeRow
    by_dimension: dict[Dimension, list[OutcomeRow]] = field(default_factory=dict)

    def tables(self) -> list[tuple[Dimension, list[OutcomeRow]]]:
        return [(Dimension.PROGRAMME, [self.programme]), *self.by_dimension.items()]


# -- Portable SQL pieces ---------------------------------------------------------------------


class days_between(FunctionElement[float]):
    """``later - earlier`` in (fractional) days."""

    type = sa.Float()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    later_sql, earlier_sql = compiler.process(later, **kw), compiler.process(earlier, **kw)
    return f"(julianday({later_sql}) - julianday({earlier_sql}))"


@compiles(days_between)
def _days_between_default(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"(EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - "
        f"{compiler.process(earlier, **kw)})) / 86400.0)"
    )


def day_absence_percent(record: Any) -> sa.ColumnElement[float]:
    days = record.days_documented + record.days_undocumented
    return sa.cast(days, sa.Float) * 100.0 / record.school_days


def at_or_above_threshold(record: Any) -> sa.ColumnElement[bool]:
    """10 % of days or of hours, compared exactly: part × 10 ≥ whole."""
    days = record.days_documented + record.days_undocumented
    hours = record.hours_documented + record.hours_undocumented
    return sa.or_(
        days * 10 >= record.school_days,
        sa.and_(record.teaching_hours > 0, hours * 10 >= record.teaching_hours),
    )


def held_children_session() -> sa.ColumnElement[bool]:
    """A session that counts toward a pupil's attendance (see the module docstring)."""
    marked = aliased(Attendance, name="marked")
    has_attendance = (
        sa.select(marked.id).where(marked.session_id == Session.id).correlate(Session).exists()
    )
    return sa.and_(
        Session.status != SessionStatus.CANCELLED,
        Session.guardians_attend.is_(False),
        sa.or_(Session.status == SessionStatus.HELD, has_attendance),
    )


def groups_in_scope(district_id: int, filters: OutcomeFilters) -> sa.Select[Any]:
    """The ids of the district's groups that the term and group filters leave."""
    stmt = sa.select(Group.id).where(Group.district_id == district_id)
    if filters.term_id is not None:
        stmt = stmt.where(Group.term_id == filters.term_id)
    if filters.group_id is not None:
        stmt = stmt.where(Group.id == filters.group_id)
    return stmt


def group_session_figures(groups: sa.Select[Any]) -> sa.Subquery:
    """Per group of ``groups``: held children's sessions, the first one's start, and sessions
    still to come (after the statement's parameter ``now``).

    Whether a session has attendance recorded comes from one grouped pass over the marks of
    these groups' sessions (rather than a test per session, which PostgreSQL answers by
    hashing the whole attendance table).
    """
    marked = (
        sa.select(Attendance.session_id.label("session_id"))
        .join(Session, Session.id == Attendance.session_id)
        .where(Session.group_id.in_(groups))
        .group_by(Attendance.session_id)
        .subquery("marked_sessions")
    )
    children = sa.and_(
        Session.status != SessionStatus.CANCELLED, Session.guardians_attend.is_(False)
    )
    held = sa.and_(
        children,
        sa.or_(Session.status == SessionStatus.HELD, marked.c.session_id.is_not(None)),
    )
    return (
        sa.select(
            Session.group_id.label("group_id"),
            sa.func.count(sa.case((held, 1))).label("held"),
            sa.func.min(sa.case((children, Session.starts_at))).label("first_session_at"),
            sa.func.count(
                sa.case((sa.and_(children, sa.not_(held), Session.starts_at > NOW), 1))
            ).label("to_come"),
        )
        .outerjoin(marked, marked.c.session_id == Session.id)
        .where(Session.group_id.in_(groups))
        .group_by(Session.group_id)
        .subquery("group_sessions")
    )


def presence_figures(groups: sa.Select[Any]) -> sa.Subquery:
    """Per group of ``groups`` and pupil: present marks and all marks at held children's
    sessions. A session with a mark has attendance recorded, so here *held* is simply a
    children's session that is not cancelled."""
    return (
        sa.select(
            Session.group_id.label("group_id"),
            Attendance.pupil_id.label("pupil_id"),
            sa.func.count(sa.case((Attendance.status == AttendanceStatus.PRESENT, 1))).label(
                "present"
            ),
            sa.func.count(Attendance.id).label("marks"),
        )
        .join(Session, Session.id == Attendance.session_id)
        .where(
            Session.status != SessionStatus.CANCELLED,
            Session.guardians_attend.is_(False),
            Session.group_id.in_(groups),
        )
        .group_by(Session.group_id, Attendance.pupil_id)
        .subquery("presence")
    )


def _placed(district_id: int, filters: OutcomeFilters) -> AnySelect:
    """The district's memberships that the filters leave, joined to their group and referral."""
    stmt = (
        sa.select(GroupMembership.id)
        .select_from(GroupMembership)
        .join(Group, Group.id == GroupMembership.group_id)
        .join(Referral, Referral.id == GroupMembership.referral_id)
        .where(Group.district_id == district_id)
    )
    if filters.term_id is not None:
        stmt = stmt.where(Group.term_id == filters.term_id)
    if filters.school_id is not None:
        stmt = stmt.where(Referral.school_id == filters.school_id)
    if filters.group_id is not None:
        stmt = stmt.where(Group.id == filters.group_id)
    return stmt


def placements(district_id: int, filters: OutcomeFilters) -> sa.CTE:
    """One row per placed pupil with every per-pupil figure the measures aggregate, as of the
    statement's parameter ``now``.

    A common table expression: every aggregate of a dashboard reads it, and the database
    computes it once per statement (PostgreSQL and SQLite materialise a CTE used more than
    once).
    """
    # Only the sessions of the groups in scope are aggregated: the rest of Oslo is not read.
    groups = groups_in_scope(district_id, filters)
    sessions = group_session_figures(groups)
    presence = presence_figures(groups)
    before = aliased(AbsenceRecord, name="before")
    after = aliased(AbsenceRecord, name="after")
    follow_up = aliased(AbsenceRecord, name="follow_up")
    held = sa.func.coalesce(sessions.c.held, 0)
    present = sa.func.coalesce(presence.c.present, 0)
    course_over = sa.or_(
        Group.status == GroupStatus.FINISHED, sa.func.coalesce(sessions.c.to_come, 0) == 0
    )
    completed = sa.and_(
        Referral.status != ReferralStatus.DISCONTINUED,
        course_over,
        held > 0,
        present * COMPLETION_DENOMINATOR >= held * COMPLETION_NUMERATOR,
    )
    both = sa.and_(before.id.is_not(None), after.id.is_not(None))
    with_follow_up = sa.and_(before.id.is_not(None), follow_up.id.is_not(None))

    def record_join(alias: Any, kind: PeriodKind) -> sa.ColumnElement[bool]:
        return sa.and_(alias.pupil_id == GroupMembership.pupil_id, alias.period == kind)

    stmt = (
        _placed(district_id, filters)
        .with_only_columns(
            GroupMembership.id.label("membership_id"),
            GroupMembership.pupil_id.label("pupil_id"),
            Group.id.label("group_id"),
            Group.term_id.label("term_id"),
            Referral.school_id.label("school_id"),
            sa.case((completed, 1), else_=0).label("completed"),
            sa.case((Referral.status == ReferralStatus.DISCONTINUED, 1), else_=0).label(
                "discontinued"
            ),
            present.label("present"),
            sa.func.coalesce(presence.c.marks, 0).label("marks"),
            days_between(sessions.c.first_session_at, Referral.submitted_at).label("waiting_days"),
            sa.case((both, 1), else_=0).label("measured"),
            sa.case((both, day_absence_percent(before))).label("before_pct"),
            sa.case((both, day_absence_percent(after))).label("after_pct"),
            sa.case((sa.and_(both, at_or_above_threshold(before)), 1), else_=0).label(
                "worrying_before"
            ),
            sa.case((sa.and_(both, at_or_above_threshold(after)), 1), else_=0).label(
                "worrying_after"
            ),
            sa.case((with_follow_up, 1), else_=0).label("follow_up_measured"),
            sa.case((with_follow_up, day_absence_percent(before))).label("follow_up_before_pct"),
            sa.case((with_follow_up, day_absence_percent(follow_up))).label("follow_up_pct"),
            sa.case((sa.and_(with_follow_up, at_or_above_threshold(follow_up)), 1), else_=0).label(
                "worrying_follow_up"
            ),
            maintain_column_froms=True,
        )
        .outerjoin(sessions, sessions.c.group_id == Group.id)
        .outerjoin(
            presence,
            sa.and_(
                presence.c.group_id == Group.id, presence.c.pupil_id == GroupMembership.pupil_id
            ),
        )
        .outerjoin(before, record_join(before, PeriodKind.BASELINE))
        .outerjoin(after, record_join(after, PeriodKind.POST))
        .outerjoin(follow_up, record_join(follow_up, PeriodKind.FOLLOW_UP))
    )
    return stmt.cte("placements")


def referred(district_id: int, filters: OutcomeFilters) -> sa.CTE:
    """One row per submitted referral of the district, with its term, group and school (a CTE,
    read once for every dimension)."""
    planned_term = (
        sa.select(Term.id)
        .where(
            Term.district_id == Referral.district_id,
            Referral.planned_start >= Term.starts_on,
            Referral.planned_start <= Term.ends_on,
        )
        .order_by(Term.starts_on)
        .limit(1)
        .correlate(Referral)
        .scalar_subquery()
    )
    term_id = sa.func.coalesce(Group.term_id, planned_term)
    stmt = (
        sa.select(
            Referral.id.label("referral_id"),
            Referral.school_id.label("school_id"),
            GroupMembership.group_id.label("group_id"),
            term_id.label("term_id"),
        )
        .outerjoin(GroupMembership, GroupMembership.referral_id == Referral.id)
        .outerjoin(Group, Group.id == GroupMembership.group_id)
        .where(
            Referral.district_id == district_id,
            Referral.status != ReferralStatus.DRAFT,
            Referral.submitted_at.is_not(None),
        )
    )
    if filters.term_id is not None:
        stmt = stmt.where(term_id == filters.term_id)
    if filters.school_id is not None:
        stmt = stmt.where(Referral.school_id == filters.school_id)
    if filters.group_id is not None:
        stmt = stmt.where(GroupMembership.group_id == filters.group_id)
    return stmt.cte("referred")


def _key(rows: sa.Subquery | sa.CTE, dimension: Dimension) -> sa.ColumnElement[Any]:
    if dimension is Dimension.PROGRAMME:
        return sa.literal_column("0").label("key")
    return rows.c[f"{dimension.value}_id"].label("key")


# The per-pupil values whose median is wanted, with the condition under which each is known.
_MEDIANS = {
    "waiting_median_days": ("waiting_days", None),
    "before_median": ("before_pct", "measured"),
    "after_median": ("after_pct", "measured"),
    "follow_up_median": ("follow_up_pct", "follow_up_measured"),
}


def medians_statement(rows: sa.CTE, dimension: Dimension) -> AnySelect:
    """(key, one median per measure of _MEDIANS), by window functions."""
    parts = []
    for name, (column, condition) in _MEDIANS.items():
        value = rows.c[column]
        where: list[sa.ColumnElement[bool]] = [value.is_not(None)]
        if condition:
            where.append(rows.c[condition] == 1)
        parts.append(
            sa.select(
                _key(rows, dimension),
                sa.literal_column(f"'{name}'").label("measure"),
                value.label("value"),
            ).where(*where)
        )
    values = sa.union_all(*parts).subquery("measure_values")
    partition = (values.c.key, values.c.measure)
    ranked = sa.select(
        values.c.key,
        values.c.measure,
        values.c.value,
        sa.func.row_number()
        .over(partition_by=partition, order_by=values.c.value)
        .label("position"),
        sa.func.count().over(partition_by=partition).label("n"),
    ).subquery("ranked")
    middle = sa.or_(
        ranked.c.position == (ranked.c.n + 1) // 2, ranked.c.position == (ranked.c.n + 2) // 2
    )
    return (
        sa.select(
            ranked.c.key,
            *(
                sa.func.avg(sa.case((ranked.c.measure == name, ranked.c.value))).label(name)
                for name in _MEDIANS
            ),
        )
        .where(middle)
        .group_by(ranked.c.key)
    )


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def _labels(db: DbSession, district_id: int, dimension: Dimension) -> list[tuple[int, str]]:
    """Every term, group or school of the district, in the order the tables show them."""
    stmt: AnySelect
    if dimension is Dimension.TERM:
        stmt = (
            sa.select(Term.id, Term.name)
            .where(Term.district_id == district_id)
            .order_by(Term.starts_on.desc())
        )
    elif dimension is Dimension.GROUP:
        stmt = (
            sa.select(Group.id, Group.name + " (" + Term.name + ")")
            .join(Term, Term.id == Group.term_id)
            .where(Group.district_id == district_id)
            .order_by(Term.starts_on.desc(), Group.name)
        )
    else:
        stmt = (
            sa.select(School.id, School.name)
            .where(School.district_id == district_id)
            .order_by(School.name)
        )
    return [(key, label) for key, label in db.execute(stmt)]


_AGGREGATES = (
    "placed",
    "completed",
    "discontinued",
    "waiting_known",
    "present",
    "marks",
    "measured",
    "before_mean",
    "after_mean",
    "worrying_before",
    "worrying_after",
    "follow_up_measured",
    "follow_up_before_mean",
    "follow_up_mean",
    "worrying_follow_up",
)


def _tagged(stmt: AnySelect, dimension: Dimension) -> AnySelect:
    """``stmt`` with the dimension's name as the last column, for a UNION ALL of dimensions."""
    return stmt.add_columns(sa.literal_column(f"'{dimension.value}'").label("dimension"))


def _figures_statement(rows: sa.CTE, dimension: Dimension) -> AnySelect:
    """(key, the sums of _AGGREGATES, the medians of _MEDIANS, dimension) per key."""
    key = _key(rows, dimension)
    aggregate = sa.select(
        key,
        sa.func.count(rows.c.membership_id).label("placed"),
        sa.func.sum(rows.c.completed).label("completed"),
        sa.func.sum(rows.c.discontinued).label("discontinued"),
        sa.func.count(rows.c.waiting_days).label("waiting_known"),
        sa.func.sum(rows.c.present).label("present"),
        sa.func.sum(rows.c.marks).label("marks"),
        sa.func.sum(rows.c.measured).label("measured"),
        sa.func.avg(rows.c.before_pct).label("before_mean"),
        sa.func.avg(rows.c.after_pct).label("after_mean"),
        sa.func.sum(rows.c.worrying_before).label("worrying_before"),
        sa.func.sum(rows.c.worrying_after).label("worrying_after"),
        sa.func.sum(rows.c.follow_up_measured).label("follow_up_measured"),
        sa.func.avg(rows.c.follow_up_before_pct).label("follow_up_before_mean"),
        sa.func.avg(rows.c.follow_up_pct).label("follow_up_mean"),
        sa.func.sum(rows.c.worrying_follow_up).label("worrying_follow_up"),
    ).group_by(key)
    if dimension is Dimension.PROGRAMME:
        aggregate = aggregate.group_by(None)
    sums = aggregate.subquery(f"sums_{dimension.value}")
    medians = medians_statement(rows, dimension).subquery(f"medians_{dimension.value}")
    return _tagged(
        sa.select(
            sums.c.key,
            *(sums.c[name] for name in _AGGREGATES),
            *(medians.c[name] for name in _MEDIANS),
        ).select_from(sums.outerjoin(medians, medians.c.key == sums.c.key)),
        dimension,
    )


def _referred_statement(referrals: sa.CTE, dimension: Dimension) -> AnySelect:
    key = _key(referrals, dimension)
    stmt = sa.select(key, sa.func.count(referrals.c.referral_id)).group_by(key)
    if dimension is Dimension.PROGRAMME:
        stmt = stmt.group_by(None)
    return _tagged(stmt, dimension)


def _figures(values: dict[str, Any]) -> dict[str, Any]:
    marks, present = values["marks"], values["present"]
    return {
        "placed": values["placed"],
        "completed": int(values["completed"] or 0),
        "discontinued": int(values["discontinued"] or 0),
        "waiting_known": values["waiting_known"],
        "attendance_marks": int(marks or 0),
        "attendance_rate": float(present) * 100.0 / float(marks) if marks else None,
        "measured": int(values["measured"] or 0),
        "before_mean": _float(values["before_mean"]),
        "after_mean": _float(values["after_mean"]),
        "worrying_before": int(values["worrying_before"] or 0),
        "worrying_after": int(values["worrying_after"] or 0),
        "follow_up_measured": int(values["follow_up_measured"] or 0),
        "follow_up_before_mean": _float(values["follow_up_before_mean"]),
        "follow_up_mean": _float(values["follow_up_mean"]),
        "worrying_follow_up": int(values["worrying_follow_up"] or 0),
        **{name: _float(values[name]) for name in _MEDIANS},
    }


@lru_cache(maxsize=256)
def _outcome_statements(
    district_id: int, filters: OutcomeFilters, dimensions: tuple[Dimension, ...]
) -> tuple[sa.CompoundSelect[*tuple[Any, ...]], sa.CompoundSelect[*tuple[Any, ...]]]:
    """The statements of `outcome_tables`: the placements' figures per dimension (the moment
    ``now`` a parameter) and the referrals per dimension. Built once per district, filters and
    dimensions: a statement is immutable, and building these costs more than running them."""
    rows = placements(district_id, filters)
    referrals = referred(district_id, filters)
    return (
        sa.union_all(*(_figures_statement(rows, d) for d in dimensions)),
        sa.union_all(*(_referred_statement(referrals, d) for d in dimensions)),
    )


def outcome_tables(
    db: DbSession,
    *,
    district_id: int,
    dimensions: tuple[Dimension, ...],
    filters: OutcomeFilters,
    now: datetime,
    programme_label: str = "",
) -> dict[Dimension, list[OutcomeRow]]:
    """The figures per dimension: one statement for the placements' figures of all of them
    (the placements computed once), one for the referrals, and one per label list."""
    statement, counts = _outcome_statements(district_id, filters, dimensions)
    figures: dict[Dimension, dict[int, dict[str, Any]]] = {d: {} for d in dimensions}
    for k, *values, tag in db.execute(statement, {"now": now}):
        dimension = Dimension(tag)
        if dimension is not Dimension.PROGRAMME and k is None:
            continue
        figures[dimension][k] = _figures(dict(zip((*_AGGREGATES, *_MEDIANS), values, strict=True)))
    for k, count, tag in db.execute(counts):
        if k is not None and count:
            figures[Dimension(tag)].setdefault(k, {})["referred"] = count

    tables: dict[Dimension, list[OutcomeRow]] = {}
    for dimension in dimensions:
        found = figures[dimension]
        if dimension is Dimension.PROGRAMME:
            tables[dimension] = [OutcomeRow(key=None, label=programme_label, **found.get(0, {}))]
        else:
            tables[dimension] = [
                OutcomeRow(key=k, label=label, **found[k])
                for k, label in _labels(db, district_id, dimension)
                if k in found
            ]
    return tables


def outcome_rows(
    db: DbSession,
    *,
    district_id: int,
    dimension: Dimension,
    filters: OutcomeFilters,
    now: datetime,
    programme_label: str = "",
) -> list[OutcomeRow]:
    """The figures per term, group or school (or one row for the programme), in four queries."""
    return outcome_tables(
        db,
        district_id=district_id,
        dimensions=(dimension,),
        filters=filters,
        now=now,
        programme_label=programme_label,
    )[dimension]


def outcomes(
    db: DbSession,
    *,
    district_id: int,
    filters: OutcomeFilters,
    now: datetime,
    programme_label: str = "",
) -> Outcomes:
    """Every table of the dashboard."""
    by_dimension = (Dimension.TERM, Dimension.GROUP, Dimension.SCHOOL)
    tables = outcome_tables(
        db,
        district_id=district_id,
        dimensions=(Dimension.PROGRAMME, *by_dimension),
        filters=filters,
        now=now,
        programme_label=programme_label,
    )
    return Outcomes(
        programme=tables[Dimension.PROGRAMME][0],
        by_dimension={dimension: tables[dimension] for dimension in by_dimension},
    )


@dataclass(frozen=True)
class PupilOutcome:
    """One placed pupil's day absence before, after and at follow-up (coordinators only)."""

    pupil_id: int
    name: str
    school: str
    group: str
    before: float | None
    after: float | None
    follow_up: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@lru_cache(maxsize=256)
def placed_pupils_statement(district_id: int, filters: OutcomeFilters) -> AnySelect:
    """The placed pupils with their school and group, ordered by name, for paginating. Built
    once per district and filters: a statement is immutable, and building this one costs more
    than running it. Their absence is read for one page at a time (`placed_pupils_page`)."""
    return (
        _placed(district_id, filters)
        .with_only_columns(
            Pupil.id,
            Pupil.first_name,
            Pupil.last_name,
            School.name,
            Group.name,
            maintain_column_froms=True,
        )
        .join(Pupil, Pupil.id == GroupMembership.pupil_id)
        .join(School, School.id == Referral.school_id)
        .order_by(Pupil.last_name, Pupil.first_name, GroupMembership.id)
    )


@lru_cache(maxsize=256)
def _placed_memberships(district_id: int, filters: OutcomeFilters) -> AnySelect:
    """The memberships of `placed_pupils_statement`, in its order."""
    return placed_pupils_statement(district_id, filters).with_only_columns(GroupMembership.id)


def placed_memberships(db: DbSession, district_id: int, filters: OutcomeFilters) -> list[int]:
    """The ids of the memberships behind `placed_pupils_statement`'s rows, in its order: how
    many there are and which a page shows, without their pupils' names (the caller caches
    them with the figures, whose stamps change whenever a pupil's name or placement does)."""
    return list(db.scalars(_placed_memberships(district_id, filters)))


# `placed_pupils_statement`'s columns for the memberships ``ids``, each with its id and the
# pupil's day absence before, after and at follow-up; built once. The group's name is looked up
# per row: joined, PostgreSQL hashes every group of every district (a scan of the table) to find
# the 25 a page names.
_GROUP_NAME = (
    sa.select(Group.name)
    .where(Group.id == GroupMembership.group_id)
    .correlate(GroupMembership)
    .scalar_subquery()
)


def _day_absence_in(period: PeriodKind) -> sa.ScalarSelect[float]:
    return (
        sa.select(day_absence_percent(AbsenceRecord))
        .where(AbsenceRecord.pupil_id == Pupil.id, AbsenceRecord.period == period)
        .correlate(Pupil)
        .scalar_subquery()
    )


_PLACED_PUPILS_OF = (
    sa.select(
        GroupMembership.id,
        Pupil.id,
        Pupil.first_name,
        Pupil.last_name,
        School.name,
        _GROUP_NAME,
        _day_absence_in(PeriodKind.BASELINE),
        _day_absence_in(PeriodKind.POST),
        _day_absence_in(PeriodKind.FOLLOW_UP),
    )
    .select_from(GroupMembership)
    .join(Referral, Referral.id == GroupMembership.referral_id)
    .join(Pupil, Pupil.id == GroupMembership.pupil_id)
    .join(School, School.id == Referral.school_id)
    .where(GroupMembership.id.in_(sa.bindparam("ids", expanding=True)))
)


def placed_pupils_page(
    db: DbSession, memberships: Sequence[int], number: int, *, per_page: int = PER_PAGE
) -> Page[PupilOutcome]:
    """One page of the placed pupils with their day absence before, after and at follow-up, as
    `paginate` pages `placed_pupils_statement` (a number out of range gives the nearest page).
    ``memberships``: `placed_memberships`, which the caller may have cached; only the page's
    rows are read, in one statement."""
    total = len(memberships)
    number = min(max(1, number), max(1, ceil(total / per_page)))
    shown = memberships[(number - 1) * per_page : number * per_page]
    by_id = {
        membership_id: PupilOutcome(
            pupil_id=pupil_id,
            name=f"{first} {last}",
            school=school,
            group=group,
            before=_float(before),
            after=_float(after),
            follow_up=_float(follow_up),
        )
        for membership_id, pupil_id, first, last, school, group, before, after, follow_up in (
            db.execute(_PLACED_PUPILS_OF, {"ids": shown})
        )
    }
    # As `paginate`, a row the page would show twice is shown once.
    items = list(dict.fromkeys(by_id[id_] for id_ in shown))
    return Page(items=items, page=number, per_page=per_page, total=total)
