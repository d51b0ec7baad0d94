"""Group proposals from the waitlist (pure): by age band, longest waiting first, schools together.

For each age band the waitlisted pupils are put in school clusters, the clusters in the order of
their longest-waiting pupil, and the resulting line is cut into as few groups as the capacity
allows, of sizes as even as possible (10 pupils make 5 + 5, not 8 + 2). Where a cut falls inside
a school and would leave one pupil of it alone on one side, the cut moves by one when both
groups stay within the capacity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from math import ceil

from mestring.core.time import age_on
from mestring.groups.warnings import GroupFacts, PupilFacts

# The programme's age bands, in completed years on the term's first day.
AGE_BANDS: tuple[tuple[int, int], ...] = ((8, 10), (11, 13))

_NEVER = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class WaitlistEntry:
    """An accepted referral waiting for a group."""

    referral_id: int
    pupil: PupilFacts
    waiting_since: datetime | None

    def sort_key(self) -> tuple[datetime, int]:
        return (self.waiting_since or _NEVER, self.referral_id)


@dataclass(frozen=True)
class Proposal:
    age_min: int
    age_max: int
    entries: tuple[WaitlistEntry, ...]

    def facts(
        self,
        *,
        capacity: int,
        min_size: int,
        has_digital_sessions: bool,
        keep_apart: Sequence[tuple[int, int]] = (),
    ) -> GroupFacts:
        return GroupFacts(
            pupils=[entry.pupil for entry in self.entries],
            capacity=capacity,
            min_size=min_size,
            has_digital_sessions=has_digital_sessions,
            keep_apart=keep_apart,
        )


def age_band(birth_date: date, starts_on: date) -> tuple[int, int] | None:
    """The band the pupil belongs to on ``starts_on``; None if outside the programme's ages."""
    age = age_on(birth_date, starts_on)
    return next((band for band in AGE_BANDS if band[0] <= age <= band[1]), None)


def outside_bands(waitlist: Sequence[WaitlistEntry], starts_on: date) -> list[WaitlistEntry]:
    """Waitlisted pupils too young or too old for every band on ``starts_on``."""
    return [e for e in waitlist if age_band(e.pupil.birth_date, starts_on) is None]


def propose_groups(
    waitlist: Sequence[WaitlistEntry], starts_on: date, capacity: int = 8
) -> list[Proposal]:
    """Proposed groups for a term starting on ``starts_on``: younger band first."""
    if capacity < 1:
        raise ValueError("capacity must be at least 1")
    proposals: list[Proposal] = []
    for band in AGE_BANDS:
        members = [e for e in waitlist if age_band(e.pupil.birth_date, starts_on) == band]
        if not members:
            continue
        line = _schools_together(members)
        for chunk in _cut(line, capacity):
            proposals.append(Proposal(age_min=band[0], age_max=band[1], entries=tuple(chunk)))
    return proposals


def _schools_together(entries: list[WaitlistEntry]) -> list[WaitlistEntry]:
    """Longest waiting first within each school, schools by their longest-waiting pupil."""
    clusters: dict[int, list[WaitlistEntry]] = {}
    for entry in sorted(entries, key=WaitlistEntry.sort_key):
        clusters.setdefault(entry.pupil.school_id, []).append(entry)
    return [entry for cluster in clusters.values() for entry in cluster]


def _cut(line: list[WaitlistEntry], capacity: int) -> list[list[WaitlistEntry]]:
    count = ceil(len(line) / capacity)
    base, extra = divmod(len(line), count)
    sizes = [base + 1 if index < extra else base for index in range(count)]
    cuts = [sum(sizes[: index + 1]) for index in range(count - 1)]
    for number, cut in enumerate(cuts):
        start = cuts[number - 1] if number else 0
        end = cuts[number + 1] if number + 1 < len(cuts) else len(line)
        school = line[cut].pupil.school_id
        if line[cut - 1].pupil.school_id != school:
            continue
        left = sum(1 for e in line[start:cut] if e.pupil.school_id == school)
        right = sum(1 for e in line[cut:end] if e.pupil.school_id == school)
        if right == 1 and cut + 1 - start <= capacity and end - cut - 1 >= 1:
            cuts[number] = cut + 1
        elif left == 1 and end - cut + 1 <= capacity and cut - 1 - start >= 1:
            cuts[number] = cut - 1
    bounds = [0, *cuts, len(line)]
    return [line[bounds[i] : bounds[i + 1]] for i in range(len(bounds) - 1)]
