"""The waitlist, with the accepted status written into its statements: the district's accepted
referrals, longest waiting first, as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session as OrmSession

from mestring.groups.queries import waitlist_entries, waitlist_names
from mestring.referrals.enums import ReferralStatus
from tests import factories as f
from tests.conftest import World
from tests.statements import counting


def test_the_waitlist_is_the_districts_accepted_referrals_longest_waiting_first(
    db_session: OrmSession, world: World
) -> None:
    start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    waiting = [
        f.ReferralFactory(
            pupil=f.PupilFactory(school=school),
            status=ReferralStatus.ACCEPTED,
            submitted_at=start + timedelta(days=days),
        )
        for school, days in ((world.smestad, 3), (world.bestum, 1), (world.bestum, 2))
    ]
    # Not waiting: another status, or a school of another district.
    for status in (ReferralStatus.SUBMITTED, ReferralStatus.PLACED, ReferralStatus.DECLINED):
        f.ReferralFactory(pupil=f.PupilFactory(school=world.bestum), status=status)
    f.ReferralFactory(
        pupil=f.PupilFactory(school=world.other_school), status=ReferralStatus.ACCEPTED
    )
    db_session.flush()
    expected = [waiting[1].id, waiting[2].id, waiting[0].id]
    district_id = world.coordinator.district_id

    with counting(db_session) as statements:
        names = waitlist_names(db_session, district_id)
        entries = waitlist_entries(db_session, district_id)

    assert [row.id for row in names] == expected
    assert [entry.referral_id for entry in entries] == expected
    assert names[2].school_name == "Smestad skole" == entries[2].pupil.school_name
    # The status is no bound parameter: a prepared statement's generic plan knows it.
    assert len(statements) == 2
    assert all("'accepted'" in statement for statement in statements)
