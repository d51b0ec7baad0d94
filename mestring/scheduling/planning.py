"""Laying a course template out as a group's plan, and re-generating it without losing attendance.

``plan_slots`` is pure: the template's sessions, its weekly pattern, a start date and the closed
days give the planned slots. ``generate_plan`` applies it to a group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup, escape

from mestring.accounts.models import User
from mestring.attendance.models import Attendance
from mestring.core import formatting, localized
from mestring.core.errors import DomainError
from mestring.core.fragments import link, session_place, status_tag, url_pattern
from mestring.core.time import oslo_to_utc, to_oslo, today_oslo
from mestring.core.translations import gettext as _
from mestring.core.translations import lazy_gettext as _l
from mestring.db import DbSession
from mestring.groups.enums import GroupStatus, SessionMode
from mestring.groups.models import CourseTemplate, Group, TemplateSession, Venue
from mestring.scheduling.calendar_days import closed_days_for
from mestring.scheduling.conflicts import Conflict, ProposedSession, leaders
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session, SessionSubstitute

# A plan that cannot find a free day within this long has closed days everywhere: a data error.
SEARCH_LIMIT = timedelta(days=730)


@dataclass(frozen=True)
class WeeklySlot:
    """A weekday (0 is Monday) and a wall-clock time in Europe/Oslo."""

    weekday: int
    at: time


@dataclass(frozen=True)
class WeeklyPattern:
    """Where each kind of session falls in a week; physical sessions may use two weekdays."""

    physical: tuple[WeeklySlot, ...]
    digital: WeeklySlot
    guardians: WeeklySlot

    @classmethod
    def of(cls, template: CourseTemplate) -> WeeklyPattern:
        weekdays = [template.physical_weekday]
        if template.second_physical_weekday is not None:
            weekdays.append(template.second_physical_weekday)
        return cls(
            physical=tuple(WeeklySlot(day, template.physical_time) for day in weekdays),
            digital=WeeklySlot(template.digital_weekday, template.digital_time),
            guardians=WeeklySlot(template.guardian_weekday, template.guardian_time),
        )

    def slots_for(self, mode: SessionMode, guardians_attend: bool) -> tuple[WeeklySlot, ...]:
        """Parent meetings follow the guardian pattern; the children's sessions their mode's."""
        if guardians_attend:
            return (self.guardians,)
        return self.physical if mode is SessionMode.PHYSICAL else (self.digital,)


@dataclass(frozen=True)
class PlannedSlot:
    template_session: TemplateSession
    day: date
    starts_at: datetime
    ends_at: datetime


def plan_slots(
    template_sessions: Sequence[TemplateSession],
    pattern: WeeklyPattern,
    start: date,
    closed: Container[date],
) -> list[PlannedSlot]:
    """Each session, in order, on the first day of its weekday after the one before (the first
    on or after ``start``) that is not closed; times are Oslo wall-clock times stored as UTC."""
    slots: list[PlannedSlot] = []
    earliest = start
    for template_session in sorted(template_sessions, key=lambda s: s.position):
        options = pattern.slots_for(template_session.mode, template_session.guardians_attend)
        day, slot = min(
            (
                (_next_open_day(earliest, option.weekday, start, closed), option)
                for option in options
            ),
            key=lambda candidate: candidate[0],
        )
        starts_at = oslo_to_utc(day, slot.at)
        ends_at = starts_at + timedelta(minutes=template_session.duration_minutes)
        slots.append(PlannedSlot(template_session, day, starts_at, ends_at))
        earliest = day + timedelta(days=1)
    return slots


def _next_open_day(earliest: date, weekday: int, start: date, closed: Container[date]) -> date:
    """The first ``weekday`` on or after ``earliest`` that is not closed."""
    day = earliest + timedelta(days=(weekday - earliest.weekday()) % 7)
    while day in closed:
        day += timedelta(days=7)
        if day - start > SEARCH_LIMIT:
            raise DomainError(
                str(_l("No free day was found for the plan. Check the closed periods."))
            )
    return day


def session_from_slot(group: Group, slot: PlannedSlot) -> Session:
    """A planned session of the group: physical ones in its venue, digital ones on its link."""
    template_session = slot.template_session
    physical = template_session.mode is SessionMode.PHYSICAL
    return Session(
        template_session=template_session,
        position=template_session.position,
        title=template_session.title,
        theme=template_session.theme,
        mode=template_session.mode,
        status=SessionStatus.PLANNED,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        venue=group.venue if physical else None,
        video_link="" if physical else group.video_link,
        guardians_attend=template_session.guardians_attend,
    )


def keeps_on_regeneration(session: Session, attended_ids: set[int]) -> bool:
    """Sessions that happened are history: those with attendance or marked held."""
    return session.id in attended_ids or session.status is SessionStatus.HELD


def generate_plan(
    db: DbSession, *, actor: User, group: Group, start: date, now: datetime
) -> list[Session]:
    """Lay the group's template out from ``start``; sessions that happened are kept, the rest
    are replaced by the template's remaining sessions. Returns the new sessions."""
    if group.status in (GroupStatus.FINISHED, GroupStatus.CANCELLED):
        raise DomainError(str(_l("A finished or cancelled group gets no new plan.")))
    if start < today_oslo(now):
        raise DomainError(str(_l("The plan cannot start in the past.")))
    template = group.template
    if not template.sessions:
        raise DomainError(str(_l("The course template has no sessions.")))

    attended_ids = set(
        db.scalars(
            sa.select(Attendance.session_id)
            .join(Attendance.session)
            .where(Session.group_id == group.id)
            .distinct()
        )
    )
    kept = [s for s in group.sessions if keeps_on_regeneration(s, attended_ids)]
    if kept:
        last_day = max(to_oslo(s.starts_at).date() for s in kept)
        if start <= last_day:
            raise DomainError(
                str(
                    _l(
                        "The new plan must start after %(day)s, the last session that was held.",
                        day=localized.day(last_day),
                    )
                )
            )
    covered_template_ids = {s.template_session_id for s in kept}
    covered_positions = {s.position for s in kept}
    remaining = [
        ts
        for ts in template.sessions
        if ts.id not in covered_template_ids and ts.position not in covered_positions
    ]

    closed = closed_days_for(db, group.district_id, start, start + SEARCH_LIMIT)
    slots = plan_slots(remaining, WeeklyPattern.of(template), start, closed)

    # The collection deletes orphans: removing a session deletes it.
    for session in list(group.sessions):
        if session not in kept:
            group.sessions.remove(session)
    db.flush()

    created: list[tuple[Session, PlannedSlot]] = []
    for slot in slots:
        session = session_from_slot(group, slot)
        group.sessions.append(session)
        created.append((session, slot))
    if not kept:
        group.starts_on = created[0][1].day if created else start
    db.flush()
    return [session for session, _ in created]


# --- The plan page's sessions and table -----------------------------------------------------


@dataclass(frozen=True)
class PlanVenue:
    name: str
    address: str


@dataclass(frozen=True)
class PlanSession:
    """What the plan page shows of a session, and what its conflicts are checked with."""

    id: int
    position: int
    title: str
    guardians_attend: bool
    status: SessionStatus
    starts_at: datetime
    ends_at: datetime
    mode: SessionMode
    video_link: str
    venue: PlanVenue | None
    proposal: ProposedSession


# The group's sessions in plan order, with their rooms and the substitutes in them (a row for
# each substitute, so a session with none has one row and one with two has two). Read as rows:
# the page shows a few columns of each session and writes none.
_PLAN_SESSIONS = (
    sa.select(
        Session.id,
        Session.position,
        Session.title,
        Session.guardians_attend,
        Session.status,
        Session.starts_at,
        Session.ends_at,
        Session.mode,
        Session.video_link,
        Session.venue_id,
        Venue.name,
        Venue.address,
        SessionSubstitute.replaced_id,
        SessionSubstitute.substitute_id,
    )
    .outerjoin(Venue, Venue.id == Session.venue_id)
    .outerjoin(SessionSubstitute, SessionSubstitute.session_id == Session.id)
    .where(Session.group_id == sa.bindparam("group_id"))
    .order_by(Session.starts_at, Session.position)
)


def plan_sessions(db: DbSession, group: Group) -> list[PlanSession]:
    """The group's sessions for its plan page, by start and position, each
    with the proposal ``ProposedSession.of`` makes of it (the group's facilitators loaded)."""
    rows: dict[int, Any] = {}
    substitutes: dict[int, list[tuple[int, int]]] = defaultdict(list)
    # Plain columns run on the session's connection, as ``conflicts_by_session`` runs its own:
    # the ORM's handling costs more than the statement, and a page has nothing to flush.
    for row in db.connection().execute(_PLAN_SESSIONS, {"group_id": group.id}).all():
        rows.setdefault(row.id, row)
        if row.substitute_id is not None:
            substitutes[row.id].append((row.replaced_id, row.substitute_id))
    assigned = {a.user_id for a in group.facilitators}
    return [
        PlanSession(
            id=row.id,
            position=row.position,
            title=row.title,
            guardians_attend=row.guardians_attend,
            status=row.status,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            mode=row.mode,
            video_link=row.video_link,
            venue=PlanVenue(row.name, row.address) if row.venue_id is not None else None,
            proposal=ProposedSession(
                session_id=row.id,
                district_id=group.district_id,
                title=row.title,
                starts_at=row.starts_at,
                ends_at=row.ends_at,
                venue_id=row.venue_id if row.mode is SessionMode.PHYSICAL else None,
                facilitator_ids=leaders(assigned, substitutes[row.id]),
                cancelled=row.status is SessionStatus.CANCELLED,
            ),
        )
        for row in rows.values()
    ]


def plan_rows(
    rows: Sequence[tuple[PlanSession, Sequence[Conflict]]], *, can_change: bool
) -> list[list[object]]:
    """The cells of the plan page's table for (session, its conflicts) pairs, built in Python
    as the page's template wrote them: number, time, a link to the session, mode, place,
    status, the conflicts and a link to edit a planned session when ``can_change``."""
    session_url = url_pattern("scheduling.session_detail", "session_id")
    edit_url = url_pattern("scheduling.session_edit", "session_id")
    # Messages without values, formatted as Jinja's new-style gettext does; translated once.
    guardians = Markup(' <span class="mestring-muted">(%s)</span>') % (
        Markup(_("guardians")) % {}  # noqa: S704
    )
    no_conflicts = Markup(_("None")) % {}  # noqa: S704
    edit = Markup(_("Edit")) % {}  # noqa: S704
    place, status = _place_writer(), _status_writer()
    modes = {mode: mode.label for mode in SessionMode}
    language = localized.language()
    table = []
    for session, conflicts in rows:
        title = link(session_url(session.id), session.title)
        if session.guardians_attend:
            title += guardians
        action = Markup("")
        if can_change and session.status == "planned":
            action = Markup(  # noqa: S704 (escaped)
                f'<a class="pkt-link" href="{escape(edit_url(session.id))}">{edit}'
                f'<span class="pkt-sr-only"> {escape(session.title)}</span></a>'
            )
        # As ``time_span`` writes it, in the language looked up once for the table.
        starts_at, ends_at = session.starts_at, session.ends_at
        when = formatting.moment_span(starts_at, ends_at, language)
        table.append(
            [
                session.position,
                Markup(f'<time datetime="{starts_at.isoformat()}">{escape(when)}</time>'),  # noqa: S704 (escaped)
                title,
                modes[session.mode],
                place(session),
                status(session.status),
                conflict_list(conflicts) if conflicts else no_conflicts,
                action,
            ]
        )
    return table


def _place_writer() -> Callable[[PlanSession], Markup]:
    """``session_place`` written once for each place a plan's sessions share (most are in the
    group's room or on its link), not translated again for every row."""
    written: dict[tuple[SessionMode, str, PlanVenue | None], Markup] = {}

    def place(session: PlanSession) -> Markup:
        key = (session.mode, session.video_link, session.venue)
        if key not in written:
            written[key] = session_place(session)
        return written[key]

    return place


def _status_writer() -> Callable[[SessionStatus], Markup]:
    """``status_tag`` written once for each status of a plan's sessions."""
    written: dict[SessionStatus, Markup] = {}

    def status(value: SessionStatus) -> Markup:
        if value not in written:
            written[value] = status_tag(value, value.label)
        return written[value]

    return status


def conflict_list(conflicts: Sequence[Conflict]) -> Markup:
    """A session's conflicts as the list ``_conflicts.html``'s ``conflict_list`` writes."""
    items = "".join(
        f'\n  <li data-conflict="{escape(c.kind)}"><strong>{escape(c.kind.label)}:</strong>'
        f" {escape(c.message)}</li>"
        for c in conflicts
    )
    return Markup(f'\n<ul class="mestring-conflicts">{items}\n</ul>')  # noqa: S704 (escaped)
