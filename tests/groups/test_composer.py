"""Composer proposals: age bands, capacity, longest waiting first, schools together."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from mestring.core.time import age_on
from mestring.groups.composer import WaitlistEntry, outside_bands, propose_groups
from mestring.groups.warnings import PupilFacts

TERM_START = date(2027, 1, 4)
EPOCH = datetime(2026, 6, 1, tzinfo=UTC)

_ids = iter(range(1, 10_000))


def entry(
    age: int, school: int = 1, waited: int = 0, birthday_after_start: bool = False
) -> WaitlistEntry:
    """A pupil of ``age`` at the term's start who has waited ``waited`` days more than EPOCH."""
    ident = next(_ids)
    born = date(TERM_START.year - age, 1, 10 if birthday_after_start else 1)
    return WaitlistEntry(
        referral_id=ident,
        pupil=PupilFacts(ident, f"Elev {ident}", school, f"Skole {school}", born, True),
        waiting_since=EPOCH - timedelta(days=waited),
    )


def ages(entries: tuple[WaitlistEntry, ...]) -> set[int]:
    return {age_on(e.pupil.birth_date, TERM_START) for e in entries}


def test_proposals_keep_to_the_age_bands_and_the_capacity() -> None:
    waitlist = [
        entry(age, school=age % 3, waited=age * 3) for age in range(8, 14) for _ in range(4)
    ]
    proposals = propose_groups(waitlist, TERM_START, capacity=8)
    assert sum(len(p.entries) for p in proposals) == len(waitlist) == 24
    for proposal in proposals:
        assert len(proposal.entries) <= 8
        assert ages(proposal.entries) <= set(range(proposal.age_min, proposal.age_max + 1))
    assert [(p.age_min, p.age_max, len(p.entries)) for p in proposals] == [
        (8, 10, 6),
        (8, 10, 6),
        (11, 13, 6),
        (11, 13, 6),
    ]


@pytest.mark.parametrize("capacity", [4, 5, 6, 8])
def test_no_proposal_exceeds_the_capacity(capacity: int) -> None:
    waitlist = [entry(9, school=n % 4, waited=n) for n in range(19)]
    proposals = propose_groups(waitlist, TERM_START, capacity=capacity)
    assert all(len(p.entries) <= capacity for p in proposals)
    assert sorted(e.referral_id for p in proposals for e in p.entries) == sorted(
        e.referral_id for e in waitlist
    )


def test_sizes_are_even_rather_than_a_full_group_and_a_tiny_one() -> None:
    waitlist = [entry(9, school=n, waited=n) for n in range(10)]
    assert [len(p.entries) for p in propose_groups(waitlist, TERM_START)] == [5, 5]


def test_age_is_taken_on_the_terms_first_day() -> None:
    # Ten on 1 January 2027, eleven only on 10 January: still in the younger band.
    turning_eleven = entry(11, birthday_after_start=True)
    assert age_on(turning_eleven.pupil.birth_date, TERM_START) == 10
    (proposal,) = propose_groups([turning_eleven], TERM_START)
    assert (proposal.age_min, proposal.age_max) == (8, 10)


def test_pupils_outside_the_bands_are_left_out() -> None:
    too_young, too_old, fits = entry(7), entry(14), entry(12)
    proposals = propose_groups([too_young, too_old, fits], TERM_START)
    assert [e.referral_id for p in proposals for e in p.entries] == [fits.referral_id]
    assert outside_bands([too_young, too_old, fits], TERM_START) == [too_young, too_old]


def test_longest_waiting_first() -> None:
    newest, oldest, middle = entry(9, 1, waited=1), entry(9, 1, waited=90), entry(9, 1, waited=40)
    (proposal,) = propose_groups([newest, oldest, middle], TERM_START)
    assert [e.referral_id for e in proposal.entries] == [
        oldest.referral_id,
        middle.referral_id,
        newest.referral_id,
    ]


def test_the_first_proposal_holds_the_longest_waiting_school() -> None:
    school_a = [entry(9, school=1, waited=w) for w in (100, 5, 4, 3)]
    school_b = [entry(9, school=2, waited=w) for w in (50, 49, 48, 47)]
    school_c = [entry(9, school=3, waited=w) for w in (10, 9, 8, 7)]
    first, second, third = propose_groups(school_c + school_b + school_a, TERM_START, capacity=4)
    assert {e.pupil.school_id for e in first.entries} == {1}
    assert {e.pupil.school_id for e in second.entries} == {2}
    assert {e.pupil.school_id for e in third.entries} == {3}


def test_pupils_of_one_school_stay_together() -> None:
    # Interleaved by waiting time, but each school fits in one group.
    waitlist = [entry(9, school=n % 2 + 1, waited=100 - n) for n in range(8)]
    first, second = propose_groups(waitlist, TERM_START, capacity=4)
    assert len({e.pupil.school_id for e in first.entries}) == 1
    assert len({e.pupil.school_id for e in second.entries}) == 1


def test_a_cut_never_leaves_one_pupil_alone_from_a_school_when_it_can_move() -> None:
    # Six of school 1 and four of school 2: even sizes 5 + 5 would leave one pupil of school 1
    # alone in the second group, so the cut moves to 6 + 4.
    school_1 = [entry(9, school=1, waited=w) for w in (90, 89, 88, 87, 86, 85)]
    school_2 = [entry(9, school=2, waited=w) for w in (60, 59, 58, 57)]
    first, second = propose_groups(school_1 + school_2, TERM_START, capacity=6)
    for proposal in (first, second):
        counts = [sum(1 for e in proposal.entries if e.pupil.school_id == s) for s in (1, 2)]
        assert 1 not in counts, counts
    assert [len(first.entries), len(second.entries)] == [6, 4]


def test_empty_waitlist_gives_no_proposals() -> None:
    assert propose_groups([], TERM_START) == []
