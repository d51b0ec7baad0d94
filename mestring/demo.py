"""Demo data: Bydel Ullern's programme, so that a new user sees it alive at once.

Every date is derived from ``now`` and every choice from one seeded generator, so the demo is the
same programme on every run and always alive relative to today: the previous term's groups have
finished (attendance, absence before and after), a group is running now (past sessions with
attendance, future ones planned), a group for the next term is being planned, and the referral
queue holds a pupil in every status.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import holidays
from sqlalchemy import select

from mestring.accounts.enums import Role, ServiceKind
from mestring.accounts.models import District, School, Service, User
from mestring.accounts.passwords import hash_password
from mestring.attendance.enums import AttendanceStatus
from mestring.attendance.models import Attendance
from mestring.core.time import OSLO, oslo_to_utc
from mestring.db import DbSession
from mestring.groups.enums import FacilitatorRole, GroupStatus, SessionMode
from mestring.groups.models import (
    CourseTemplate,
    FacilitatorAssignment,
    Group,
    GroupMembership,
    KeepApartPair,
    Term,
    Venue,
)
from mestring.groups.services import load_course_templates
from mestring.outcomes.enums import PeriodKind
from mestring.outcomes.models import AbsenceRecord
from mestring.referrals.enums import ConsentMethod, ReferralStatus
from mestring.referrals.models import Consent, Guardian, Pupil, Referral, ReferralStatusChange
from mestring.scheduling.calendar_days import ClosedDays, ClosedSpan
from mestring.scheduling.enums import ClosedPeriodKind, SessionStatus, UnavailabilityReason
from mestring.scheduling.models import (
    Session,
    SessionChange,
    SessionSubstitute,
    Unavailability,
)
from mestring.scheduling.planning import WeeklyPattern, plan_slots, session_from_slot
from mestring.scheduling.services import load_school_holidays, read_school_holidays

DEMO_PASSWORD = "mestring-demo"  # noqa: S105  (published, for demo accounts only)
DISTRICT_NAME = "Bydel Ullern"
SEED = 2026

# The accounts the demo announces, in the order the CLI prints them.
DEMO_ACCOUNTS: list[tuple[str, str]] = [
    ("admin@demo.no", Role.ADMIN.value),
    ("koordinator@demo.no", Role.COORDINATOR.value),
    ("analytiker@demo.no", Role.ANALYST.value),
    ("ppt@demo.no", Role.FACILITATOR.value),
    ("helse@demo.no", Role.FACILITATOR.value),
    ("larer@demo.no", Role.FACILITATOR.value),
    ("skole.bestum@demo.no", Role.SCHOOL.value),
    ("skole.smestad@demo.no", Role.SCHOOL.value),
]


@dataclass
class DemoResult:
    created: bool
    accounts: list[tuple[str, str]] = field(default_factory=list)


# --- Fixed parts of the demo -------------------------------------------------------------------

SCHOOLS = {
    # key: (name, address, pupil reference prefix, highest grade)
    "lysejordet": ("Lysejordet skole", "Lysejordet 24, 0281 Oslo", "LYS", 7),
    "bestum": ("Bestum skole", "Bestumveien 29, 0281 Oslo", "BES", 7),
    "skoyen": ("Skøyen skole", "Nedre Skøyen vei 20, 0276 Oslo", "SKO", 7),
    "montessori": ("Montessori Lyse", "Lyseskrenten 7, 0281 Oslo", "MLY", 10),
    "smestad": ("Smestad skole", "Smestadveien 37, 0376 Oslo", "SME", 7),
}

SERVICES = {
    ServiceKind.PPT: "PPT Ullern",
    ServiceKind.SCHOOL_HEALTH: "Skolehelsetjenesten Ullern",
    ServiceKind.SCHOOL: "Skole",
    ServiceKind.DISTRICT: "Bydel Ullern",
}

# key: (email, name, role, service, school key)
ACCOUNTS: dict[str, tuple[str, str, str, str | None, str | None]] = {
    "admin": ("admin@demo.no", "Hanne Bakke", "admin", None, None),
    "coordinator": ("koordinator@demo.no", "Kari Nordahl", "coordinator", "district", None),
    "analyst": ("analytiker@demo.no", "Erik Haugland", "analyst", None, None),
    "ppt": ("ppt@demo.no", "Ingrid Solberg", "facilitator", "ppt", None),
    "health": ("helse@demo.no", "Marte Lie", "facilitator", "school_health", None),
    "teacher": ("larer@demo.no", "Jonas Berg", "facilitator", "school", "smestad"),
    "school_bestum": ("skole.bestum@demo.no", "Lene Aas", "school", None, "bestum"),
    "school_smestad": ("skole.smestad@demo.no", "Thomas Eriksen", "school", None, "smestad"),
    "ppt2": ("anders.moen@demo.no", "Anders Moen", "facilitator", "ppt", None),
    "health2": ("fatima.hussain@demo.no", "Fatima Hussain", "facilitator", "school_health", None),
    "school_lysejordet": ("skole.lysejordet@demo.no", "Nina Strand", "school", None, "lysejordet"),
    "school_skoyen": ("skole.skoyen@demo.no", "Ali Rahimi", "school", None, "skoyen"),
    "school_montessori": ("skole.montessori@demo.no", "Camilla Vik", "school", None, "montessori"),
}  # fmt: skip

VENUES = {
    # key: (name, address, school key)
    "smestad": ("Smestad skole, grupperom 2", "Smestadveien 37, 0376 Oslo", "smestad"),
    "bestum": ("Bestum skole, Mestringsrommet", "Bestumveien 29, 0281 Oslo", "bestum"),
    "district": ("Ullern bydelshus, møterom 2", "Hoffsveien 70 B, 0377 Oslo", None),
}

TEMPLATE_STANDARD = "Mestrende barn – standard"
TEMPLATE_HYBRID = "Mestrende barn – hybrid"
TEMPLATE_CAT = "Mestringskatten – gruppe"


@dataclass(frozen=True)
class GroupPlan:
    key: str
    name: str
    template: str
    venue: str
    ages: tuple[int, int]
    # (user key, role), lead first.
    facilitators: tuple[tuple[str, FacilitatorRole], ...]
    # The school of each pupil, in the order they were placed.
    schools: tuple[str, ...]


GROUPS = (
    GroupPlan(
        "finished_hybrid",
        "Bestum 8–10 år",
        TEMPLATE_HYBRID,
        "bestum",
        (8, 10),
        (("ppt", FacilitatorRole.LEAD), ("health", FacilitatorRole.CO_LEAD)),
        ("bestum", "bestum", "lysejordet", "lysejordet", "skoyen", "skoyen", "smestad"),
    ),
    GroupPlan(
        "finished_cat",
        "Bydelshuset 11–13 år",
        TEMPLATE_CAT,
        "district",
        (11, 13),
        (("health", FacilitatorRole.LEAD), ("ppt2", FacilitatorRole.CO_LEAD)),
        ("smestad", "smestad", "montessori", "montessori", "lysejordet", "skoyen"),
    ),
    GroupPlan(
        "running",
        "Smestad 11–13 år",
        TEMPLATE_HYBRID,
        "smestad",
        (11, 13),
        (
            ("ppt", FacilitatorRole.LEAD),
            ("health", FacilitatorRole.CO_LEAD),
            ("teacher", FacilitatorRole.CO_LEAD),
        ),
        ("smestad", "smestad", "smestad", "bestum", "bestum", "montessori", "montessori"),
    ),
    GroupPlan(
        "planning",
        "Bydelshuset 8–10 år",
        TEMPLATE_STANDARD,
        "district",
        (8, 10),
        (("health", FacilitatorRole.LEAD), ("ppt2", FacilitatorRole.CO_LEAD)),
        ("lysejordet", "lysejordet", "skoyen", "skoyen", "smestad"),
    ),
)

# Referrals outside the groups: (status, school key), in the order they came in.
QUEUE: tuple[tuple[ReferralStatus, str], ...] = (
    (ReferralStatus.WITHDRAWN, "skoyen"),
    (ReferralStatus.DECLINED, "lysejordet"),
    (ReferralStatus.DECLINED, "montessori"),
    (ReferralStatus.ACCEPTED, "bestum"),
    (ReferralStatus.ACCEPTED, "bestum"),
    (ReferralStatus.ACCEPTED, "skoyen"),
    (ReferralStatus.ACCEPTED, "montessori"),
    (ReferralStatus.ACCEPTED, "smestad"),
    (ReferralStatus.NEEDS_INFO, "skoyen"),
    (ReferralStatus.NEEDS_INFO, "montessori"),
    (ReferralStatus.SUBMITTED, "lysejordet"),
    (ReferralStatus.SUBMITTED, "smestad"),
    (ReferralStatus.SUBMITTED, "bestum"),
    (ReferralStatus.DRAFT, "bestum"),
    (ReferralStatus.DRAFT, "smestad"),
)

FIRST_NAMES = (
    "Emma", "Nora", "Olivia", "Ella", "Sofie", "Ingrid", "Maja", "Leah", "Frida", "Astrid",
    "Selma", "Hedda", "Tiril", "Vilde", "Mathilde", "Jakob", "Emil", "Noah", "Oliver", "Filip",
    "Lukas", "William", "Henrik", "Aksel", "Johannes", "Theodor", "Magnus", "Isak", "Sander",
    "Tobias", "Elias", "Kasper", "Edvard", "Ulrik", "Mats",
)  # fmt: skip
LAST_NAMES = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Berg", "Haugen", "Hagen", "Eriksen", "Bakken", "Strand", "Lund",
    "Solheim", "Moe", "Dahl", "Lien", "Myhre", "Aasen", "Holm", "Sæther", "Brekke", "Vik",
)  # fmt: skip
ADULT_FIRST_NAMES = {
    "mor": ("Kristin", "Silje", "Camilla", "Marianne", "Hilde", "Ida", "Line", "Tone", "Anne"),
    "far": ("Morten", "Espen", "Stian", "Kjetil", "Anders", "Rune", "Lars", "Geir", "Thomas"),
}
# Families whose guardians speak another language: (language, last names, children, mothers,
# fathers).
OTHER_LANGUAGES = (
    ("arabisk", ("Haddad", "Al-Sayed"), ("Yasmin", "Omar", "Adam"), ("Rania",), ("Khaled",)),
    ("somali", ("Warsame", "Abdi"), ("Hodan", "Abdirahman", "Ayaan"), ("Faadumo",), ("Yusuf",)),
    ("polsk", ("Nowak", "Kowalski"), ("Zofia", "Jakub", "Maja"), ("Agnieszka",), ("Piotr",)),
    ("urdu", ("Khan", "Iqbal"), ("Aisha", "Hamza", "Zainab"), ("Sadia",), ("Imran",)),
    ("tigrinja", ("Tesfay", "Gebremedhin"), ("Saba", "Daniel", "Helen"), ("Mebrat",), ("Yonas",)),
    ("ukrainsk", ("Kovalenko", "Shevchenko"), ("Sofiia", "Maksym", "Daryna"), ("Olena",),
     ("Andrii",)),
)  # fmt: skip

WORRIES = (
    "Eleven har mye fravær fra første time og gir uttrykk for vondt i magen om morgenen. "
    "Foresatte strever med å få eleven ut døra.",
    "Eleven kommer på skolen, men blir ofte sittende på grupperommet eller hos helsesykepleier "
    "og går glipp av undervisningen.",
    "Fraværet har økt etter juleferien. Eleven sier at det er vanskelig å være i klasserommet "
    "når det er mye lyd, og er redd for å bli spurt foran klassen.",
    "Eleven kommer ofte for sent og har enkelttimer med fravær, særlig i gym og svømming. "
    "Kontaktlærer er bekymret for at eleven trekker seg fra venner.",
    "Økende dagsfravær siden høstferien, mest udokumentert. Eleven uttrykker bekymring for "
    "prøver og for å gjøre feil.",
    "Eleven har vært mye borte etter et skolebytte og har få venner i klassen. Foresatte "
    "forteller om vansker med å sovne og mye bekymring på kvelden.",
)
MEASURES = (
    "Samtaler med kontaktlærer; fast voksen som tar imot om morgenen.",
    "Møte med foresatte og helsesykepleier; trappetrinnsplan for oppmøte.",
    "Tilrettelagt oppstart av dagen og eget rom å trekke seg tilbake til i friminuttene.",
    "Ukentlige samtaler med helsesykepleier; ukeplan sendt hjem på forhånd.",
    "Drøftet anonymt med PPT; lekehjelper i friminutt og faste plasser i klasserommet.",
)
PUPIL_VOICES = (
    "Sier at det er vondt i magen om morgenen og at det er lettere å være hjemme.",
    "Vil gjerne være på skolen, men synes det er skummelt å gå inn i klasserommet.",
    "Liker gym og kunst og helst å være med en venn fra klassen.",
    "Synes friminuttene er det vanskeligste, fordi han ikke vet hvem han skal være med.",
    "Er redd for å bli spurt om ting foran klassen.",
)
OTHER_NEEDS = ("", "", "", "Nøtteallergi.", "Glutenfri mat.", "Trenger pauser i løpet av økta.")
TRAVEL_NEEDS = ("", "", "", "", "Trenger følge fra egen skole til gruppelokalet.")
DECLINE_REASONS = (
    "Eleven får allerede behandling for angst i BUP. Vi anbefaler at skolen samarbeider med BUP "
    "om en plan for oppmøte, og at dere tar kontakt igjen om behovet endrer seg.",
    "Fraværet skyldes i hovedsak langvarig somatisk sykdom med legeerklæring. Vi anbefaler "
    "oppfølging gjennom fastlege og skolehelsetjenesten.",
)
QUESTIONS = (
    "Kan dere fylle inn fraværet så langt i år (dager og enkelttimer) og hvilke tiltak som er "
    "prøvd? Tallene mangler i henvisningen.",
    "Har foresatte samtykket til at fraværsdata brukes i evalueringen? Samtykket som er "
    "registrert dekker bare deltakelse.",
)
SESSION_NOTES = (
    "God stemning. Alle laget sitt eget følelsestermometer.",
    "To av barna trengte ekstra støtte i øvelsen; følges opp neste gang.",
    "Vi brukte mer tid på pusteøvelsen enn planlagt; problemløsning tas igjen neste gang.",
    "Eksponeringstrappene er ferdige. Hjemmeoppgave: prøve første trinn før neste samling.",
    "Litt uro i starten, bedre etter pausen. Husk frukt neste gang.",
    "En av deltakerne hadde problemer med lyden i starten; løste seg etter ti minutter.",
)
PARENT_NOTES = (
    "Gode spørsmål om morgenrutiner. Tolk var til stede for én familie.",
    "Foresatte delte erfaringer med å øve på trinnene hjemme; mange ønsket skriftlig oppsummering.",
)


# --- Calendar ----------------------------------------------------------------------------------


@dataclass
class _Calendar:
    """Oslo's school calendar as the demo knows it: weekends, public holidays, school holidays."""

    periods: list[tuple[ClosedPeriodKind, str, date, date]]
    public_holidays: holidays.HolidayBase

    def is_school_day(self, day: date) -> bool:
        if day.weekday() >= 5 or day in self.public_holidays:
            return False
        return not any(start <= day <= end for _, _, start, end in self.periods)

    def school_days(self, start: date, end: date) -> int:
        days = (end - start).days + 1
        return sum(self.is_school_day(start + timedelta(days=n)) for n in range(days))

    def ending(self, kind: ClosedPeriodKind, *, year: int, month: int) -> date | None:
        for period_kind, _, _, end in self.periods:
            if period_kind == kind and (end.year, end.month) == (year, month):
                return end
        return None

    def starting(self, kind: ClosedPeriodKind, *, year: int, month: int) -> date | None:
        for period_kind, _, start, _ in self.periods:
            if period_kind == kind and (start.year, start.month) == (year, month):
                return start
        return None

    def next_school_day(self, day: date) -> date:
        while not self.is_school_day(day):
            day += timedelta(days=1)
        return day


def _load_calendar(today: date) -> _Calendar:
    periods = [
        (period.kind, period.name, period.starts_on, period.ends_on)
        for period in read_school_holidays()
    ]
    years = range(today.year - 2, today.year + 3)
    return _Calendar(periods, holidays.country_holidays("NO", years=years))


@dataclass(frozen=True)
class _TermDates:
    name: str
    starts_on: date
    ends_on: date


def _autumn(calendar: _Calendar, year: int) -> _TermDates:
    summer_end = calendar.ending(ClosedPeriodKind.SUMMER, year=year, month=8)
    starts = (
        summer_end + timedelta(days=1) if summer_end else _monday_on_or_after(date(year, 8, 15))
    )
    christmas = calendar.starting(ClosedPeriodKind.CHRISTMAS, year=year, month=12)
    ends = christmas - timedelta(days=1) if christmas else date(year, 12, 20)
    return _TermDates(f"Høst {year}", calendar.next_school_day(starts), ends)


def _spring(calendar: _Calendar, year: int) -> _TermDates:
    christmas_end = calendar.ending(ClosedPeriodKind.CHRISTMAS, year=year, month=1)
    starts = christmas_end + timedelta(days=1) if christmas_end else date(year, 1, 3)
    summer = calendar.starting(ClosedPeriodKind.SUMMER, year=year, month=6)
    ends = summer - timedelta(days=1) if summer else date(year, 6, 19)
    return _TermDates(f"Vår {year}", calendar.next_school_day(starts), ends)


def _terms_around(calendar: _Calendar, today: date) -> tuple[_TermDates, _TermDates, _TermDates]:
    """The previous, current and next term; in the summer break "current" is the coming one."""
    spring = _spring(calendar, today.year)
    if today > spring.ends_on:
        return spring, _autumn(calendar, today.year), _spring(calendar, today.year + 1)
    return _autumn(calendar, today.year - 1), spring, _autumn(calendar, today.year)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _ascii(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a").replace(" ", "")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# --- The loader --------------------------------------------------------------------------------


class _Demo:
    """Builds the demo in steps that share the session, the clock and the generator."""

    def __init__(self, db: DbSession, now: datetime) -> None:
        self.db = db
        self.now = now
        self.today = now.astimezone(OSLO).date()
        self.rng = random.Random(SEED)
        self.calendar = _load_calendar(self.today)
        self.previous, self.current, self.next = _terms_around(self.calendar, self.today)
        self.schools: dict[str, School] = {}
        self.services: dict[ServiceKind, Service] = {}
        self.users: dict[str, User] = {}
        self.templates: dict[str, CourseTemplate] = {}
        self.terms: dict[str, Term] = {}
        self.venues: dict[str, Venue] = {}
        self.groups: dict[str, Group] = {}
        self.used_names: set[tuple[str, str]] = set()
        self.used_refs: set[str] = set()
        self.waitlist: list[Pupil] = []

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """An office-hours moment on ``day`` in Oslo, never later than now."""
        return min(oslo_to_utc(day, time(hour, minute)), self.now - timedelta(minutes=5))

    def phone(self) -> str:
        rng = self.rng
        # Norwegian mobile numbers begin with 4 or 9.
        first = f"{rng.choice('49')}{rng.randint(0, 99):02d}"
        return f"{first} {rng.randint(10, 99)} {rng.randint(100, 999)}"

    def office(self, day: date) -> datetime:
        while day.weekday() >= 5 or day in self.calendar.public_holidays:
            day -= timedelta(days=1)
        return self.at(day, self.rng.randint(8, 15), self.rng.choice((0, 10, 20, 30, 40, 50)))

    # Organisation and people ----------------------------------------------------------------

    def organisation(self) -> District:
        district = District(name=DISTRICT_NAME)
        self.db.add(district)
        for key, (name, address, _, _) in SCHOOLS.items():
            self.schools[key] = School(district=district, name=name, address=address)
        for kind, name in SERVICES.items():
            self.services[kind] = Service(district=district, kind=kind, name=name)
        self.db.add_all([*self.schools.values(), *self.services.values()])
        self.db.flush()
        password_hash = hash_password(DEMO_PASSWORD)  # argon2 is slow: hash once
        created_at = oslo_to_utc(self.previous.starts_on - timedelta(days=60), time(9))
        for key, (email, name, role, service, school) in ACCOUNTS.items():
            self.users[key] = User(
                email=email,
                name=name,
                password_hash=password_hash,
                role=Role(role),
                district=None if role == Role.ADMIN else district,
                school=self.schools[school] if school else None,
                service=self.services[ServiceKind(service)] if service else None,
                phone=self.phone(),
                created_at=created_at,
            )
        self.db.add_all(self.users.values())
        for key, (name, address, school) in VENUES.items():
            self.venues[key] = Venue(
                district_id=district.id,
                school=self.schools[school] if school else None,
                name=name,
                address=address,
            )
        self.db.add_all(self.venues.values())
        self.db.flush()  # ids for the columns that have no relationship
        return district

    def course_templates(self) -> None:
        """The shipped templates; left alone if an earlier load or migration made them."""
        self.templates.update(load_course_templates(self.db))

    def closed_periods_and_terms(self, district: District) -> None:
        load_school_holidays(self.db, district=district)
        for key, dates in (
            ("previous", self.previous),
            ("current", self.current),
            ("next", self.next),
        ):
            self.terms[key] = Term(
                district=district, name=dates.name, starts_on=dates.starts_on, ends_on=dates.ends_on
            )
        self.db.add_all(self.terms.values())

    def school_user(self, school: str) -> User:
        return self.users[f"school_{school}"]

    def new_pupil(self, school: str, starts_on: date, ages: tuple[int, int]) -> Pupil:
        rng = self.rng
        prefix, top_grade = SCHOOLS[school][2], SCHOOLS[school][3]
        school_year = starts_on.year if starts_on.month >= 8 else starts_on.year - 1
        for _ in range(20):
            age = rng.randint(*ages)
            birth_date = _years_before(starts_on, age) - timedelta(days=rng.randint(0, 364))
            grade = school_year - birth_date.year - 5
            if 1 <= grade <= top_grade:
                break
        else:
            grade = top_grade
        language = rng.choice(OTHER_LANGUAGES) if rng.random() < 0.3 else None
        first_names, last_names = (
            (language[2], language[1]) if language else (FIRST_NAMES, LAST_NAMES)
        )
        unused = [
            (first, last)
            for first in first_names
            for last in last_names
            if (first, last) not in self.used_names
        ]
        if not unused:  # this family's names are taken: a Norwegian family instead
            language = None
            unused = [
                (first, last)
                for first in FIRST_NAMES
                for last in LAST_NAMES
                if (first, last) not in self.used_names
            ]
        first, last = rng.choice(unused)
        self.used_names.add((first, last))
        while True:
            ref = f"{prefix}-{rng.randint(1, 9999):04d}"
            if ref not in self.used_refs:
                self.used_refs.add(ref)
                break
        pupil = Pupil(
            school=self.schools[school],
            pupil_ref=ref,
            first_name=first,
            last_name=last,
            birth_date=birth_date,
            grade=grade,
        )
        relations = ["mor", "far"] if rng.random() < 0.7 else [rng.choice(["mor", "far"])]
        for index, relation in enumerate(relations):
            if language:
                adult = rng.choice(language[3] if relation == "mor" else language[4])
                speaks = language[0] if index == 0 or rng.random() < 0.5 else "norsk"
            else:
                adult = rng.choice(ADULT_FIRST_NAMES[relation])
                speaks = "norsk"
            surname = last if rng.random() < 0.8 else rng.choice(LAST_NAMES)
            domain = rng.choice(("online.no", "gmail.com", "hotmail.com"))
            pupil.guardians.append(
                Guardian(
                    name=f"{adult} {surname}",
                    relation=relation,
                    phone=self.phone(),
                    email=f"{_ascii(adult)}.{_ascii(surname)}@{domain}",
                    language=speaks,
                    interpreter_needed=speaks != "norsk" and rng.random() < 0.7,
                )
            )
        self.db.add(pupil)
        return pupil

    # Referrals --------------------------------------------------------------------------------

    def new_referral(
        self, pupil: Pupil, school: str, created_on: date, planned_start: date
    ) -> Referral:
        rng = self.rng
        school_year_start = _autumn(self.calendar, created_on.year).starts_on
        if school_year_start > created_on:
            school_year_start = _autumn(self.calendar, created_on.year - 1).starts_on
        school_days = max(1, self.calendar.school_days(school_year_start, created_on))
        hours_per_day = 5 if pupil.grade <= 4 else 6
        teaching_hours = school_days * hours_per_day
        day_share = rng.uniform(0.07, 0.26)
        days_absent = min(school_days, round(school_days * day_share))
        documented = round(days_absent * rng.uniform(0.3, 0.8))
        hour_share = rng.uniform(0.01, 0.08)
        hours_absent = min(teaching_hours, round(teaching_hours * hour_share))
        hours_documented = round(hours_absent * rng.uniform(0.2, 0.7))
        late_arrivals = rng.randint(0, 14)
        team_meeting = created_on - timedelta(days=rng.randint(3, 12))
        referral = Referral(
            pupil=pupil,
            school=self.schools[school],
            district_id=self.schools[school].district_id,
            created_by=self.school_user(school),
            created_at=self.office(created_on),
            planned_start=planned_start,
            worry_absence_10_percent=days_absent / school_days >= 0.10,
            worry_hours=hour_share >= 0.04,
            worry_present_not_in_class=rng.random() < 0.35,
            worry_lateness=late_arrivals >= 6,
            worry_text=rng.choice(WORRIES),
            worry_shared=rng.random() < 0.6,
            school_days=school_days,
            teaching_hours=teaching_hours,
            days_documented=documented,
            days_undocumented=days_absent - documented,
            hours_documented=hours_documented,
            hours_undocumented=hours_absent - hours_documented,
            late_arrivals=late_arrivals,
            team_meeting_date=team_meeting,
            team_ppt_present=rng.random() < 0.8,
            team_health_present=rng.random() < 0.7,
            team_school_present=True,
            team_district_present=rng.random() < 0.4,
            measures_tried=rng.choice(MEASURES),
            pupil_voice=rng.choice(PUPIL_VOICES),
            digital_access=rng.random() < 0.88,
            travel_needs=rng.choice(TRAVEL_NEEDS),
            other_needs=rng.choice(OTHER_NEEDS),
        )
        referral.updated_at = referral.created_at
        self.change(referral, None, ReferralStatus.DRAFT, self.school_user(school), created_on, "")
        self.db.add(referral)
        return referral

    def change(
        self,
        referral: Referral,
        from_status: ReferralStatus | None,
        to_status: ReferralStatus,
        actor: User,
        day: date,
        comment: str,
    ) -> datetime:
        moment = self.office(day)
        if referral.history:
            moment = max(moment, referral.history[-1].created_at + timedelta(minutes=30))
        referral.history.append(
            ReferralStatusChange(
                actor=actor,
                from_status=from_status,
                to_status=to_status,
                comment=comment,
                created_at=moment,
            )
        )
        referral.status = to_status
        referral.updated_at = moment
        return moment

    def submit(self, referral: Referral, school: str, day: date) -> date:
        """Consent from a guardian, then submission; returns the day it was submitted."""
        rng = self.rng
        pupil = referral.pupil
        consent_day = day - timedelta(days=rng.randint(1, 6))
        guardian = pupil.guardians[0]
        referral.consents.append(
            Consent(
                guardian=guardian,
                given_on=consent_day,
                method=rng.choice(list(ConsentMethod)),
                note="Tolk brukt i samtalen." if guardian.interpreter_needed else "",
                covers_absence_data=rng.random() < 0.95,
                recorded_by_id=self.school_user(school).id,
                recorded_at=self.office(consent_day),
            )
        )
        moment = self.change(
            referral,
            ReferralStatus.DRAFT,
            ReferralStatus.SUBMITTED,
            self.school_user(school),
            day,
            "",
        )
        referral.submitted_at = moment
        return day

    def referral_for_group(
        self, pupil: Pupil, school: str, group: Group, starts_on: date
    ) -> Referral:
        rng = self.rng
        placed_on = starts_on - timedelta(days=rng.randint(10, 20))
        placed_on = min(placed_on, self.today - timedelta(days=2))
        accepted_on = placed_on - timedelta(days=rng.randint(7, 35))
        submitted_on = accepted_on - timedelta(days=rng.randint(2, 12))
        created_on = submitted_on - timedelta(days=rng.randint(1, 7))
        referral = self.new_referral(pupil, school, created_on, starts_on)
        self.submit(referral, school, submitted_on)
        coordinator = self.users["coordinator"]
        self.change(
            referral,
            ReferralStatus.SUBMITTED,
            ReferralStatus.ACCEPTED,
            coordinator,
            accepted_on,
            "Oppfyller kriteriene. Satt på venteliste.",
        )
        moment = self.change(
            referral,
            ReferralStatus.ACCEPTED,
            ReferralStatus.PLACED,
            coordinator,
            placed_on,
            f"Plassert i gruppen {group.name} ({group.term.name}).",
        )
        group.memberships.append(
            GroupMembership(
                referral=referral, pupil=pupil, placed_at=moment, placed_by_id=coordinator.id
            )
        )
        return referral

    def queue(self) -> None:
        """Referrals not in a group: the waitlist, the triage queue, drafts and closed ones."""
        rng = self.rng
        coordinator = self.users["coordinator"]
        planned_start = self.groups["planning"].starts_on or self.next.starts_on
        declines = iter(DECLINE_REASONS)
        questions = iter(QUESTIONS)
        count = len(QUEUE)
        for index, (status, school) in enumerate(QUEUE):
            # Closed and waitlisted referrals came in earlier: from 75 to 10 days ago.
            created_on = self.today - timedelta(days=75 - index * 65 // count)
            pupil = self.new_pupil(school, planned_start, rng.choice(((8, 10), (11, 13))))
            referral = self.new_referral(pupil, school, created_on, planned_start)
            if status == ReferralStatus.DRAFT:
                continue
            submitted_on = created_on + timedelta(days=rng.randint(0, 1))
            self.submit(referral, school, min(submitted_on, self.today))
            if status == ReferralStatus.SUBMITTED:
                continue
            decided_on = min(submitted_on + timedelta(days=rng.randint(5, 12)), self.today)
            if status == ReferralStatus.NEEDS_INFO:
                self.change(
                    referral,
                    ReferralStatus.SUBMITTED,
                    ReferralStatus.NEEDS_INFO,
                    coordinator,
                    decided_on,
                    next(questions),
                )
            elif status == ReferralStatus.DECLINED:
                self.change(
                    referral,
                    ReferralStatus.SUBMITTED,
                    ReferralStatus.DECLINED,
                    coordinator,
                    decided_on,
                    next(declines),
                )
            elif status == ReferralStatus.WITHDRAWN:
                self.accept(referral, decided_on)
                self.change(
                    referral,
                    ReferralStatus.ACCEPTED,
                    ReferralStatus.WITHDRAWN,
                    self.school_user(school),
                    min(decided_on + timedelta(days=20), self.today),
                    "Fraværet har gått ned etter tilrettelegging i klassen. Nærværsteamet "
                    "og foresatte er enige om å trekke henvisningen.",
                )
            else:
                if not self.waitlist:
                    # The first on the waitlist has no digital access: a warning in the composer.
                    referral.digital_access = False
                    referral.other_needs = "Familien har ikke PC eller nettbrett hjemme."
                detour = len(self.waitlist) == 4
                later = timedelta(days=8 if detour else 0)
                self.accept(referral, min(decided_on + later, self.today), detour=detour)
                self.waitlist.append(pupil)

    def accept(self, referral: Referral, day: date, *, detour: bool = False) -> None:
        """Onto the waitlist; with ``detour`` the coordinator first asked for more information."""
        coordinator = self.users["coordinator"]
        if detour:
            self.change(
                referral,
                ReferralStatus.SUBMITTED,
                ReferralStatus.NEEDS_INFO,
                coordinator,
                day - timedelta(days=6),
                QUESTIONS[0],
            )
            self.change(
                referral,
                ReferralStatus.NEEDS_INFO,
                ReferralStatus.SUBMITTED,
                self.school_user(SCHOOL_KEYS[referral.school.name]),
                day - timedelta(days=3),
                "Fraværstallene er fylt inn, og tiltakene er beskrevet.",
            )
        self.change(
            referral,
            ReferralStatus.SUBMITTED,
            ReferralStatus.ACCEPTED,
            coordinator,
            day,
            "Oppfyller kriteriene. Satt på venteliste til neste gruppe.",
        )

    # Groups, sessions and attendance ----------------------------------------------------------

    def group(self, plan: GroupPlan, district: District, term: str, starts_on: date) -> Group:
        index = len(self.groups) + 1
        group = Group(
            district_id=district.id,
            term=self.terms[term],
            template=self.templates[plan.template],
            name=plan.name,
            capacity=8,
            min_size=4,
            age_min=plan.ages[0],
            age_max=plan.ages[1],
            venue=self.venues[plan.venue],
            video_link=f"https://whereby.com/ullern-mestring-{index}",
            starts_on=starts_on,
            created_at=self.office(starts_on - timedelta(days=45)),
        )
        for user_key, role in plan.facilitators:
            group.facilitators.append(FacilitatorAssignment(user=self.users[user_key], role=role))
        self.groups[plan.key] = group
        self.db.add(group)
        return group

    def lay_out(self, group: Group, starts_on: date) -> list[Session]:
        """The template's sessions on its weekly pattern, from the start, on school days only."""
        template = group.template
        closed = ClosedDays(
            tuple(ClosedSpan(name, start, end) for _kind, name, start, end in self.calendar.periods)
        )
        for slot in plan_slots(template.sessions, WeeklyPattern.of(template), starts_on, closed):
            group.sessions.append(session_from_slot(group, slot))
        return group.sessions

    def attend(
        self, group: Group, sessions: list[Session], members: list[Pupil], leaves: dict[int, int]
    ) -> None:
        """Attendance for every held session; ``leaves`` maps a member to the last one attended."""
        rng = self.rng
        lead = group.facilitators[0].user
        reliability = [rng.uniform(0.72, 0.98) for _ in members]
        missed_last = [False for _ in members]
        for number, session in enumerate(sessions):
            if session.status != SessionStatus.HELD:
                continue
            recorded_at = min(session.ends_at + timedelta(hours=rng.randint(1, 20)), self.now)
            for index, pupil in enumerate(members):
                if index in leaves and number > leaves[index]:
                    continue
                guardian_present = None
                if session.guardians_attend:
                    # A parent meeting: the row says whether the family came; the child was not
                    # expected, so a family that stayed away is excused rather than absent.
                    guardian_present = rng.random() < 0.8
                    status = (
                        AttendanceStatus.PRESENT if guardian_present else AttendanceStatus.EXCUSED
                    )
                # Nobody misses two in a row by chance: that flag is set on purpose below.
                elif missed_last[index] or rng.random() < reliability[index]:
                    status = AttendanceStatus.PRESENT
                    missed_last[index] = False
                else:
                    status = rng.choice((AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED))
                    missed_last[index] = True
                session.attendance.append(
                    Attendance(
                        pupil=pupil,
                        status=status,
                        guardian_present=guardian_present,
                        recorded_by_id=lead.id,
                        recorded_at=recorded_at,
                    )
                )
            if rng.random() < 0.4:
                session.note = rng.choice(
                    PARENT_NOTES if session.guardians_attend else SESSION_NOTES
                )

    def mark_absent(
        self, sessions: list[Session], pupil: Pupil, count: int, *, until: int | None = None
    ) -> None:
        """The pupil missed the last ``count`` held children's sessions (up to ``until``)."""
        held = [
            session
            for session in sessions[: None if until is None else until + 1]
            if session.status == SessionStatus.HELD and not session.guardians_attend
        ]
        for session in held[-count:]:
            for row in session.attendance:
                if row.pupil is pupil:
                    row.status = AttendanceStatus.ABSENT

    def finished_group(self, plan: GroupPlan, district: District, weeks_in: int) -> None:
        rng = self.rng
        starts_on = _monday_on_or_after(self.previous.starts_on + timedelta(days=7 * weeks_in))
        group = self.group(plan, district, "previous", starts_on)
        group.status = GroupStatus.FINISHED
        sessions = self.lay_out(group, starts_on)
        for session in sessions:
            session.status = SessionStatus.HELD
        members = [self.new_pupil(school, starts_on, plan.ages) for school in plan.schools]
        referrals = [
            self.referral_for_group(pupil, school, group, starts_on)
            for pupil, school in zip(members, plan.schools, strict=True)
        ]
        leaves: dict[int, int] = {}
        coordinator = self.users["coordinator"]
        last_day = sessions[-1].starts_at.astimezone(OSLO).date()
        for index, referral in enumerate(referrals):
            if plan.key == "finished_hybrid" and index == len(referrals) - 1:
                # Stays away after the ninth session and leaves a few days later.
                leaves[index] = 8
                left_on = sessions[8].starts_at.astimezone(OSLO).date() + timedelta(days=3)
                self.change(
                    referral,
                    ReferralStatus.PLACED,
                    ReferralStatus.DISCONTINUED,
                    coordinator,
                    left_on,
                    "Eleven har ikke møtt de siste samlingene. Etter samtale med foresatte "
                    "avsluttes deltakelsen; skolen følger opp videre i nærværsteamet.",
                )
            else:
                self.change(
                    referral,
                    ReferralStatus.PLACED,
                    ReferralStatus.COMPLETED,
                    coordinator,
                    last_day + timedelta(days=rng.randint(1, 6)),
                    "Fullført kurs. Diplom delt ut på siste samling.",
                )
        self.attend(group, sessions, members, leaves)
        for index, last_session in leaves.items():
            # Missed the two sessions before leaving.
            self.mark_absent(sessions, members[index], 2, until=last_session)
        first_day = sessions[0].starts_at.astimezone(OSLO).date()
        for index, pupil in enumerate(members):
            baseline = self.absence(pupil, PeriodKind.BASELINE, first_day, None)
            # Most, not all, have their post measurement entered; the leaver has none.
            if index in leaves or (plan.key == "finished_cat" and index == 0):
                continue
            self.absence(pupil, PeriodKind.POST, last_day, baseline, improved=index != 1)

    def running_group(self, plan: GroupPlan, district: District) -> None:
        starts_on = _monday_on_or_after(self.today - timedelta(days=41))
        starts_on = max(starts_on, self.current.starts_on)
        group = self.group(plan, district, "current", starts_on)
        sessions = self.lay_out(group, starts_on)
        for session in sessions:
            if session.ends_at <= self.now:
                session.status = SessionStatus.HELD
        held = [s for s in sessions if s.status == SessionStatus.HELD]
        group.status = GroupStatus.RUNNING if held else GroupStatus.PLANNING
        members = [self.new_pupil(school, starts_on, plan.ages) for school in plan.schools]
        for pupil, school in zip(members, plan.schools, strict=True):
            self.referral_for_group(pupil, school, group, starts_on)
        coordinator, ppt, health = (
            self.users["coordinator"],
            self.users["ppt"],
            self.users["health"],
        )
        # One digital session was cancelled the day before because the lead fell ill.
        digital = [s for s in sessions if s.mode == SessionMode.DIGITAL and not s.guardians_attend]
        cancelled = next((s for s in digital[1:] if s.status == SessionStatus.HELD), digital[-1])
        cancelled.status = SessionStatus.CANCELLED
        cancelled_on = cancelled.starts_at.astimezone(OSLO).date()
        cancelled.changes.append(
            SessionChange(
                actor=coordinator,
                created_at=self.at(cancelled_on - timedelta(days=1), 8, 15),
                summary="Avlyst: kursleder syk, ingen vikar tilgjengelig",
                changes={"status": [SessionStatus.PLANNED.value, SessionStatus.CANCELLED.value]},
            )
        )
        self.db.add(
            Unavailability(
                user=ppt,
                starts_on=cancelled_on,
                ends_on=cancelled_on,
                reason=UnavailabilityReason.SICK,
                note="Syk",
            )
        )
        # On a coming session the health nurse is away on a course; a colleague stands in.
        future = [
            s for s in sessions if s.status == SessionStatus.PLANNED and s.starts_at > self.now
        ]
        covered = future[1] if len(future) > 1 else sessions[-1]
        covered_on = covered.starts_at.astimezone(OSLO).date()
        substitute = self.users["health2"]
        covered.substitutes.append(SessionSubstitute(replaced=health, substitute=substitute))
        covered.changes.append(
            SessionChange(
                actor=coordinator,
                created_at=self.now - timedelta(days=2),
                summary=f"Vikar: {substitute.name} for {health.name}",
                changes={"substitute": [None, substitute.name]},
            )
        )
        self.db.add(
            Unavailability(
                user=health,
                starts_on=covered_on,
                ends_on=covered_on,
                reason=UnavailabilityReason.COURSE,
                note="Fagdag for helsesykepleiere",
            )
        )
        self.attend(group, sessions, members, {})
        self.mark_absent(sessions, members[3], 2)
        first_day = sessions[0].starts_at.astimezone(OSLO).date()
        for pupil in members:
            self.absence(pupil, PeriodKind.BASELINE, first_day, None)

    def planning_group(self, plan: GroupPlan, district: District) -> None:
        starts_on = _monday_on_or_after(self.next.starts_on + timedelta(days=7))
        group = self.group(plan, district, "next", starts_on)
        group.status = GroupStatus.PLANNING
        for school in plan.schools:
            pupil = self.new_pupil(school, starts_on, plan.ages)
            self.referral_for_group(pupil, school, group, starts_on)
        self.db.add(
            Unavailability(
                user=self.users["ppt"],
                starts_on=starts_on + timedelta(days=14),
                ends_on=starts_on + timedelta(days=18),
                reason=UnavailabilityReason.HOLIDAY,
                note="Avspasering",
            )
        )

    # Absence before and after -----------------------------------------------------------------

    def absence(
        self,
        pupil: Pupil,
        kind: PeriodKind,
        edge: date,
        baseline: AbsenceRecord | None,
        *,
        improved: bool = True,
    ) -> AbsenceRecord | None:
        """Baseline: the 3 months before ``edge``; post: the 3 months after, up to yesterday.

        A post record follows its ``baseline``: absence falls by about half if ``improved``,
        and stays about the same otherwise.
        """
        rng = self.rng
        if kind == PeriodKind.BASELINE:
            starts_on, ends_on = _add_months(edge, -3), edge - timedelta(days=1)
        else:
            starts_on = edge + timedelta(days=1)
            ends_on = min(_add_months(edge, 3), self.today - timedelta(days=1))
        # Only a period that is over can be entered; a short one is left for later.
        if ends_on >= self.today or (ends_on - starts_on).days < 21:
            return None
        school_days = self.calendar.school_days(starts_on, ends_on)
        if school_days < 1:
            return None
        teaching_hours = school_days * (5 if pupil.grade <= 4 else 6)
        if baseline is None:
            day_share = min(0.3, max(0.06, rng.gauss(0.135, 0.035)))
            hour_share = rng.uniform(0.02, 0.07)
            late = rng.randint(2, 12)
        else:
            before = (baseline.days_documented + baseline.days_undocumented) / max(
                1, baseline.school_days
            )
            factor = rng.uniform(0.35, 0.7) if improved else rng.uniform(0.9, 1.15)
            day_share = before * factor
            hour_share = rng.uniform(0.01, 0.04)
            late = max(0, baseline.late_arrivals - rng.randint(0, 6))
        days_absent = min(school_days, round(school_days * day_share))
        days_documented = round(days_absent * rng.uniform(0.4, 0.8))
        hours_absent = min(teaching_hours, round(teaching_hours * hour_share))
        hours_documented = round(hours_absent * rng.uniform(0.3, 0.7))
        entered_by = self.school_user(SCHOOL_KEYS[pupil.school.name])
        record = AbsenceRecord(
            pupil=pupil,
            period=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            school_days=school_days,
            teaching_hours=teaching_hours,
            days_documented=days_documented,
            days_undocumented=days_absent - days_documented,
            hours_documented=hours_documented,
            hours_undocumented=hours_absent - hours_documented,
            late_arrivals=late,
            entered_by_id=entered_by.id,
            entered_at=self.office(ends_on + timedelta(days=rng.randint(2, 10))),
        )
        self.db.add(record)
        return record

    def keep_apart(self, district: District) -> None:
        """Two pairs on the waitlist that the coordinator wants in different groups."""
        self.db.flush()
        notes = (
            "Går i samme klasse; konflikt i friminuttene som skolen følger opp.",
            "Tidligere konflikt på fritidsklubben; foresatte ønsker ulike grupper.",
        )
        pairs = list(zip(self.waitlist[0::2], self.waitlist[1::2], strict=False))
        for (first, second), note in zip(pairs, notes, strict=False):
            low, high = sorted((first.id, second.id))
            self.db.add(
                KeepApartPair(
                    district_id=district.id,
                    pupil_a_id=low,
                    pupil_b_id=high,
                    note=note,
                    created_by_id=self.users["coordinator"].id,
                    created_at=self.now - timedelta(days=3),
                )
            )

    def load(self) -> None:
        district = self.organisation()
        self.course_templates()
        self.closed_periods_and_terms(district)
        plans = {plan.key: plan for plan in GROUPS}
        self.finished_group(plans["finished_hybrid"], district, weeks_in=1)
        self.finished_group(plans["finished_cat"], district, weeks_in=2)
        self.running_group(plans["running"], district)
        self.planning_group(plans["planning"], district)
        self.queue()
        self.keep_apart(district)
        self.db.flush()


SCHOOL_KEYS = {name: key for key, (name, *_) in SCHOOLS.items()}


def load_demo(db: DbSession, *, now: datetime) -> DemoResult:
    """Fill an empty database with Bydel Ullern's programme; does nothing if it is there.

    Flushes only: the caller commits.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if db.scalar(select(District.id).where(District.name == DISTRICT_NAME)) is not None:
        return DemoResult(created=False, accounts=list(DEMO_ACCOUNTS))
    _Demo(db, now).load()
    return DemoResult(created=True, accounts=list(DEMO_ACCOUNTS))
