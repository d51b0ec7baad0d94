"""Helpers for the groups tests: waitlisted referrals, a template with sessions, a clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from mestring.accounts.models import School
from mestring.groups.enums import SessionMode
from mestring.groups.models import CourseTemplate, KeepApartPair, TemplateSession
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Referral
from tests import factories as f
from tests.conftest import World

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)

Waitlisted = Callable[..., Referral]


@pytest.fixture
def waitlisted(db_session: OrmSession) -> Waitlisted:
    """An accepted referral (on the waitlist) of a pupil at ``school``."""

    def make(
        school: School,
        *,
        birth_date: date = date(2017, 5, 1),
        days_waiting: int = 30,
        digital_access: bool = True,
        first_name: str | None = None,
    ) -> Referral:
        pupil_kwargs = {"school": school, "birth_date": birth_date}
        if first_name:
            pupil_kwargs["first_name"] = first_name
        return f.ReferralFactory(
            pupil=f.PupilFactory(**pupil_kwargs),
            status=ReferralStatus.ACCEPTED,
            submitted_at=NOW - timedelta(days=days_waiting),
            digital_access=digital_access,
        )

    return make


@pytest.fixture
def hybrid_template(db_session: OrmSession) -> CourseTemplate:
    """A shipped template with one physical and one digital session."""
    template = CourseTemplate(
        district_id=None,
        name="Hybrid for test",
        sessions=[
            TemplateSession(position=1, title="Fysisk", mode=SessionMode.PHYSICAL),
            TemplateSession(position=2, title="Digital", mode=SessionMode.DIGITAL),
        ],
    )
    db_session.add(template)
    db_session.flush()
    return template


@pytest.fixture
def own_template(db_session: OrmSession, world: World) -> CourseTemplate:
    """A template owned by Ullern with three sessions."""
    template = CourseTemplate(
        district_id=world.coordinator.district_id,
        name="Ullerns mal",
        sessions=[
            TemplateSession(position=n, title=f"Samling {n}", mode=SessionMode.PHYSICAL)
            for n in (1, 2, 3)
        ],
    )
    db_session.add(template)
    db_session.flush()
    return template


def keep_apart_pairs(db: OrmSession, district_id: int | None) -> list[tuple[int, int]]:
    """The district's keep-apart pairs read on their own, as the pages once did."""
    rows = db.execute(
        sa.select(KeepApartPair.pupil_a_id, KeepApartPair.pupil_b_id).where(
            KeepApartPair.district_id == district_id
        )
    )
    return [(a, b) for a, b in rows]
