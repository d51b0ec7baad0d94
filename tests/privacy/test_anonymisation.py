"""Consent withdrawal ends the referrals and anonymises the pupil for good; the numbers stay."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from mestring.attendance.models import Attendance
from mestring.core.errors import DomainError
from mestring.db import Base
from mestring.groups.models import GroupMembership, KeepApartPair
from mestring.outcomes.models import AbsenceRecord
from mestring.privacy.services import (
    ANONYMOUS_FIRST_NAME,
    anonymise_pupil,
    withdraw_consent,
)
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Guardian, Referral
from tests import factories as f
from tests.conftest import World
from tests.privacy.conftest import FIRST, LAST, NOW, Identified


def text_columns() -> list[sa.Column[object]]:
    """Every String, Text and JSON column of every table."""
    return [
        column
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, sa.String | sa.JSON)
    ]


def places_holding(db: OrmSession, text: str) -> list[str]:
    """table.column for every column where some row contains ``text`` (any case)."""
    found = []
    for column in text_columns():
        as_text = sa.func.lower(sa.cast(column, sa.Text))
        stmt = sa.select(sa.func.count()).select_from(column.table)
        if db.scalar(stmt.where(as_text.contains(text.lower()))):
            found.append(f"{column.table.name}.{column.name}")
    return found


def test_the_fixture_writes_the_name_in_many_places(
    db_session: OrmSession, identified: Identified
) -> None:
    assert len(places_holding(db_session, FIRST)) >= 8
    assert "guardians.name" in places_holding(db_session, LAST)


def test_withdrawal_leaves_the_name_nowhere_in_the_database(
    db_session: OrmSession, world: World, identified: Identified
) -> None:
    withdraw_consent(db_session, actor=world.coordinator, pupil=identified.pupil, now=NOW)
    db_session.expire_all()
    assert places_holding(db_session, FIRST) == []
    assert places_holding(db_session, LAST) == []
    assert places_holding(db_session, "BES-4242") == []
    assert places_holding(db_session, "guri.q@example.no") == []


def test_withdrawal_ends_consent_and_referrals_and_anonymises(
    db_session: OrmSession, world: World, identified: Identified
) -> None:
    pupil = identified.pupil
    withdraw_consent(db_session, actor=world.school, pupil=pupil, now=NOW)
    assert identified.consent.withdrawn_at == NOW
    assert identified.referral.status is ReferralStatus.WITHDRAWN
    last_change = identified.referral.history[-1]
    assert (last_change.from_status, last_change.to_status, last_change.actor) == (
        ReferralStatus.PLACED,
        ReferralStatus.WITHDRAWN,
        world.school,
    )
    assert (pupil.first_name, pupil.birth_date, pupil.pupil_ref, pupil.anonymised_at) == (
        ANONYMOUS_FIRST_NAME,
        date(2016, 1, 1),
        None,
        NOW,
    )
    assert db_session.scalars(sa.select(Guardian).where(Guardian.pupil_id == pupil.id)).all() == []
    assert db_session.scalar(sa.select(sa.func.count(KeepApartPair.id))) == 0
    referral = identified.referral
    assert (referral.worry_text, referral.measures_tried, referral.pupil_voice) == ("", "", "")
    assert (referral.travel_needs, referral.other_needs, identified.consent.note) == ("", "", "")
    assert identified.consent.guardian_id is None


def test_the_numbers_stay_for_outcome_statistics(
    db_session: OrmSession, world: World, identified: Identified
) -> None:
    pupil_id = identified.pupil.id

    def counts() -> tuple[int | None, ...]:
        return tuple(
            db_session.scalar(sa.select(sa.func.count()).where(model.pupil_id == pupil_id))
            for model in (Attendance, AbsenceRecord, GroupMembership)
        )

    before = counts()
    assert before == (1, 1, 1)
    figures = (identified.referral.school_days, identified.referral.days_undocumented)
    withdraw_consent(db_session, actor=world.coordinator, pupil=identified.pupil, now=NOW)
    assert counts() == before
    assert (identified.referral.school_days, identified.referral.days_undocumented) == figures


@pytest.mark.parametrize(
    "status",
    [
        ReferralStatus.DRAFT,
        ReferralStatus.SUBMITTED,
        ReferralStatus.NEEDS_INFO,
        ReferralStatus.ACCEPTED,
        ReferralStatus.PLACED,
    ],
)
def test_every_open_referral_becomes_withdrawn(
    db_session: OrmSession, world: World, status: ReferralStatus
) -> None:
    referral = f.ReferralFactory(pupil=f.PupilFactory(school=world.smestad), status=status)
    closed = f.ReferralFactory(pupil=referral.pupil, status=ReferralStatus.COMPLETED)
    withdraw_consent(db_session, actor=world.coordinator, pupil=referral.pupil, now=NOW)
    assert referral.status is ReferralStatus.WITHDRAWN
    assert closed.status is ReferralStatus.COMPLETED


def test_only_the_pupils_school_or_coordinator_may_withdraw(
    db_session: OrmSession, world: World
) -> None:
    for actor in (world.school_smestad, world.facilitator, world.coordinator_other, world.admin):
        with pytest.raises(DomainError):
            withdraw_consent(db_session, actor=actor, pupil=world.pupil, now=NOW)
    assert world.pupil.anonymised_at is None
    assert db_session.get(Referral, world.referral.id).status == ReferralStatus.PLACED


def test_anonymising_twice_changes_nothing_more(
    db_session: OrmSession, identified: Identified
) -> None:
    anonymise_pupil(db_session, pupil=identified.pupil, now=NOW)
    anonymise_pupil(db_session, pupil=identified.pupil, now=NOW.replace(year=2028))
    assert identified.pupil.anonymised_at == NOW


def test_other_pupils_keep_their_names(
    db_session: OrmSession, world: World, identified: Identified
) -> None:
    name = world.smestad_pupil.first_name
    withdraw_consent(db_session, actor=world.coordinator, pupil=identified.pupil, now=NOW)
    assert world.smestad_pupil.first_name == name
    assert places_holding(db_session, name) == ["pupils.first_name"]
