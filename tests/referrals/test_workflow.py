"""The transition table: every allowed step works for its roles, everything else is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session as OrmSession

from mestring.core.errors import InvalidTransition
from mestring.referrals.enums import ReferralStatus as S
from mestring.referrals.workflow import TRANSITIONS, change_status, find_transition
from tests import factories as f
from tests.conftest import World

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
STEPS = [(t.source, t.target, role) for t in TRANSITIONS for role in t.roles]
REFUSED = [
    (source, target)
    for source in S
    for target in S
    if source != target and find_transition(source, target) is None
]


@pytest.mark.parametrize(("source", "target", "role"), STEPS)
def test_allowed_step_is_made_and_recorded(
    db_session: OrmSession, world: World, source: S, target: S, role: str
) -> None:
    referral = f.ReferralFactory(pupil=f.PupilFactory(school=world.bestum), status=source)
    actor = world.school if role == "school" else world.coordinator
    change = change_status(
        db_session, actor=actor, referral=referral, target=target, now=NOW, comment="Fordi."
    )
    assert referral.status == target
    assert (change.from_status, change.to_status, change.actor, change.comment) == (
        source,
        target,
        actor,
        "Fordi.",
    )
    assert referral.history[-1] is change


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_step_outside_the_table_is_refused(
    db_session: OrmSession, world: World, source: S, target: S
) -> None:
    referral = f.ReferralFactory(pupil=f.PupilFactory(school=world.bestum), status=source)
    for actor in (world.school, world.coordinator):
        with pytest.raises(InvalidTransition):
            change_status(db_session, actor=actor, referral=referral, target=target, now=NOW)
    assert referral.status == source
    assert referral.history == []


@pytest.mark.parametrize(
    ("source", "target", "wrong_role"),
    [
        (S.SUBMITTED, S.ACCEPTED, "school"),
        (S.SUBMITTED, S.DECLINED, "school"),
        (S.DRAFT, S.SUBMITTED, "coordinator"),
        (S.NEEDS_INFO, S.SUBMITTED, "coordinator"),
        (S.ACCEPTED, S.PLACED, "school"),
    ],
)
def test_step_by_a_role_it_does_not_belong_to_is_refused(
    db_session: OrmSession, world: World, source: S, target: S, wrong_role: str
) -> None:
    referral = f.ReferralFactory(pupil=f.PupilFactory(school=world.bestum), status=source)
    actor = getattr(world, wrong_role)
    with pytest.raises(InvalidTransition):
        change_status(
            db_session, actor=actor, referral=referral, target=target, now=NOW, comment="x"
        )


@pytest.mark.parametrize(
    ("source", "target"),
    [(S.SUBMITTED, S.DECLINED), (S.SUBMITTED, S.NEEDS_INFO), (S.NEEDS_INFO, S.SUBMITTED)],
)
def test_decline_question_and_answer_need_a_comment(
    db_session: OrmSession, world: World, source: S, target: S
) -> None:
    referral = f.ReferralFactory(pupil=f.PupilFactory(school=world.bestum), status=source)
    actor = world.school if target is S.SUBMITTED else world.coordinator
    with pytest.raises(InvalidTransition):
        change_status(
            db_session, actor=actor, referral=referral, target=target, now=NOW, comment="  "
        )


def test_a_school_cannot_move_another_schools_referral(
    db_session: OrmSession, world: World
) -> None:
    referral = f.ReferralFactory(pupil=f.PupilFactory(school=world.smestad), status=S.DRAFT)
    with pytest.raises(InvalidTransition):
        change_status(
            db_session, actor=world.school, referral=referral, target=S.SUBMITTED, now=NOW
        )


def test_a_coordinator_cannot_move_another_districts_referral(
    db_session: OrmSession, world: World
) -> None:
    referral = f.ReferralFactory(pupil=f.PupilFactory(school=world.other_school))
    with pytest.raises(InvalidTransition):
        change_status(
            db_session, actor=world.coordinator, referral=referral, target=S.ACCEPTED, now=NOW
        )
