"""The rules of groups: course templates, creating and editing groups, their status, placing
pupils and taking them out again, and keep-apart pairs.

Services take the session, the acting user and the time explicitly, flush, and raise domain
errors; the caller commits once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from importlib import resources
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from mestring.accounts.models import Term, User
from mestring.core.errors import DomainError, InvalidTransition, StaleEdit
from mestring.core.translations import lazy_gettext as _l
from mestring.db import DbSession
from mestring.groups.enums import GroupStatus, SessionMode
from mestring.groups.models import (
    CourseTemplate,
    Group,
    GroupMembership,
    KeepApartPair,
    TemplateSession,
    Venue,
)
from mestring.groups.permissions import (
    can_edit_template,
    can_manage_group,
    can_view_template,
    is_district_coordinator,
)
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Pupil, Referral
from mestring.referrals.workflow import change_status

COURSE_TEMPLATES_FILE = "course_templates.json"


class InvalidGroup(DomainError):
    """A rule about a group or template was broken; ``field`` names the form field, if one."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.field = field


def _not_allowed() -> InvalidGroup:
    return InvalidGroup(_l("You may not change this."))


# --- Course templates ---------------------------------------------------------------------------


def _parse_time(value: str) -> time:
    hour, minute = value.split(":")
    return time(int(hour), int(minute))


def read_shipped_templates() -> list[dict[str, Any]]:
    text = resources.files("mestring").joinpath("data", COURSE_TEMPLATES_FILE).read_text("utf-8")
    templates: list[dict[str, Any]] = json.loads(text)["templates"]
    return templates


def build_shipped_template(data: dict[str, Any]) -> CourseTemplate:
    """An unsaved shipped template (no district) from one entry of the data file."""
    return CourseTemplate(
        district_id=None,
        name=data["name"],
        description=data["description"],
        physical_weekday=data["physical_weekday"],
        second_physical_weekday=data.get("second_physical_weekday"),
        physical_time=_parse_time(data["physical_time"]),
        digital_weekday=data["digital_weekday"],
        digital_time=_parse_time(data["digital_time"]),
        guardian_weekday=data["guardian_weekday"],
        guardian_time=_parse_time(data["guardian_time"]),
        sessions=[
            TemplateSession(
                position=position,
                title=session["title"],
                theme=session["theme"],
                mode=SessionMode(session["mode"]),
                duration_minutes=session["duration_minutes"],
                guardians_attend=session.get("guardians_attend", False),
            )
            for position, session in enumerate(data["sessions"], start=1)
        ],
    )


def load_course_templates(db: DbSession) -> dict[str, CourseTemplate]:
    """The shipped templates by name, created from the data file when missing (idempotent).

    A shipped template that exists already is left as it is.
    """
    existing = {
        template.name: template
        for template in db.scalars(
            sa.select(CourseTemplate).where(CourseTemplate.district_id.is_(None))
        )
    }
    loaded: dict[str, CourseTemplate] = {}
    for data in read_shipped_templates():
        template = existing.get(data["name"])
        if template is None:
            template = build_shipped_template(data)
            db.add(template)
        loaded[template.name] = template
    db.flush()
    return loaded


def _template_name_taken(
    db: DbSession, district_id: int, name: str, *, except_id: int | None = None
) -> bool:
    stmt = sa.select(CourseTemplate.id).where(
        CourseTemplate.district_id == district_id, CourseTemplate.name == name
    )
    if except_id is not None:
        stmt = stmt.where(CourseTemplate.id != except_id)
    return db.scalar(stmt.limit(1)) is not None


def copy_course_template(db: DbSession, *, actor: User, template: CourseTemplate) -> CourseTemplate:
    """A copy owned by the actor's district, which the coordinator may edit."""
    if not can_view_template(actor, template) or actor.district_id is None:
        raise _not_allowed()
    base = str(_l("Copy of %(name)s", name=template.name))[:110]
    name, number = base, 1
    while _template_name_taken(db, actor.district_id, name):
        number += 1
        name = f"{base} ({number})"
    copy = CourseTemplate(
        district_id=actor.district_id,
        name=name,
        description=template.description,
        physical_weekday=template.physical_weekday,
        second_physical_weekday=template.second_physical_weekday,
        physical_time=template.physical_time,
        digital_weekday=template.digital_weekday,
        digital_time=template.digital_time,
        guardian_weekday=template.guardian_weekday,
        guardian_time=template.guardian_time,
        copied_from_id=template.id,
        sessions=[
            TemplateSession(
                position=session.position,
                title=session.title,
                theme=session.theme,
                mode=session.mode,
                duration_minutes=session.duration_minutes,
                guardians_attend=session.guardians_attend,
            )
            for session in template.sessions
        ],
    )
    db.add(copy)
    db.flush()
    return copy


@dataclass(frozen=True)
class TemplatePattern:
    name: str
    description: str
    physical_weekday: int
    second_physical_weekday: int | None
    physical_time: time
    digital_weekday: int
    digital_time: time
    guardian_weekday: int
    guardian_time: time


def update_course_template(
    db: DbSession, *, actor: User, template: CourseTemplate, pattern: TemplatePattern
) -> CourseTemplate:
    if not can_edit_template(actor, template) or template.district_id is None:
        raise _not_allowed()
    if _template_name_taken(db, template.district_id, pattern.name, except_id=template.id):
        raise InvalidGroup(_l("Another course template has this name."), "name")
    for key, value in vars(pattern).items():
        setattr(template, key, value)
    db.flush()
    return template


@dataclass(frozen=True)
class TemplateSessionDetails:
    title: str
    theme: str
    mode: SessionMode
    duration_minutes: int
    guardians_attend: bool


def add_template_session(
    db: DbSession, *, actor: User, template: CourseTemplate, details: TemplateSessionDetails
) -> TemplateSession:
    """A new session at the end of the template."""
    if not can_edit_template(actor, template):
        raise _not_allowed()
    position = max((s.position for s in template.sessions), default=0) + 1
    session = TemplateSession(position=position, **vars(details))
    template.sessions.append(session)
    db.flush()
    return session


def update_template_session(
    db: DbSession, *, actor: User, session: TemplateSession, details: TemplateSessionDetails
) -> TemplateSession:
    if not can_edit_template(actor, session.template):
        raise _not_allowed()
    for key, value in vars(details).items():
        setattr(session, key, value)
    db.flush()
    return session


def move_template_session(
    db: DbSession, *, actor: User, session: TemplateSession, up: bool
) -> None:
    """Swap the session with its neighbour; nothing happens at either end."""
    template = session.template
    if not can_edit_template(actor, template):
        raise _not_allowed()
    ordered = sorted(template.sessions, key=lambda s: s.position)
    index = ordered.index(session)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(ordered):
        return
    other = ordered[other_index]
    first, second = session.position, other.position
    # Positions are unique per template: park one past the end while swapping.
    session.position = max(s.position for s in ordered) + 1
    db.flush()
    other.position = first
    db.flush()
    session.position = second
    db.flush()


def delete_template_session(db: DbSession, *, actor: User, session: TemplateSession) -> None:
    """Remove the session and close the gap in the positions after it."""
    template = session.template
    if not can_edit_template(actor, template):
        raise _not_allowed()
    if len(template.sessions) <= 1:
        raise InvalidGroup(_l("A course template needs at least one session."))
    removed_at = session.position
    template.sessions.remove(session)
    db.flush()
    for other in sorted(template.sessions, key=lambda s: s.position):
        if other.position > removed_at:
            other.position -= 1
            db.flush()


# --- Groups -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupDetails:
    """What the coordinator fills in for a group; ids come from the form's choices."""

    name: str
    term_id: int
    template_id: int
    capacity: int = 8
    min_size: int = 4
    age_min: int = 8
    age_max: int = 10
    venue_id: int | None = None
    # A new venue to create and use instead of ``venue_id``, when a name is given.
    new_venue_name: str = ""
    new_venue_address: str = ""
    video_link: str = ""
    starts_on: date | None = None


def _check_details(
    db: DbSession, actor: User, details: GroupDetails
) -> tuple[Term, CourseTemplate]:
    term = db.get(Term, details.term_id)
    if term is None or not is_district_coordinator(actor, term.district_id):
        raise InvalidGroup(_l("Choose a term of your district."), "term_id")
    template = db.get(CourseTemplate, details.template_id)
    if template is None or not can_view_template(actor, template):
        raise InvalidGroup(_l("Choose a course template."), "template_id")
    if not template.sessions:
        raise InvalidGroup(_l("The course template has no sessions."), "template_id")
    if not 1 <= details.min_size <= details.capacity:
        raise InvalidGroup(_l("The minimum cannot be larger than the capacity."), "min_size")
    if details.age_max < details.age_min:
        raise InvalidGroup(_l("The highest age cannot be below the lowest."), "age_max")
    if details.starts_on is not None and not term.starts_on <= details.starts_on <= term.ends_on:
        raise InvalidGroup(
            _l("The start date must lie within the term (%(term)s).", term=term.name),
            "starts_on",
        )
    return term, template


def _venue(db: DbSession, actor: User, details: GroupDetails, district_id: int) -> Venue | None:
    if details.new_venue_name:
        if not details.new_venue_address:
            raise InvalidGroup(_l("Give the address of the new venue."), "new_venue_address")
        taken = db.scalar(
            sa.select(Venue.id).where(
                Venue.district_id == district_id, Venue.name == details.new_venue_name
            )
        )
        if taken is not None:
            raise InvalidGroup(
                _l("A venue with this name exists already; choose it from the list."),
                "new_venue_name",
            )
        created = Venue(
            district_id=district_id, name=details.new_venue_name, address=details.new_venue_address
        )
        db.add(created)
        return created
    if details.venue_id is None:
        return None
    venue = db.get(Venue, details.venue_id)
    if venue is None or venue.district_id != district_id:
        raise InvalidGroup(_l("Choose a venue of your district."), "venue_id")
    return venue


def _group_name_taken(
    db: DbSession, district_id: int, term_id: int, name: str, except_id: int | None = None
) -> bool:
    stmt = sa.select(Group.id).where(
        Group.district_id == district_id, Group.term_id == term_id, Group.name == name
    )
    if except_id is not None:
        stmt = stmt.where(Group.id != except_id)
    return db.scalar(stmt.limit(1)) is not None


def create_group(db: DbSession, *, actor: User, details: GroupDetails, now: datetime) -> Group:
    term, template = _check_details(db, actor, details)
    if _group_name_taken(db, term.district_id, term.id, details.name):
        raise InvalidGroup(_l("The term has a group with this name already."), "name")
    group = Group(
        district_id=term.district_id,
        term=term,
        template=template,
        name=details.name,
        status=GroupStatus.PLANNING,
        capacity=details.capacity,
        min_size=details.min_size,
        age_min=details.age_min,
        age_max=details.age_max,
        venue=_venue(db, actor, details, term.district_id),
        video_link=details.video_link,
        starts_on=details.starts_on,
        created_at=now,
    )
    db.add(group)
    db.flush()
    return group


EDITABLE_STATUSES = frozenset({GroupStatus.PLANNING, GroupStatus.RUNNING})


def update_group(
    db: DbSession, *, actor: User, group: Group, details: GroupDetails, version: int
) -> Group:
    """Save the details; ``version`` is the one the form was opened with (StaleEdit if old)."""
    if not can_manage_group(actor, group):
        raise _not_allowed()
    if version != group.version_id:
        raise StaleEdit(
            str(_l("Someone else saved this group after you opened it. Reload and try again."))
        )
    if group.status not in EDITABLE_STATUSES:
        raise InvalidGroup(_l("A finished or cancelled group cannot be changed."))
    term, template = _check_details(db, actor, details)
    if _group_name_taken(db, term.district_id, term.id, details.name, except_id=group.id):
        raise InvalidGroup(_l("The term has a group with this name already."), "name")
    group.name = details.name
    group.term = term
    group.template = template
    group.capacity = details.capacity
    group.min_size = details.min_size
    group.age_min = details.age_min
    group.age_max = details.age_max
    group.venue = _venue(db, actor, details, term.district_id)
    group.video_link = details.video_link
    group.starts_on = details.starts_on
    _flush_versioned(db)
    return group


def _flush_versioned(db: DbSession) -> None:
    try:
        db.flush()
    except StaleDataError as error:
        raise StaleEdit(
            str(_l("Someone else saved this group after you opened it. Reload and try again."))
        ) from error


@dataclass(frozen=True)
class GroupTransition:
    source: GroupStatus
    target: GroupStatus
    # Pupils go back to the waitlist (with a line in their referral's history).
    returns_pupils: bool = False
    # At least ``min_size`` pupils are needed.
    needs_minimum: bool = False


GROUP_TRANSITIONS: tuple[GroupTransition, ...] = (
    GroupTransition(GroupStatus.PLANNING, GroupStatus.RUNNING, needs_minimum=True),
    GroupTransition(GroupStatus.PLANNING, GroupStatus.CANCELLED, returns_pupils=True),
    GroupTransition(GroupStatus.RUNNING, GroupStatus.FINISHED),
    GroupTransition(GroupStatus.RUNNING, GroupStatus.CANCELLED, returns_pupils=True),
)
_GROUP_STEPS = {(t.source, t.target): t for t in GROUP_TRANSITIONS}


def group_targets(group: Group) -> list[GroupStatus]:
    """The statuses the group can move to now (for showing buttons)."""
    return [t.target for t in GROUP_TRANSITIONS if t.source == group.status]


def change_group_status(
    db: DbSession, *, actor: User, group: Group, target: GroupStatus, version: int, now: datetime
) -> Group:
    if not can_manage_group(actor, group):
        raise _not_allowed()
    if version != group.version_id:
        raise StaleEdit(
            str(_l("Someone else saved this group after you opened it. Reload and try again."))
        )
    step = _GROUP_STEPS.get((group.status, target))
    if step is None:
        raise InvalidTransition(
            str(
                _l(
                    "A group that is %(source)s cannot become %(target)s.",
                    source=group.status.label.lower(),
                    target=target.label.lower(),
                )
            )
        )
    if step.needs_minimum and len(group.active_memberships) < group.min_size:
        raise InvalidTransition(
            str(
                _l(
                    "The group needs at least %(min)s pupils to start; it has %(count)s.",
                    min=group.min_size,
                    count=len(group.active_memberships),
                )
            )
        )
    if step.returns_pupils:
        comment = str(_l("The group %(name)s was cancelled.", name=group.name))
        for membership in group.active_memberships:
            remove_member(db, actor=actor, membership=membership, comment=comment, now=now)
    group.status = target
    _flush_versioned(db)
    return group


def _change_referral(
    db: DbSession,
    *,
    actor: User,
    referral: Referral,
    target: ReferralStatus,
    now: datetime,
    comment: str,
) -> None:
    """The referral workflow's step; a concurrent change to the referral is a stale edit."""
    try:
        change_status(db, actor=actor, referral=referral, target=target, now=now, comment=comment)
    except StaleDataError as error:
        raise StaleEdit(
            str(_l("Someone else changed the referral at the same time. Reload and try again."))
        ) from error


def place_referral(
    db: DbSession, *, actor: User, group: Group, referral: Referral, now: datetime
) -> GroupMembership:
    """Place a waitlisted referral in the group; the referral becomes placed."""
    if not can_manage_group(actor, group):
        raise _not_allowed()
    if group.status not in EDITABLE_STATUSES:
        raise InvalidGroup(_l("Pupils can only be placed in a group that is planned or running."))
    if referral.school.district_id != group.district_id:
        raise InvalidGroup(_l("The pupil's school is not in the group's district."), "referral")
    if referral.status is not ReferralStatus.ACCEPTED:
        raise InvalidGroup(_l("The referral is not on the waitlist."), "referral")
    if any(m.pupil_id == referral.pupil_id for m in group.memberships):
        raise InvalidGroup(_l("The pupil is in this group already."), "referral")
    if len(group.active_memberships) >= group.capacity:
        raise InvalidGroup(
            _l("The group is full (%(capacity)s pupils).", capacity=group.capacity), "referral"
        )
    _change_referral(
        db,
        actor=actor,
        referral=referral,
        target=ReferralStatus.PLACED,
        now=now,
        comment=str(
            _l("Placed in the group %(group)s (%(term)s).", group=group.name, term=group.term.name)
        ),
    )
    membership = GroupMembership(
        referral=referral, pupil_id=referral.pupil_id, placed_at=now, placed_by_id=actor.id
    )
    group.memberships.append(membership)
    db.flush()
    return membership


def remove_member(
    db: DbSession, *, actor: User, membership: GroupMembership, comment: str, now: datetime
) -> Referral:
    """Take the pupil out of the group; the referral goes back to the waitlist with a comment."""
    group = membership.group
    if not can_manage_group(actor, group):
        raise _not_allowed()
    if group.status not in EDITABLE_STATUSES:
        raise InvalidGroup(
            _l("Pupils can only be taken out of a group that is planned or running.")
        )
    referral = membership.referral
    _change_referral(
        db, actor=actor, referral=referral, target=ReferralStatus.ACCEPTED, now=now, comment=comment
    )
    group.memberships.remove(membership)
    db.flush()
    db.expire(referral, ["membership"])
    return referral


def create_group_from_proposal(
    db: DbSession,
    *,
    actor: User,
    details: GroupDetails,
    referrals: Sequence[Referral],
    now: datetime,
) -> Group:
    """A new group with the proposal's pupils placed in it (all or none: the caller rolls back)."""
    if not referrals:
        raise InvalidGroup(_l("Choose at least one pupil."), "referrals")
    if len(referrals) > details.capacity:
        raise InvalidGroup(
            _l("More pupils chosen than the capacity (%(capacity)s).", capacity=details.capacity),
            "referrals",
        )
    group = create_group(db, actor=actor, details=details, now=now)
    for referral in referrals:
        place_referral(db, actor=actor, group=group, referral=referral, now=now)
    return group


# --- Keep-apart pairs ---------------------------------------------------------------------------


def record_keep_apart(
    db: DbSession, *, actor: User, first: Pupil, second: Pupil, note: str, now: datetime
) -> KeepApartPair:
    district_id = actor.district_id
    in_scope = all(is_district_coordinator(actor, p.school.district_id) for p in (first, second))
    if district_id is None or not in_scope:
        raise _not_allowed()
    if first.id == second.id:
        raise InvalidGroup(_l("Choose two different pupils."), "second")
    low, high = sorted((first.id, second.id))
    exists = db.scalar(
        sa.select(KeepApartPair.id).where(
            KeepApartPair.pupil_a_id == low, KeepApartPair.pupil_b_id == high
        )
    )
    if exists is not None:
        raise InvalidGroup(_l("These two pupils are recorded as a pair already."), "second")
    pair = KeepApartPair(
        district_id=district_id,
        pupil_a_id=low,
        pupil_b_id=high,
        note=note,
        created_by_id=actor.id,
        created_at=now,
    )
    db.add(pair)
    db.flush()
    return pair


def delete_keep_apart(db: DbSession, *, actor: User, pair: KeepApartPair) -> None:
    if not is_district_coordinator(actor, pair.district_id):
        raise _not_allowed()
    db.delete(pair)
    db.flush()
