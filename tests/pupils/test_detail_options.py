"""The pupil page loads in one statement what it loaded in three, in the same order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import joinedload, selectinload

from mestring.pupils.views import DETAIL_OPTIONS
from mestring.referrals.models import Pupil
from tests import factories as f
from tests.conftest import World

# The options the page had, a statement per collection: the reference for what is loaded.
SELECTED = [
    joinedload(Pupil.school),
    selectinload(Pupil.guardians),
    selectinload(Pupil.referrals),
]
T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _loaded(db: OrmSession, pupil_id: int, options: list) -> tuple[list, ...]:
    db.expunge_all()
    pupil = db.get(Pupil, pupil_id, options=options)
    assert pupil is not None
    return (
        [guardian.id for guardian in pupil.guardians],
        [referral.id for referral in pupil.referrals],
        [pupil.school.name],
    )


def test_the_joined_options_load_what_the_selected_did(
    world: World, db_session: OrmSession
) -> None:
    pupil = f.PupilFactory(school=world.bestum)
    for name in ("Kari", "Ola"):
        f.GuardianFactory(pupil=pupil, name=name)
    # Created out of order, so that only the relationship's order_by (newest first) sorts them.
    referrals = [
        f.ReferralFactory(pupil=pupil, status=status, created_at=T0 + timedelta(days=days))
        for status, days in [("withdrawn", 3), ("declined", 1), ("submitted", 7)]
    ]
    db_session.flush()
    for pupil_id in (pupil.id, world.pupil.id, world.smestad_pupil.id):
        assert _loaded(db_session, pupil_id, DETAIL_OPTIONS) == _loaded(
            db_session, pupil_id, SELECTED
        )
    _, referral_ids, _ = _loaded(db_session, pupil.id, DETAIL_OPTIONS)
    assert referral_ids == [referrals[2].id, referrals[0].id, referrals[1].id]
