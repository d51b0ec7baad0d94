"""Helpers for the attendance tests: a clock, past sessions and more pupils in the world's group."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from mestring.groups.models import Group, GroupMembership
from mestring.referrals.enums import ReferralStatus
from mestring.scheduling.models import Session
from tests import factories as f

# The tests' "now": a Monday evening in November 2026, after the sessions below.
NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
# Tuesdays from 1 September 2026 (weekly, the eleventh on 10 November).
FIRST = datetime(2026, 9, 1, 11, 0, tzinfo=UTC)


def past_sessions(group: Group, count: int, *, start: datetime = FIRST) -> list[Session]:
    """``count`` weekly children's sessions of the group, the first on ``start``."""
    return [
        f.SessionFactory(group=group, title=f"Samling {n}", starts_at=start + timedelta(weeks=n))
        for n in range(count)
    ]


def add_pupil(group: Group, first_name: str, **referral: object) -> GroupMembership:
    """Another placed pupil in the group, at the group's first pupil's school."""
    school = group.memberships[0].pupil.school if group.memberships else None
    pupil = f.PupilFactory(first_name=first_name, **({"school": school} if school else {}))
    return f.MembershipFactory(
        group=group,
        referral=f.ReferralFactory(pupil=pupil, **{"status": ReferralStatus.PLACED, **referral}),
    )


@pytest.fixture
def count_queries(db_session: OrmSession) -> Any:
    """``with count_queries() as queries:`` collects the SQL statements run inside."""

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []
        engine = db_session.get_bind().engine

        def record(*args: Any) -> None:
            statements.append(args[2])

        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)

    return counting
