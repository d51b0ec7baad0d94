"""Consent gate, age limits, duplicate detection and stale saves."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session as OrmSession

from mestring.core.errors import DomainError, InvalidTransition, StaleEdit
from mestring.referrals.eligibility import next_term_start
from mestring.referrals.enums import ConsentMethod
from mestring.referrals.enums import ReferralStatus as S
from mestring.referrals.models import Referral
from mestring.referrals.services import (
    DuplicateReferral,
    ReferralInput,
    create_referral,
    move_referral,
    record_consent,
    update_referral,
)
from tests import factories as f
from tests.conftest import World
from tests.referrals.conftest import TERM_START

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def draft(world: World, birth_date: date = date(2016, 5, 20), **referral: object) -> Referral:
    pupil = f.PupilFactory(school=world.bestum, birth_date=birth_date)
    f.GuardianFactory(pupil=pupil)
    return f.ReferralFactory(pupil=pupil, status=S.DRAFT, submitted_at=None, **referral)


def consent(db: OrmSession, world: World, referral: Referral, **overrides: object) -> None:
    values = {
        "guardian": referral.pupil.guardians[0],
        "given_on": date(2026, 11, 20),
        "method": ConsentMethod.SIGNED_FORM,
        "note": "",
        "covers_participation": True,
        "covers_sharing": True,
        "covers_absence_data": True,
        **overrides,
    }
    record_consent(db, actor=world.school, referral=referral, now=NOW, **values)  # type: ignore[arg-type]


def submit(db: OrmSession, world: World, referral: Referral) -> None:
    move_referral(
        db,
        actor=world.school,
        referral=referral,
        target=S.SUBMITTED,
        comment="",
        term_start=TERM_START,
        now=NOW,
    )


def test_submitting_without_consent_is_refused(db_session: OrmSession, world: World) -> None:
    referral = draft(world)
    with pytest.raises(InvalidTransition, match="consent"):
        submit(db_session, world, referral)
    assert referral.status is S.DRAFT


def test_consent_that_does_not_cover_participation_does_not_open_the_gate(
    db_session: OrmSession, world: World
) -> None:
    referral = draft(world)
    consent(db_session, world, referral, covers_participation=False)
    with pytest.raises(InvalidTransition):
        submit(db_session, world, referral)


def test_submitting_with_consent_sets_status_and_time(db_session: OrmSession, world: World) -> None:
    referral = draft(world)
    consent(db_session, world, referral)
    submit(db_session, world, referral)
    assert referral.status is S.SUBMITTED
    assert referral.submitted_at == NOW


def test_verbal_consent_needs_a_note(db_session: OrmSession, world: World) -> None:
    referral = draft(world)
    with pytest.raises(DomainError, match="note"):
        consent(db_session, world, referral, method=ConsentMethod.VERBAL, note=" ")
    consent(db_session, world, referral, method=ConsentMethod.VERBAL, note="Mor på telefon.")
    assert referral.consents[0].note == "Mor på telefon."


def test_consent_from_another_pupils_guardian_is_refused(
    db_session: OrmSession, world: World
) -> None:
    referral = draft(world)
    stranger = f.GuardianFactory(pupil=f.PupilFactory(school=world.bestum))
    with pytest.raises(DomainError):
        consent(db_session, world, referral, guardian=stranger)


@pytest.mark.parametrize(
    ("birth_date", "allowed"),
    [
        (date(2019, 1, 5), False),  # 7 on the start: one day short of 8
        (date(2019, 1, 4), True),  # 8 on the start
        (date(2013, 1, 5), True),  # still 13 on the start
        (date(2013, 1, 4), False),  # 14 on the start
    ],
)
def test_age_on_the_planned_start_decides(
    db_session: OrmSession, world: World, birth_date: date, allowed: bool
) -> None:
    referral = draft(world, birth_date=birth_date, planned_start=None)
    consent(db_session, world, referral)
    if allowed:
        submit(db_session, world, referral)
        assert referral.status is S.SUBMITTED
    else:
        with pytest.raises(InvalidTransition, match="course is for pupils"):
            submit(db_session, world, referral)
        assert referral.status is S.DRAFT


def test_a_planned_start_on_the_form_overrides_the_term(
    db_session: OrmSession, world: World
) -> None:
    referral = draft(world, birth_date=date(2019, 3, 1), planned_start=date(2027, 8, 17))
    consent(db_session, world, referral)
    submit(db_session, world, referral)
    assert referral.status is S.SUBMITTED


def referral_input(**pupil: object) -> ReferralInput:
    values = {
        "first_name": "Nora",
        "last_name": "Berg",
        "birth_date": date(2016, 5, 20),
        "grade": 4,
        "pupil_ref": "BES-0101",
        **pupil,
    }
    return ReferralInput(
        pupil=values,
        guardians=[{"name": "Kari Berg", "phone": "900 00 001", "language": "norsk"}],
        referral={"worry_text": "Mye fravær.", "school_days": 50, "days_documented": 2},
    )


def test_create_makes_a_draft_with_pupil_guardian_and_history(
    db_session: OrmSession, world: World
) -> None:
    referral = create_referral(db_session, actor=world.school, data=referral_input(), now=NOW)
    assert referral.status is S.DRAFT
    assert referral.school == world.bestum
    assert referral.pupil.school == world.bestum
    assert [g.name for g in referral.pupil.guardians] == ["Kari Berg"]
    assert [(c.from_status, c.to_status) for c in referral.history] == [(None, S.DRAFT)]


@pytest.mark.parametrize(
    "same_pupil",
    [
        {"pupil_ref": "BES-0101", "first_name": "Annen", "last_name": "Elev"},
        {"pupil_ref": None, "first_name": "nora", "last_name": "BERG"},
    ],
)
def test_an_active_referral_blocks_a_second_one(
    db_session: OrmSession, world: World, same_pupil: dict[str, object]
) -> None:
    first = create_referral(db_session, actor=world.school, data=referral_input(), now=NOW)
    with pytest.raises(DuplicateReferral) as caught:
        create_referral(db_session, actor=world.school, data=referral_input(**same_pupil), now=NOW)
    assert caught.value.existing == first


def test_a_closed_referral_does_not_block_a_new_one(db_session: OrmSession, world: World) -> None:
    first = create_referral(db_session, actor=world.school, data=referral_input(), now=NOW)
    first.status = S.DECLINED
    second = create_referral(db_session, actor=world.school, data=referral_input(), now=NOW)
    assert second.id != first.id


def test_the_same_name_at_another_school_of_the_district_is_found(
    db_session: OrmSession, world: World
) -> None:
    create_referral(db_session, actor=world.school, data=referral_input(), now=NOW)
    with pytest.raises(DuplicateReferral):
        create_referral(
            db_session, actor=world.school_smestad, data=referral_input(pupil_ref="SME-1"), now=NOW
        )


def test_a_stale_edit_is_refused_and_changes_nothing(db_session: OrmSession, world: World) -> None:
    referral = create_referral(db_session, actor=world.school, data=referral_input(), now=NOW)
    db_session.commit()
    opened_version = referral.version_id
    update_referral(
        db_session,
        actor=world.school,
        referral=referral,
        data=referral_input(first_name="Norah"),
        version=opened_version,
        now=NOW,
    )
    db_session.commit()
    with pytest.raises(StaleEdit):
        update_referral(
            db_session,
            actor=world.school,
            referral=referral,
            data=referral_input(first_name="Nina"),
            version=opened_version,
            now=NOW,
        )
    assert referral.pupil.first_name == "Norah"


def test_the_school_cannot_edit_after_submission(db_session: OrmSession, world: World) -> None:
    referral = draft(world)
    referral.status = S.SUBMITTED
    with pytest.raises(InvalidTransition):
        update_referral(
            db_session,
            actor=world.school,
            referral=referral,
            data=referral_input(),
            version=None,
            now=NOW,
        )
    update_referral(
        db_session,
        actor=world.coordinator,
        referral=referral,
        data=referral_input(first_name="Rettet"),
        version=None,
        now=NOW,
    )
    assert referral.pupil.first_name == "Rettet"


def test_the_coming_term_start_prefers_a_known_term() -> None:
    today = date(2026, 11, 23)
    assert next_term_start(today, [date(2027, 1, 11)], [(1, 4), (8, 17)]) == date(2027, 1, 11)
    assert next_term_start(today, [date(2026, 8, 17)], [(1, 4), (8, 17)]) == date(2027, 1, 4)
    assert next_term_start(date(2027, 2, 1), [], [(1, 4), (8, 17)]) == date(2027, 8, 17)
