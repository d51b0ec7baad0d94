"""A pupil whose name is written everywhere the programme can hold it, for anonymisation tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session as OrmSession

from mestring.attendance.enums import AttendanceStatus
from mestring.attendance.models import Attendance
from mestring.groups.models import KeepApartPair
from mestring.referrals.enums import ConsentMethod, ReferralStatus
from mestring.referrals.models import Consent, Pupil, Referral, ReferralStatusChange
from mestring.scheduling.models import SessionChange
from tests import factories as f
from tests.conftest import World

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
FIRST = "Tirill"
LAST = "Qvistgaard"


@dataclass
class Identified:
    pupil: Pupil
    referral: Referral
    consent: Consent


@pytest.fixture
def identified(db_session: OrmSession, world: World) -> Identified:
    """world.pupil (placed in world.group) renamed, with guardians, consent, notes and figures."""
    pupil = world.pupil
    pupil.first_name, pupil.last_name = FIRST, LAST
    pupil.pupil_ref = "BES-4242"
    pupil.birth_date = date(2016, 9, 23)
    guardian = f.GuardianFactory(
        pupil=pupil, name=f"Guri {LAST}", email="guri.q@example.no", phone="+47 911 11 111"
    )
    referral = world.referral
    referral.worry_text = f"{FIRST} er mye borte."
    referral.measures_tried = f"Samtaler med {FIRST} {LAST}."
    referral.pupil_voice = f"{FIRST} sier at det er vondt i magen."
    referral.travel_needs = "Følge fra SFO."
    referral.other_needs = f"Nøtteallergi ({LAST})."
    consent = Consent(
        referral=referral,
        guardian=guardian,
        given_on=date(2026, 11, 1),
        method=ConsentMethod.VERBAL,
        note=f"Muntlig fra mor til {FIRST} på telefon.",
    )
    db_session.add(consent)
    db_session.add(
        ReferralStatusChange(
            referral=referral,
            from_status=ReferralStatus.ACCEPTED,
            to_status=ReferralStatus.PLACED,
            comment=f"{FIRST} plassert i gruppen.",
        )
    )
    world.session.note = f"{FIRST.upper()} var stille i dag; {LAST} trenger følge."
    db_session.add(
        SessionChange(
            session=world.session,
            summary=f"Flyttet for {FIRST}",
            changes={"reason": f"{FIRST} {LAST} har tannlege"},
        )
    )
    low, high = sorted((pupil.id, world.smestad_pupil.id))
    db_session.add(
        KeepApartPair(
            district_id=world.group.district_id,
            pupil_a_id=low,
            pupil_b_id=high,
            note=f"{FIRST} og Smestad-eleven krangler.",
        )
    )
    db_session.add(Attendance(session=world.session, pupil=pupil, status=AttendanceStatus.PRESENT))
    f.AbsenceRecordFactory(pupil=pupil)
    db_session.flush()
    return Identified(pupil=pupil, referral=referral, consent=consent)
