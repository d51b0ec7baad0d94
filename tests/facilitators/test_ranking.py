"""Ranking candidates for a group: free first, then the lightest load, then a missing service."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session as OrmSession

from mestring.accounts.enums import Role, ServiceKind
from mestring.accounts.models import User
from mestring.core.time import now_utc
from mestring.facilitators.assignment import rank_for_group
from mestring.facilitators.ranking import CandidateFacts, rank_candidates
from mestring.scheduling.conflicts import Conflict
from mestring.scheduling.enums import ConflictKind, UnavailabilityReason
from mestring.scheduling.models import SessionSubstitute, Unavailability
from tests import factories as f
from tests.conftest import World

BUSY = Conflict(ConflictKind.FACILITATOR_BUSY, "opptatt")


def facts(
    user_id: int,
    *,
    load: int = 0,
    service: ServiceKind | None = ServiceKind.SCHOOL,
    conflicts: int = 0,
    name: str | None = None,
) -> CandidateFacts:
    return CandidateFacts(
        user_id=user_id,
        name=name or f"Kandidat {user_id}",
        service=service,
        conflicts=(BUSY,) * conflicts,
        load=load,
    )


def order(candidates: list[CandidateFacts], missing=(ServiceKind.PPT,)) -> list[int]:
    return [c.facts.user_id for c in rank_candidates(candidates, missing, session_count=8)]


def test_a_candidate_with_a_conflict_never_ranks_above_one_without() -> None:
    """However light their load and whatever service they bring."""
    free_but_busy_weeks = facts(1, load=12)
    conflicted = facts(2, load=0, service=ServiceKind.PPT, conflicts=1)
    assert order([conflicted, free_but_busy_weeks]) == [1, 2]


@pytest.mark.parametrize("loads", [(0, 1, 2, 5), (3, 0, 9, 1), (7, 7, 0, 2)])
def test_load_breaks_ties_between_free_candidates(loads: tuple[int, ...]) -> None:
    candidates = [facts(n, load=load) for n, load in enumerate(loads)]
    ranked = rank_candidates(candidates, [], session_count=4)
    assert [c.facts.load for c in ranked] == sorted(loads)
    assert [c.rank for c in ranked] == [1, 2, 3, 4]


def test_then_the_service_the_group_lacks() -> None:
    school = facts(1, load=2, name="Aase")
    ppt = facts(2, load=2, service=ServiceKind.PPT, name="Bjørn")
    assert order([school, ppt]) == [2, 1]
    # ... but a lighter load still comes first.
    assert order([facts(3, load=1, name="Cato"), ppt]) == [3, 2]


def test_conflicted_candidates_are_ordered_among_themselves_by_load() -> None:
    assert order([facts(1, load=4, conflicts=1), facts(2, load=1, conflicts=3)]) == [2, 1]


def test_each_candidate_carries_the_reasons_for_their_place() -> None:
    ranked = rank_candidates(
        [facts(1, load=3, service=ServiceKind.PPT), facts(2, conflicts=2)],
        [ServiceKind.PPT],
        session_count=8,
    )
    first, second = ranked
    assert first.free and first.fills_gap and not second.free
    assert first.reasons == (
        "Free at all 8 coming sessions of the group.",
        "Leads 3 other sessions in the weeks the group meets.",
        "Brings PPT, which the group lacks.",
    )
    assert second.reasons[0] == "2 conflicts with the group’s 8 coming sessions."


# --- From the database ------------------------------------------------------------------------


def facilitator(world: World, name: str, kind: ServiceKind = ServiceKind.SCHOOL) -> User:
    district = world.group.district
    service = f.ServiceFactory(district=district, kind=kind)
    return f.UserFactory(role=Role.FACILITATOR, district=district, service=service, name=name)


def test_busy_unavailable_and_loaded_candidates_rank_in_that_order(
    world: World, db_session: OrmSession
) -> None:
    """The world's group meets on Tuesday 2 February 2027 (and the week after)."""
    start = world.session.starts_at
    f.SessionFactory(group=world.group, starts_at=start + timedelta(weeks=1))
    busy = facilitator(world, "Anne Opptatt")
    away = facilitator(world, "Bente Borte", ServiceKind.PPT)
    loaded = facilitator(world, "Carl Travel")
    light = facilitator(world, "Dina Ledig")
    substitute = facilitator(world, "Eva Vikar")
    elsewhere = f.GroupFactory(district=world.group.district)
    f.AssignmentFactory(group=elsewhere, user=busy)
    # Anne leads another group at the same time as the first session.
    f.SessionFactory(group=elsewhere, starts_at=start + timedelta(minutes=30))
    # Carl leads two sessions in the group's weeks, not at the same time, and one later.
    travels = f.GroupFactory(district=world.group.district)
    f.AssignmentFactory(group=travels, user=loaded)
    for days in (2, 9, 30):
        f.SessionFactory(group=travels, starts_at=start + timedelta(days=days))
    # Eva substitutes in one session that week: that counts as load.
    covered = f.SessionFactory(
        group=f.GroupFactory(district=world.group.district), starts_at=start + timedelta(days=1)
    )
    f.AssignmentFactory(group=covered.group, user=light)
    covered.substitutes.append(SessionSubstitute(replaced=light, substitute=substitute))
    db_session.add(
        Unavailability(
            user=away,
            starts_on=date(2027, 2, 9),
            ends_on=date(2027, 2, 9),
            reason=UnavailabilityReason.SICK,
        )
    )
    db_session.flush()
    db_session.expire_all()

    ranking = rank_for_group(db_session, group=world.group, now=datetime(2027, 1, 1, tzinfo=UTC))
    mine = {"Anne Opptatt", "Bente Borte", "Carl Travel", "Dina Ledig", "Eva Vikar"}
    names = [c.facts.name for c in ranking.candidates if c.facts.name in mine]
    # Dina's own session is replaced by Eva: she is free and has no load.
    assert names[:3] == ["Dina Ledig", "Eva Vikar", "Carl Travel"]
    assert set(names[3:]) == {"Anne Opptatt", "Bente Borte"}
    # The world's other facilitator (school health, free, no load) comes first of all.
    assert ranking.candidates[0].facts.user_id == world.facilitator_unassigned.id
    by_name = {c.facts.name: c for c in ranking.candidates}
    assert by_name["Carl Travel"].facts.load == 2
    assert by_name["Eva Vikar"].facts.load == 1
    assert [c.kind for c in by_name["Bente Borte"].facts.conflicts] == [
        ConflictKind.FACILITATOR_UNAVAILABLE
    ]
    assert [c.kind for c in by_name["Anne Opptatt"].facts.conflicts] == [
        ConflictKind.FACILITATOR_BUSY
    ]
    # The world's group has only PPT (the world's facilitator) so far.
    assert ranking.missing == [ServiceKind.SCHOOL_HEALTH, ServiceKind.SCHOOL]
    assert world.facilitator.name not in names
    # Bente (PPT, which the group has) is unavailable; Anne is busy. Both rank below the free.
    assert all(c.free for c in ranking.candidates[:4])
    assert not any(c.free for c in ranking.candidates[4:])


def test_past_sessions_do_not_count_as_conflicts(world: World, db_session: OrmSession) -> None:
    busy = facilitator(world, "Anne Opptatt")
    elsewhere = f.GroupFactory(district=world.group.district)
    f.AssignmentFactory(group=elsewhere, user=busy)
    f.SessionFactory(group=elsewhere, starts_at=world.session.starts_at)
    db_session.flush()
    after = world.session.ends_at + timedelta(hours=1)
    ranking = rank_for_group(db_session, group=world.group, now=after)
    assert ranking.session_count == 0 and ranking.in_term
    assert ranking.candidates[0].free


def test_facilitators_of_another_district_are_no_candidates(
    world: World, db_session: OrmSession
) -> None:
    district = world.coordinator_other.district
    other = f.UserFactory(
        role=Role.FACILITATOR, district=district, service=f.ServiceFactory(district=district)
    )
    ranking = rank_for_group(db_session, group=world.group, now=now_utc())
    assert other.id not in [c.facts.user_id for c in ranking.candidates]
    assert world.facilitator_unassigned.id in [c.facts.user_id for c in ranking.candidates]
