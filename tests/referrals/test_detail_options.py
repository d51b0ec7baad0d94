"""The referral page loads in one statement what it loaded in four, in the same order."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import joinedload, selectinload

from mestring.referrals.enums import ConsentMethod, ReferralStatus
from mestring.referrals.models import Consent, Pupil, Referral, ReferralStatusChange
from mestring.referrals.views import DETAIL_OPTIONS
from tests import factories as f
from tests.conftest import World

# The options the page had, a statement per collection: the reference for what is loaded.
SELECTED = [
    selectinload(Referral.history).joinedload(ReferralStatusChange.actor),
    selectinload(Referral.consents).joinedload(Consent.guardian),
    joinedload(Referral.pupil).selectinload(Pupil.guardians),
    joinedload(Referral.school),
]
T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _loaded(db: OrmSession, referral_id: int, options: list) -> tuple[list, ...]:
    db.expunge_all()
    referral = db.get(Referral, referral_id, options=options)
    assert referral is not None
    return (
        [(change.id, change.actor.name if change.actor else None) for change in referral.history],
        [(c.id, c.guardian.name if c.guardian else None) for c in referral.consents],
        [guardian.id for guardian in referral.pupil.guardians],
        [referral.pupil.id, referral.school.name],
    )


def test_the_joined_options_load_what_the_selected_did(
    world: World, db_session: OrmSession
) -> None:
    pupil = f.PupilFactory(school=world.bestum)
    guardians = [f.GuardianFactory(pupil=pupil, name=name) for name in ("Kari", "Ola", "Per")]
    referral = f.ReferralFactory(pupil=pupil, status="needs_info")
    # Added out of order, so that only the relationships' order_by puts them right.
    referral.history = [
        ReferralStatusChange(
            to_status=status, actor=actor, created_at=T0 + timedelta(minutes=minutes)
        )
        for status, actor, minutes in [
            (ReferralStatus.NEEDS_INFO, world.coordinator, 9),
            (ReferralStatus.SUBMITTED, world.school, 5),
            (ReferralStatus.DRAFT, None, 1),
        ]
    ]
    referral.consents = [
        Consent(guardian=guardian, given_on=date(2026, 10, day), method=ConsentMethod.SIGNED_FORM)
        for guardian, day in [(guardians[2], 20), (guardians[0], 3), (None, 11)]
    ]
    bare = f.ReferralFactory(pupil=f.PupilFactory(school=world.bestum))
    db_session.flush()
    for referral_id in (referral.id, bare.id, world.referral.id):
        joined = _loaded(db_session, referral_id, DETAIL_OPTIONS)
        assert joined == _loaded(db_session, referral_id, SELECTED)
    history, consents, guardian_ids, _ = _loaded(db_session, referral.id, DETAIL_OPTIONS)
    assert [name for _, name in history] == [None, world.school.name, world.coordinator.name]
    assert [name for _, name in consents] == ["Kari", None, "Per"]
    assert guardian_ids == sorted(guardian_ids) and len(guardian_ids) == 3
