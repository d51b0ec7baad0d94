"""Warnings about a group's composition, for a group or a composer proposal (pure functions).

The facts are plain values so that a group in the database and a proposal that exists only on
the composer page are judged by the same rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date

from mestring.accounts.enums import ServiceKind
from mestring.core.translations import lazy_gettext as _l
from mestring.core.translations import ngettext
from mestring.groups.enums import WarningKind

# More than this many years between the oldest and the youngest pupil is warned about.
MAX_AGE_SPREAD_YEARS = 3
# A group is led by at least two facilitators, from PPT, school health and the school.
MIN_FACILITATORS = 2
REQUIRED_SERVICES = (ServiceKind.PPT, ServiceKind.SCHOOL_HEALTH, ServiceKind.SCHOOL)


@dataclass(frozen=True)
class PupilFacts:
    pupil_id: int
    name: str
    school_id: int
    school_name: str
    birth_date: date
    digital_access: bool


@dataclass(frozen=True)
class GroupFacts:
    pupils: Sequence[PupilFacts]
    capacity: int
    min_size: int
    has_digital_sessions: bool
    # Pupil id pairs the coordinator wants in different groups; order within a pair is free.
    keep_apart: Collection[tuple[int, int]] = field(default_factory=tuple)


@dataclass(frozen=True)
class GroupWarning:
    kind: WarningKind
    message: str
    pupil_ids: tuple[int, ...] = ()


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def group_warnings(facts: GroupFacts) -> list[GroupWarning]:
    """Every warning for the composition, in a fixed order: size, age, schools, access, pairs."""
    found: list[GroupWarning] = []
    pupils = list(facts.pupils)
    count = len(pupils)
    if count > facts.capacity:
        found.append(
            GroupWarning(
                WarningKind.OVER_CAPACITY,
                str(
                    _l(
                        "%(count)s pupils, but the capacity is %(capacity)s.",
                        count=count,
                        capacity=facts.capacity,
                    )
                ),
            )
        )
    if count < facts.min_size:
        found.append(
            GroupWarning(
                WarningKind.UNDER_MINIMUM,
                str(
                    ngettext(
                        "%(num)s pupil; the group needs at least %(min)s to start.",
                        "%(num)s pupils; the group needs at least %(min)s to start.",
                        count,
                        min=facts.min_size,
                    )
                ),
            )
        )
    if pupils:
        oldest = min(pupils, key=lambda p: p.birth_date)
        youngest = max(pupils, key=lambda p: p.birth_date)
        if youngest.birth_date > years_after(oldest.birth_date, MAX_AGE_SPREAD_YEARS):
            found.append(
                GroupWarning(
                    WarningKind.AGE_SPREAD,
                    str(
                        _l(
                            "More than %(years)s years between the oldest (%(oldest)s) and the "
                            "youngest (%(youngest)s) pupil.",
                            years=MAX_AGE_SPREAD_YEARS,
                            oldest=oldest.name,
                            youngest=youngest.name,
                        )
                    ),
                    (oldest.pupil_id, youngest.pupil_id),
                )
            )
    if count > 1:
        per_school = Counter(p.school_id for p in pupils)
        for pupil in pupils:
            if per_school[pupil.school_id] == 1:
                found.append(
                    GroupWarning(
                        WarningKind.ALONE_FROM_SCHOOL,
                        str(
                            _l(
                                "%(name)s is the only pupil from %(school)s.",
                                name=pupil.name,
                                school=pupil.school_name,
                            )
                        ),
                        (pupil.pupil_id,),
                    )
                )
    if facts.has_digital_sessions:
        for pupil in pupils:
            if not pupil.digital_access:
                found.append(
                    GroupWarning(
                        WarningKind.NO_DIGITAL_ACCESS,
                        str(
                            _l(
                                "%(name)s has no digital access, and the group has digital "
                                "sessions.",
                                name=pupil.name,
                            )
                        ),
                        (pupil.pupil_id,),
                    )
                )
    by_id = {p.pupil_id: p for p in pupils}
    pairs = sorted({(min(a, b), max(a, b)) for a, b in facts.keep_apart})
    for first, second in pairs:
        if first in by_id and second in by_id:
            found.append(
                GroupWarning(
                    WarningKind.KEEP_APART,
                    str(
                        _l(
                            "%(first)s and %(second)s are to be kept apart.",
                            first=by_id[first].name,
                            second=by_id[second].name,
                        )
                    ),
                    (first, second),
                )
            )
    return found


def missing_services(services: Collection[ServiceKind | None]) -> list[ServiceKind]:
    """The required services that none of the facilitators comes from, in a fixed order."""
    return [kind for kind in REQUIRED_SERVICES if kind not in services]


def facilitator_warnings(services: Sequence[ServiceKind | None]) -> list[GroupWarning]:
    """Warnings about who leads a group; ``services`` holds one entry per facilitator."""
    found: list[GroupWarning] = []
    if len(services) < MIN_FACILITATORS:
        found.append(
            GroupWarning(
                WarningKind.FEW_FACILITATORS,
                str(
                    ngettext(
                        "%(num)s facilitator; a group needs at least %(min)s.",
                        "%(num)s facilitators; a group needs at least %(min)s.",
                        len(services),
                        min=MIN_FACILITATORS,
                    )
                ),
            )
        )
    for kind in missing_services(services):
        found.append(
            GroupWarning(
                WarningKind.MISSING_SERVICE,
                str(_l("No facilitator from %(service)s.", service=kind.label)),
            )
        )
    return found
