"""Generated data at the scale of all Oslo, for benchmarks: five years of history, bulk-inserted.

``small`` is the demo. ``oslo`` is the demo and, for each of Oslo's 15 districts (Ullern
included), about nine schools, staff, ten terms of groups with sessions and attendance, the
pupils' absence before and after, and a queue of referrals in every status. Rows are built as
dicts with ids chosen here and inserted in chunks (``session.execute(insert(Model), rows)``),
so that no ORM object is made per row. Every choice comes from one generator seeded with
``seed``: the same seed and day give the same data.
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from mestring.accounts.enums import Role, ServiceKind
from mestring.accounts.models import District, School, Service, Term, User
from mestring.accounts.passwords import hash_password
from mestring.attendance.enums import AttendanceStatus
from mestring.attendance.models import Attendance
from mestring.core.time import OSLO, oslo_to_utc
from mestring.db import Base, DbSession
from mestring.demo import (
    DEMO_PASSWORD,
    DISTRICT_NAME,
    FIRST_NAMES,
    LAST_NAMES,
    MEASURES,
    PUPIL_VOICES,
    WORRIES,
    load_demo,
)
from mestring.groups.enums import FacilitatorRole, GroupStatus, SessionMode
from mestring.groups.models import (
    CourseTemplate,
    FacilitatorAssignment,
    Group,
    GroupMembership,
    Venue,
)
from mestring.groups.services import load_course_templates
from mestring.outcomes.enums import PeriodKind
from mestring.outcomes.models import AbsenceRecord
from mestring.referrals.enums import ConsentMethod, ReferralStatus
from mestring.referrals.models import Consent, Guardian, Pupil, Referral, ReferralStatusChange
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session

DISTRICTS = (
    "Bydel Ullern", "Bydel Alna", "Bydel Bjerke", "Bydel Frogner", "Bydel Gamle Oslo",
    "Bydel Grorud", "Bydel Grünerløkka", "Bydel Nordre Aker", "Bydel Nordstrand",
    "Bydel Sagene", "Bydel St. Hanshaugen", "Bydel Stovner", "Bydel Søndre Nordstrand",
    "Bydel Vestre Aker", "Bydel Østensjø",
)  # fmt: skip
CHUNK = 5000


@dataclass(frozen=True)
class Scale:
    districts: int
    schools: int  # in all districts together
    facilitators_per_district: int
    terms: int  # half years back from the current one; ten is five years
    groups_per_term: int
    members: tuple[int, int]
    queue_per_district: int
    sessions_per_group: int = 13  # the templates' first sessions: about 20,000 in all


SCALES: dict[str, Scale | None] = {
    "small": None,  # the demo
    "oslo": Scale(
        districts=15,
        schools=140,
        facilitators_per_district=14,
        terms=10,
        groups_per_term=10,
        members=(5, 7),
        queue_per_district=70,
    ),
}


def _table_name(model: type[Base]) -> str:
    return str(sa.inspect(model).local_table.name)  # type: ignore[attr-defined]


@dataclass
class _Ids:
    """The next free id of each table, read once from the database."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, db: DbSession, model: type[Base]) -> int:
        table = _table_name(model)
        if table not in self.next:
            self.next[table] = (
                db.scalar(sa.select(sa.func.max(sa.column("id"))).select_from(sa.table(table))) or 0
            ) + 1
        value = self.next[table]
        self.next[table] = value + 1
        return value


@dataclass
class _Rows:
    """Rows per model, in the order they must be inserted (parents first)."""

    by_model: dict[type[Base], list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, model: type[Base], row: dict[str, Any]) -> None:
        self.by_model.setdefault(model, []).append(row)

    def count(self) -> dict[str, int]:
        return {_table_name(m): len(rows) for m, rows in self.by_model.items()}


INSERT_ORDER: tuple[type[Base], ...] = (
    District, School, Service, User, Term, Venue, Pupil, Guardian, Referral,
    ReferralStatusChange, Consent, Group, FacilitatorAssignment, GroupMembership, Session,
    Attendance, AbsenceRecord,
)  # fmt: skip


def _insert(db: DbSession, rows: _Rows) -> None:
    for model in INSERT_ORDER:
        batch = rows.by_model.get(model, [])
        for start in range(0, len(batch), CHUNK):
            db.execute(sa.insert(model), batch[start : start + CHUNK])
    bind = db.get_bind()
    if bind.dialect.name == "postgresql":
        # Ids were chosen here: move the sequences past them.
        for model in INSERT_ORDER:
            table = _table_name(model)
            db.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
            )


@dataclass
class _District:
    id: int
    name: str
    schools: list[int]
    school_users: dict[int, int]
    coordinator: int
    facilitators: list[int]
    venues: list[int]
    terms: list[tuple[int, date, date]]  # (id, first day, last day), oldest first


class _Generator:
    def __init__(self, db: DbSession, scale: Scale, seed: int, now: datetime) -> None:
        self.db = db
        self.scale = scale
        self.rng = random.Random(seed)  # noqa: S311  (made-up data, not secrets)
        self.now = now
        self.today = now.astimezone(OSLO).date()
        self.ids = _Ids()
        self.rows = _Rows()
        self.password_hash = hash_password(DEMO_PASSWORD)
        templates = load_course_templates(db)
        db.flush()
        self.templates: list[CourseTemplate] = list(templates.values())

    def id(self, model: type[Base]) -> int:
        return self.ids.take(self.db, model)

    def add(self, model: type[Base], **row: Any) -> int:
        row.setdefault("id", self.id(model))
        self.rows.add(model, row)
        return int(row["id"])

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return min(oslo_to_utc(day, time(hour, minute)), self.now - timedelta(minutes=5))

    # Organisation -------------------------------------------------------------------------

    def district(self, index: int, name: str, schools: int) -> _District:
        db, slug = self.db, f"d{index:02d}"
        existing = db.scalar(sa.select(District).where(District.name == name))
        district_id = existing.id if existing else self.add(District, name=name)
        school_ids = list(db.scalars(sa.select(School.id).where(School.district_id == district_id)))
        for number in range(len(school_ids), schools):
            school_ids.append(
                self.add(
                    School,
                    district_id=district_id,
                    name=f"{name.removeprefix('Bydel ')} skole {number + 1}",
                    address=f"Skoleveien {number + 1}, 0{self.rng.randint(150, 999)} Oslo",
                    has_attendance_team=True,
                )
            )
        services = dict(
            db.execute(
                sa.select(Service.kind, Service.id).where(Service.district_id == district_id)
            ).all()
        )
        for kind in ServiceKind:
            if kind not in services:
                services[kind] = self.add(
                    Service, district_id=district_id, kind=kind, name=f"{kind.value} {name}"
                )

        def user(role: Role, number: int, **extra: Any) -> int:
            return self.add(
                User,
                email=f"{role.value}{number}.{slug}@generert.mestring.no",
                name=f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}",
                password_hash=self.password_hash,
                role=role,
                district_id=district_id,
                phone="",
                session_token=f"gen-{slug}-{role.value}-{number}-{self.rng.getrandbits(64):x}",
                created_at=self.now - timedelta(days=365 * 5 + 30),
                active=True,
                **extra,
            )

        existing_users = dict(
            db.execute(
                sa.select(User.school_id, User.id).where(
                    User.district_id == district_id, User.role == Role.SCHOOL
                )
            ).all()
        )
        school_users = {
            school: existing_users.get(school) or user(Role.SCHOOL, n, school_id=school)
            for n, school in enumerate(school_ids)
        }
        coordinator = db.scalar(
            sa.select(User.id).where(User.district_id == district_id, User.role == Role.COORDINATOR)
        ) or user(Role.COORDINATOR, 0)
        if not existing:
            user(Role.ANALYST, 0)
        kinds = (ServiceKind.PPT, ServiceKind.SCHOOL_HEALTH, ServiceKind.SCHOOL)
        # The district's own facilitators (the demo's, in Ullern) take groups too.
        facilitators = list(
            db.scalars(
                sa.select(User.id).where(
                    User.district_id == district_id, User.role == Role.FACILITATOR
                )
            )
        ) + [
            user(Role.FACILITATOR, n, service_id=services[kinds[n % 3]])
            for n in range(self.scale.facilitators_per_district)
        ]
        venues = [
            self.add(
                Venue,
                district_id=district_id,
                school_id=school_ids[n],
                name=f"Generert grupperom {n + 1}",
                address="Skoleveien 1, 0250 Oslo",
            )
            for n in range(3)
        ]
        return _District(
            district_id, name, school_ids, school_users, coordinator, facilitators, venues,
            self.terms(district_id),
        )  # fmt: skip

    def terms(self, district_id: int) -> list[tuple[int, date, date]]:
        """Ten half years up to the current one (reusing a term of that name if there is one)."""
        existing = dict(
            self.db.execute(
                sa.select(Term.name, Term.id).where(Term.district_id == district_id)
            ).all()
        )
        year, spring = self.today.year, self.today.month < 7
        terms = []
        for _ in range(self.scale.terms):
            if spring:
                name, starts, ends = f"Vår {year}", date(year, 1, 4), date(year, 6, 19)
            else:
                name, starts, ends = f"Høst {year}", date(year, 8, 18), date(year, 12, 19)
            term_id = existing.get(name) or self.add(
                Term, district_id=district_id, name=name, starts_on=starts, ends_on=ends
            )
            terms.append((term_id, starts, ends))
            year, spring = (year, True) if not spring else (year - 1, False)
        return terms[::-1]

    # People and referrals -----------------------------------------------------------------

    def pupil(self, school_id: int, grade: int, on: date) -> int:
        rng = self.rng
        pupil_id = self.id(Pupil)
        birth_year = (on.year if on.month >= 8 else on.year - 1) - grade - 5
        self.add(
            Pupil,
            id=pupil_id,
            school_id=school_id,
            pupil_ref=f"G-{pupil_id:06d}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            birth_date=date(birth_year, rng.randint(1, 12), rng.randint(1, 28)),
            grade=grade,
            created_at=self.at(on, 9),
        )
        for relation in ("mor", "far")[: rng.randint(1, 2)]:
            self.add(
                Guardian,
                pupil_id=pupil_id,
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                relation=relation,
                phone=f"9{rng.randint(1000000, 9999999)}",
                email="",
                language="norsk",
                interpreter_needed=rng.random() < 0.1,
            )
        return pupil_id

    def referral(
        self, district: _District, school_id: int, status: ReferralStatus, created: date
    ) -> tuple[int, int]:
        """A referral and its history up to ``status``; gives (referral id, pupil id)."""
        rng = self.rng
        pupil_id = self.pupil(school_id, rng.randint(3, 7), created)
        school_user = district.school_users[school_id]
        school_days = rng.randint(40, 90)
        days = round(school_days * rng.uniform(0.08, 0.25))
        referral_id = self.id(Referral)
        path = {
            ReferralStatus.DRAFT: [],
            ReferralStatus.SUBMITTED: [ReferralStatus.SUBMITTED],
            ReferralStatus.NEEDS_INFO: [ReferralStatus.SUBMITTED, ReferralStatus.NEEDS_INFO],
            ReferralStatus.ACCEPTED: [ReferralStatus.SUBMITTED, ReferralStatus.ACCEPTED],
            ReferralStatus.DECLINED: [ReferralStatus.SUBMITTED, ReferralStatus.DECLINED],
            ReferralStatus.WITHDRAWN: [ReferralStatus.SUBMITTED, ReferralStatus.WITHDRAWN],
            ReferralStatus.PLACED: [
                ReferralStatus.SUBMITTED, ReferralStatus.ACCEPTED, ReferralStatus.PLACED,
            ],
            ReferralStatus.COMPLETED: [
                ReferralStatus.SUBMITTED, ReferralStatus.ACCEPTED, ReferralStatus.PLACED,
                ReferralStatus.COMPLETED,
            ],
            ReferralStatus.DISCONTINUED: [
                ReferralStatus.SUBMITTED, ReferralStatus.ACCEPTED, ReferralStatus.PLACED,
                ReferralStatus.DISCONTINUED,
            ],
        }[status]  # fmt: skip
        moments = [self.at(created + timedelta(days=7 * n), 10) for n in range(len(path) + 1)]
        self.add(
            Referral,
            id=referral_id,
            pupil_id=pupil_id,
            school_id=school_id,
            district_id=district.id,
            status=status,
            created_by_id=school_user,
            created_at=moments[0],
            updated_at=moments[-1],
            submitted_at=moments[1] if path else None,
            planned_start=None,
            worry_absence_10_percent=True,
            worry_hours=rng.random() < 0.5,
            worry_present_not_in_class=rng.random() < 0.3,
            worry_lateness=rng.random() < 0.3,
            worry_text=rng.choice(WORRIES),
            worry_shared=rng.random() < 0.5,
            team_meeting_date=created - timedelta(days=3),
            team_ppt_present=True,
            team_health_present=rng.random() < 0.7,
            team_school_present=True,
            team_district_present=False,
            measures_tried=rng.choice(MEASURES),
            pupil_voice=rng.choice(PUPIL_VOICES),
            digital_access=rng.random() < 0.9,
            travel_needs="",
            other_needs="",
            version_id=1,
            school_days=school_days,
            teaching_hours=school_days * 6,
            days_documented=days // 2,
            days_undocumented=days - days // 2,
            hours_documented=rng.randint(0, 10),
            hours_undocumented=rng.randint(0, 10),
            late_arrivals=rng.randint(0, 12),
        )
        before: ReferralStatus | None = ReferralStatus.DRAFT
        for to_status, moment in zip(path, moments[1:], strict=True):
            school_side = to_status in {ReferralStatus.SUBMITTED, ReferralStatus.WITHDRAWN}
            self.add(
                ReferralStatusChange,
                referral_id=referral_id,
                actor_id=school_user if school_side else district.coordinator,
                from_status=before,
                to_status=to_status,
                comment="",
                created_at=moment,
            )
            before = to_status
        if path:
            self.add(
                Consent,
                referral_id=referral_id,
                guardian_id=None,
                given_on=created,
                method=rng.choice(list(ConsentMethod)),
                note="",
                covers_participation=True,
                covers_sharing=True,
                covers_absence_data=rng.random() < 0.95,
                recorded_by_id=school_user,
                recorded_at=moments[0],
                withdrawn_at=None,
            )
        return referral_id, pupil_id

    # Groups, sessions, attendance, absence ------------------------------------------------

    def group(self, district: _District, term: tuple[int, date, date], number: int) -> None:
        rng = self.rng
        term_id, term_starts, _ = term
        starts_on = term_starts + timedelta(days=7 * rng.randint(1, 5))
        starts_on -= timedelta(days=starts_on.weekday())
        template = rng.choice(self.templates)
        sessions = template.sessions[: self.scale.sessions_per_group]
        last_day = starts_on + timedelta(days=7 * len(sessions))
        if last_day < self.today:
            status = GroupStatus.FINISHED
        elif starts_on <= self.today:
            status = GroupStatus.RUNNING
        else:
            status = GroupStatus.PLANNING
        ages = rng.choice(((8, 10), (11, 13)))
        venue = rng.choice(district.venues)
        group_id = self.add(
            Group,
            district_id=district.id,
            term_id=term_id,
            template_id=template.id,
            name=f"Gruppe {number + 1} {ages[0]}–{ages[1]} år",
            status=status,
            capacity=8,
            min_size=4,
            age_min=ages[0],
            age_max=ages[1],
            venue_id=venue,
            video_link="https://meet.example.no/mestring",
            starts_on=starts_on,
            created_at=self.at(term_starts - timedelta(days=30), 9),
            version_id=1,
        )
        lead, co_lead = rng.sample(district.facilitators, 2)
        for user_id, role in ((lead, FacilitatorRole.LEAD), (co_lead, FacilitatorRole.CO_LEAD)):
            self.add(FacilitatorAssignment, group_id=group_id, user_id=user_id, role=role)
        members = []
        for _ in range(rng.randint(*self.scale.members)):
            school = rng.choice(district.schools)
            if status == GroupStatus.FINISHED:
                outcome = (
                    ReferralStatus.COMPLETED if rng.random() < 0.88 else ReferralStatus.DISCONTINUED
                )
            else:
                outcome = ReferralStatus.PLACED
            referral_id, pupil_id = self.referral(
                district, school, outcome, min(starts_on - timedelta(days=60), self.today)
            )
            self.add(
                GroupMembership,
                group_id=group_id,
                referral_id=referral_id,
                pupil_id=pupil_id,
                placed_at=self.at(starts_on - timedelta(days=21), 11),
                placed_by_id=district.coordinator,
            )
            members.append((pupil_id, school, rng.uniform(0.7, 0.98)))
        for position, template_session in enumerate(sessions, start=1):
            if template_session.guardians_attend:
                weekday = template.guardian_weekday
            elif template_session.mode == SessionMode.PHYSICAL:
                weekday = template.physical_weekday
            else:
                weekday = template.digital_weekday
            day = starts_on + timedelta(days=7 * (position - 1) + weekday)
            starts_at = oslo_to_utc(day, time(18 if template_session.guardians_attend else 13))
            ends_at = starts_at + timedelta(minutes=template_session.duration_minutes)
            held = ends_at < self.now
            session_status = SessionStatus.HELD if held else SessionStatus.PLANNED
            if rng.random() < 0.03:
                session_status = SessionStatus.CANCELLED
            session_id = self.add(
                Session,
                group_id=group_id,
                template_session_id=template_session.id,
                position=position,
                title=template_session.title,
                theme=template_session.theme,
                mode=template_session.mode,
                status=session_status,
                starts_at=starts_at,
                ends_at=ends_at,
                venue_id=venue,
                video_link="",
                guardians_attend=template_session.guardians_attend,
                note="",
                version_id=1,
            )
            if session_status != SessionStatus.HELD:
                continue
            for pupil_id, _school, reliability in members:
                present = rng.random() < reliability
                self.add(
                    Attendance,
                    session_id=session_id,
                    pupil_id=pupil_id,
                    status=AttendanceStatus.PRESENT
                    if present
                    else rng.choice((AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED)),
                    guardian_present=(present if template_session.guardians_attend else None),
                    recorded_by_id=lead,
                    recorded_at=min(ends_at + timedelta(hours=2), self.now),
                )
        for pupil_id, school, _ in members:
            entered_by = district.school_users[school]
            share = rng.uniform(0.08, 0.25)
            before = starts_on - timedelta(days=91)
            self.absence(pupil_id, PeriodKind.BASELINE, before, share, entered_by)
            if status == GroupStatus.FINISHED:
                after = share * rng.uniform(0.35, 1.1)
                post, follow_up = last_day + timedelta(days=1), last_day + timedelta(days=181)
                self.absence(pupil_id, PeriodKind.POST, post, after, entered_by)
                later = after * rng.uniform(0.8, 1.2)
                self.absence(pupil_id, PeriodKind.FOLLOW_UP, follow_up, later, entered_by)

    def absence(
        self, pupil_id: int, period: PeriodKind, starts_on: date, share: float, entered_by: int
    ) -> None:
        ends_on = starts_on + timedelta(days=90)
        if ends_on >= self.today:
            return
        rng = self.rng
        school_days = 60
        days = min(school_days, round(school_days * share))
        hours = rng.randint(0, 20)
        self.add(
            AbsenceRecord,
            pupil_id=pupil_id,
            period=period,
            starts_on=starts_on,
            ends_on=ends_on,
            school_days=school_days,
            teaching_hours=school_days * 6,
            days_documented=days // 2,
            days_undocumented=days - days // 2,
            hours_documented=hours // 2,
            hours_undocumented=hours - hours // 2,
            late_arrivals=rng.randint(0, 10),
            entered_by_id=entered_by,
            entered_at=self.at(ends_on + timedelta(days=5), 10),
            version_id=1,
        )

    def queue(self, district: _District) -> None:
        """Referrals outside groups, in every status before placement, over the last year."""
        statuses = (
            ReferralStatus.DRAFT, ReferralStatus.SUBMITTED, ReferralStatus.NEEDS_INFO,
            ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN,
        )  # fmt: skip
        for number in range(self.scale.queue_per_district):
            created = self.today - timedelta(days=self.rng.randint(7, 365))
            status = statuses[number % len(statuses)]
            self.referral(district, self.rng.choice(district.schools), status, created)

    def run(self) -> dict[str, int]:
        scale = self.scale
        for index, name in enumerate(DISTRICTS[: scale.districts]):
            schools = scale.schools // scale.districts + (
                1 if index < scale.schools % scale.districts else 0
            )
            district = self.district(index, name, schools)
            for term in district.terms:
                for number in range(scale.groups_per_term):
                    self.group(district, term, number)
            self.queue(district)
            # The district's rows go in before the next one reads its next free ids.
        _insert(self.db, self.rows)
        return self.rows.count()


def generate(
    db: DbSession,
    *,
    scale: str,
    seed: int,
    now: datetime,
    report: Callable[[str], None] = lambda _: None,
) -> dict[str, int]:
    """Fill the database at ``scale`` (the demo first, in any case); flushes, the caller commits.

    Gives the number of rows inserted per table.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    started = clock.perf_counter()
    load_demo(db, now=now)
    db.flush()
    report(f"demo: {clock.perf_counter() - started:.1f} s")
    chosen = SCALES[scale]
    if chosen is None:
        return {}
    started = clock.perf_counter()
    generator = _Generator(db, chosen, seed, now)
    counts = generator.run()
    report(f"generated and inserted: {clock.perf_counter() - started:.1f} s")
    return counts


def extend_district(
    db: DbSession, *, district_name: str, seed: int, now: datetime, terms: int, groups: int
) -> dict[str, int]:
    """More history in one district (``groups`` groups per term): doubles a small data set."""
    scale = Scale(
        districts=1,
        schools=0,
        facilitators_per_district=4,
        terms=terms,
        groups_per_term=groups,
        members=(5, 7),
        queue_per_district=48,
    )
    generator = _Generator(db, scale, seed, now)
    district = generator.district(DISTRICTS.index(district_name), district_name, 0)
    for term in district.terms:
        for number in range(groups):
            generator.group(district, term, 100 + number)
    generator.queue(district)
    _insert(db, generator.rows)
    return generator.rows.count()


__all__ = ["DISTRICT_NAME", "SCALES", "extend_district", "generate"]
