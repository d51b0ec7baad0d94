"""The start pages' lists read as plain rows hold what the loaded referrals showed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session as OrmSession

from mestring.accounts.models import User
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.fragments import ReferralLine
from mestring.referrals.models import Referral
from mestring.referrals.queries import ReferralFilters, referrals_in_scope, triage_queue
from tests import factories as f
from tests.conftest import World

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _old_queue(db: OrmSession, user: User, limit: int) -> list[ReferralLine]:
    """The queue as the start page loaded it: referrals with their pupil and school."""
    stmt = (
        referrals_in_scope(user, ReferralFilters(status=ReferralStatus.SUBMITTED))
        .order_by(None)
        .order_by(Referral.submitted_at.asc(), Referral.id.asc())
        .limit(limit)
    )
    referrals = db.scalars(stmt).unique()
    return [ReferralLine.of(r, show_school=True, show_message=False) for r in referrals]


def test_the_queue_is_the_districts_submitted_referrals_oldest_first(
    world: World, db_session: OrmSession
) -> None:
    for days, school in [(3, world.smestad), (9, world.bestum), (3, world.bestum)]:
        pupil = f.PupilFactory(school=school)
        f.GuardianFactory(pupil=pupil, interpreter_needed=True)
        f.ReferralFactory(pupil=pupil, submitted_at=T0 - timedelta(days=days))
    f.ReferralFactory(pupil=f.PupilFactory(school=world.bestum), status="accepted")
    f.ReferralFactory(pupil=f.PupilFactory(school=world.other_school), submitted_at=T0)
    db_session.flush()
    coordinator = world.coordinator

    for limit in (2, 10):
        queue = triage_queue(db_session, coordinator.district_id, limit)
        assert [ReferralLine._make(row) for row in queue] == _old_queue(
            db_session, coordinator, limit
        )
    lines = [
        ReferralLine._make(row) for row in triage_queue(db_session, coordinator.district_id, 10)
    ]
    assert len(lines) == 4  # the world's Smestad referral and the three above
    assert [line.school_name for line in lines[:1]] == ["Bestum skole"]
    assert sum(line.needs_interpreter for line in lines) == 3
    others = triage_queue(db_session, world.coordinator_other.district_id, 10)
    assert [ReferralLine._make(row).school_name for row in others] == ["Uranienborg skole"] * 2
