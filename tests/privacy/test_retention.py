"""Retention: inactive pupils and pupils whose referrals all ended lose their identity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session as OrmSession

from mestring.audit.models import AuditEvent
from mestring.core.time import now_utc
from mestring.privacy.services import (
    RetentionReason,
    apply_retention,
    months_before,
    retention_candidates,
)
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Pupil, Referral
from tests import factories as f
from tests.conftest import World


def pupil_with(
    world: World, status: ReferralStatus, days_ago: int, *, absence_days_ago: int | None = None
) -> Pupil:
    """A Bestum pupil whose every timestamp lies ``days_ago`` days back."""
    then = now_utc() - timedelta(days=days_ago)
    pupil = f.PupilFactory(school=world.bestum, created_at=then)
    f.ReferralFactory(pupil=pupil, status=status, created_at=then, updated_at=then)
    if absence_days_ago is not None:
        end = (now_utc() - timedelta(days=absence_days_ago)).date()
        f.AbsenceRecordFactory(pupil=pupil, starts_on=end - timedelta(days=90), ends_on=end)
    return pupil


@pytest.fixture
def aged(db_session: OrmSession, world: World) -> dict[str, Pupil]:
    return {
        "inactive": pupil_with(world, ReferralStatus.COMPLETED, 400),
        "recent_absence": pupil_with(world, ReferralStatus.COMPLETED, 400, absence_days_ago=200),
        "declined_long_ago": pupil_with(world, ReferralStatus.DECLINED, 120),
        "declined_lately": pupil_with(world, ReferralStatus.DECLINED, 30),
        "waiting": pupil_with(world, ReferralStatus.SUBMITTED, 400),
    }


def test_months_before_clamps_to_the_end_of_the_month() -> None:
    moment = datetime(2027, 3, 31, 8, 0, tzinfo=UTC)
    assert months_before(moment, 1) == datetime(2027, 2, 28, 8, 0, tzinfo=UTC)
    assert months_before(moment, 12) == datetime(2026, 3, 31, 8, 0, tzinfo=UTC)
    assert months_before(moment, 15) == datetime(2025, 12, 31, 8, 0, tzinfo=UTC)


def test_candidates_are_the_inactive_and_the_long_ended(
    db_session: OrmSession, world: World, aged: dict[str, Pupil]
) -> None:
    found = retention_candidates(db_session, now=now_utc(), retention_months=12)
    assert {(c.pupil_id, c.reason) for c in found} == {
        (aged["inactive"].id, RetentionReason.INACTIVE),
        (aged["declined_long_ago"].id, RetentionReason.REFERRALS_ENDED),
    }
    assert {c.school_name for c in found} == {world.bestum.name}


def test_a_shorter_retention_takes_more(
    db_session: OrmSession, world: World, aged: dict[str, Pupil]
) -> None:
    found = retention_candidates(db_session, now=now_utc(), retention_months=6)
    assert aged["recent_absence"].id in {c.pupil_id for c in found}
    assert world.pupil.id not in {c.pupil_id for c in found}


def test_apply_anonymises_and_audits_each(
    db_session: OrmSession, world: World, aged: dict[str, Pupil]
) -> None:
    done = apply_retention(db_session, now=now_utc(), retention_months=12)
    assert len(done) == 2
    assert aged["inactive"].anonymised_at is not None
    assert aged["declined_long_ago"].anonymised_at is not None
    assert aged["waiting"].anonymised_at is None
    events = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "retention_anonymise")
    ).all()
    assert sorted(e.pupil_id for e in events) == sorted(c.pupil_id for c in done)
    assert retention_candidates(db_session, now=now_utc(), retention_months=12) == []


def test_the_command_lists_without_names_then_anonymises(
    app: Flask, db_session: OrmSession, world: World, aged: dict[str, Pupil]
) -> None:
    names = [pupil.first_name for pupil in aged.values()]
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["mestring", "retention", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"pupil {aged['inactive'].id:>6}" in dry.output
    assert "referrals_ended" in dry.output
    assert not any(name in dry.output for name in names)
    assert aged["inactive"].anonymised_at is None

    real = runner.invoke(args=["mestring", "retention"])
    assert real.exit_code == 0, real.output
    assert "Anonymised 2 pupil(s)" in real.output
    db_session.expire_all()
    assert db_session.get(Pupil, aged["inactive"].id).anonymised_at is not None
    waiting = db_session.get(Pupil, aged["waiting"].id)
    assert waiting.anonymised_at is None
    referral = db_session.scalars(sa.select(Referral).where(Referral.pupil_id == waiting.id)).one()
    assert referral.status is ReferralStatus.SUBMITTED
