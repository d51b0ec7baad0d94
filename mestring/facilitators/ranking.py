"""Ranking the candidates for a group (a pure function over plain facts).

First those with no conflict with any of the group's coming sessions (another session at the
same time, or unavailability), then the lowest load (sessions they lead in the group's weeks),
then those from a service the group lacks; name last, so that the order is stable. Each
candidate carries the reasons for their place.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from mestring.accounts.enums import ServiceKind
from mestring.core.translations import lazy_gettext as _l
from mestring.core.translations import ngettext
from mestring.scheduling.conflicts import Conflict


@dataclass(frozen=True)
class CandidateFacts:
    user_id: int
    name: str
    service: ServiceKind | None
    # Conflicts with the group's sessions if they led them (busy elsewhere, unavailable).
    conflicts: tuple[Conflict, ...]
    # Sessions they lead in the weeks the group meets (or in the term, before a plan exists).
    load: int


@dataclass(frozen=True)
class RankedCandidate:
    rank: int
    facts: CandidateFacts
    fills_gap: bool
    reasons: tuple[str, ...]

    @property
    def free(self) -> bool:
        return not self.facts.conflicts


def sort_key(facts: CandidateFacts, missing: Collection[ServiceKind]) -> tuple[object, ...]:
    fills_gap = facts.service in missing
    return (bool(facts.conflicts), facts.load, not fills_gap, facts.name.casefold(), facts.user_id)


def rank_candidates(
    candidates: Sequence[CandidateFacts],
    missing: Collection[ServiceKind],
    *,
    session_count: int,
    in_term: bool = False,
) -> list[RankedCandidate]:
    """The candidates in rank order; ``missing`` are the services the group lacks.

    ``session_count`` is how many of the group's sessions were checked for conflicts, and
    ``in_term`` says the load was counted over the term because the group has no plan yet.
    """
    ordered = sorted(candidates, key=lambda facts: sort_key(facts, missing))
    ranked = []
    for rank, facts in enumerate(ordered, start=1):
        fills_gap = facts.service in missing
        reasons = [
            _conflict_reason(facts, session_count),
            _load_reason(facts, in_term),
            _service_reason(facts, fills_gap),
        ]
        ranked.append(
            RankedCandidate(
                rank=rank, facts=facts, fills_gap=fills_gap, reasons=tuple(str(r) for r in reasons)
            )
        )
    return ranked


def _conflict_reason(facts: CandidateFacts, session_count: int) -> object:
    if not session_count:
        return _l("The group has no coming sessions to check yet.")
    if not facts.conflicts:
        return _l("Free at all %(n)s coming sessions of the group.", n=session_count)
    return ngettext(
        "%(num)s conflict with the group’s %(n)s coming sessions.",
        "%(num)s conflicts with the group’s %(n)s coming sessions.",
        len(facts.conflicts),
        n=session_count,
    )


def _load_reason(facts: CandidateFacts, in_term: bool) -> object:
    if in_term:
        return ngettext(
            "Leads %(num)s session this term.", "Leads %(num)s sessions this term.", facts.load
        )
    return ngettext(
        "Leads %(num)s other session in the weeks the group meets.",
        "Leads %(num)s other sessions in the weeks the group meets.",
        facts.load,
    )


def _service_reason(facts: CandidateFacts, fills_gap: bool) -> object:
    if facts.service is None:
        return _l("No service recorded.")
    if fills_gap:
        return _l("Brings %(service)s, which the group lacks.", service=facts.service.label)
    return _l("%(service)s is represented already.", service=facts.service.label)
