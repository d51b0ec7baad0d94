"""The follow-up list reads its facts in its own statement: for attendance of every shape it
flags the same pupils, for the same reasons, as each group's attendance page (`summarise`)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from mestring.attendance.enums import AttendanceStatus
from mestring.attendance.models import Attendance
from mestring.attendance.queries import district_flags, group_attendance
from mestring.groups.enums import GroupStatus
from mestring.groups.models import Group
from mestring.referrals.enums import ReferralStatus
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session
from tests import factories as f
from tests.attendance.conftest import FIRST, add_pupil
from tests.conftest import World

# No mark is as likely as each status: a pupil often joins after the first sessions.
MARKS = [None, *AttendanceStatus]
# A session's status and whether it is a parent meeting, held children's sessions the likeliest.
SESSION_KINDS = [
    (SessionStatus.PLANNED, False),
    (SessionStatus.HELD, False),
    (SessionStatus.HELD, False),
    (SessionStatus.HELD, False),
    (SessionStatus.CANCELLED, False),
    (SessionStatus.HELD, True),
]


def _sessions(rng: random.Random, group: Group, count: int) -> list[Session]:
    sessions = []
    for n in range(count):
        status, guardians_attend = rng.choice(SESSION_KINDS)
        # Every fourth session starts with the one before it: the order falls back on the id.
        week = n - 1 if n % 4 == 3 else n
        sessions.append(
            f.SessionFactory(
                group=group,
                starts_at=FIRST + timedelta(weeks=week),
                status=status,
                guardians_attend=guardians_attend,
            )
        )
    # Sessions are not created in the order they start.
    rng.shuffle(sessions)
    return sessions


def _mark(rng: random.Random, db: OrmSession, sessions: list[Session], pupil_id: int) -> None:
    for session in sessions:
        status = rng.choice(MARKS)
        if status is not None:
            db.add(Attendance(session=session, pupil_id=pupil_id, status=status))


@pytest.mark.parametrize("seed", range(6))
def test_the_list_flags_as_the_groups_own_pages(
    world: World, db_session: OrmSession, seed: int
) -> None:
    rng = random.Random(seed)
    world.group.status = GroupStatus.RUNNING
    groups = [world.group] + [
        f.GroupFactory(district=world.group.district, status=GroupStatus.RUNNING) for _ in range(2)
    ]
    # Neither a finished group nor another district's group is listed.
    groups.append(f.GroupFactory(district=world.group.district, status=GroupStatus.FINISHED))
    groups.append(f.GroupFactory(status=GroupStatus.RUNNING))
    for index, group in enumerate(groups):
        sessions = _sessions(rng, group, rng.randint(0, 10))
        for n in range(rng.randint(1, 6)):
            status = rng.choice(
                [ReferralStatus.PLACED, ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN]
            )
            member = add_pupil(group, f"Elev {index}-{n}", status=status)
            _mark(rng, db_session, sessions, member.pupil_id)
        if group is not world.group:
            # The world's pupil is in every group, with marks of their own in each.
            f.MembershipFactory(
                group=group,
                referral=f.ReferralFactory(pupil=world.pupil, status=ReferralStatus.PLACED),
            )
        _mark(rng, db_session, sessions, world.pupil.id)
    db_session.flush()

    expected = []
    listed = db_session.scalars(
        sa.select(Group).where(
            Group.district_id == world.group.district_id, Group.status == GroupStatus.RUNNING
        )
    )
    for group in listed:
        for member, summary in group_attendance(db_session, group).flagged:
            expected.append(
                (
                    group.name,
                    member.pupil.first_name,
                    member.pupil.last_name,
                    member.pupil_id,
                    group.id,
                    summary,
                )
            )
    expected.sort(key=lambda row: row[:5])
    found = [
        (
            item.group.name,
            item.pupil.first_name,
            item.pupil.last_name,
            item.pupil.id,
            item.group.id,
            item.summary,
        )
        for item in district_flags(db_session, world.group.district_id)
    ]
    assert found == expected
    assert found, "the seed gives no flagged pupil"
