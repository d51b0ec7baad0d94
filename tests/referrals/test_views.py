"""The referral pages as a school and a coordinator use them."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring.referrals.enums import ReferralStatus as S
from mestring.referrals.models import Referral
from tests import factories as f
from tests.conftest import World, sign_in
from tests.referrals.conftest import referral_form


def newest_referral(db: OrmSession) -> Referral:
    referral = db.scalars(sa.select(Referral).order_by(Referral.id.desc()).limit(1)).one()
    db.refresh(referral)
    return referral


def record_consent(client: FlaskClient, referral: Referral) -> None:
    response = client.post(
        f"/referrals/{referral.id}/consent",
        data={
            "guardian": str(referral.pupil.guardians[0].id),
            "given_on": "2026-11-12",
            "method": "signed_form",
            "covers_participation": "y",
            "covers_sharing": "y",
            "covers_absence_data": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def move(client: FlaskClient, referral: Referral, target: str, comment: str = "") -> str:
    response = client.post(
        f"/referrals/{referral.id}/status/{target}",
        data={f"{target}-comment": comment},
        follow_redirects=True,
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_school_and_coordinator_walk_a_referral_to_the_waitlist(
    app: Any, db_session: OrmSession, world: World
) -> None:
    school, coordinator = app.test_client(), app.test_client()
    sign_in(school, world.school)
    sign_in(coordinator, world.coordinator)

    response = school.post("/referrals/new", data=referral_form())
    assert response.status_code == 302
    referral = newest_referral(db_session)
    assert referral.status is S.DRAFT
    assert referral.pupil.full_name == "Nora Berg"
    assert coordinator.get(f"/referrals/{referral.id}").status_code == 404  # drafts stay home

    page = move(school, referral, "submitted")
    assert "samtykke" in page  # refused: no consent yet
    assert newest_referral(db_session).status is S.DRAFT

    record_consent(school, referral)
    move(school, referral, "submitted")
    assert newest_referral(db_session).status is S.SUBMITTED
    assert "Nora Berg" in coordinator.get("/").get_data(as_text=True)  # in the queue

    move(coordinator, referral, "needs_info", "Hvor mange timer fravær i oktober?")
    school_page = school.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Hvor mange timer fravær i oktober?" in school_page
    assert "Hvor mange timer fravær i oktober?" in school.get("/").get_data(as_text=True)

    move(school, referral, "submitted", "Tolv timer.")
    move(coordinator, referral, "accepted")
    referral = newest_referral(db_session)
    assert referral.status is S.ACCEPTED
    assert [(c.from_status, c.to_status) for c in referral.history] == [
        (None, S.DRAFT),
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.NEEDS_INFO),
        (S.NEEDS_INFO, S.SUBMITTED),
        (S.SUBMITTED, S.ACCEPTED),
    ]
    timeline = school.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Tolv timer." in timeline


def test_decline_without_reason_is_refused_in_norwegian(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    referral = f.ReferralFactory(pupil=f.PupilFactory(school=world.bestum))
    sign_in(client, world.coordinator)
    page = move(client, referral, "declined")
    assert "Skriv begrunnelsen" in page
    db_session.refresh(referral)
    assert referral.status is S.SUBMITTED


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Dette feltet er påkrevd"),
        ("birth_date", "20.05.2016", "Ikke en gyldig datoverdi"),
        ("grade", "11", "mellom 1 og 10"),
        ("guardians-0-name", "", "Oppgi minst én foresatt"),
        ("guardians-0-email", "ikke-en-adresse", "Ugyldig e-postadresse"),
        ("worry_text", "", "Dette feltet er påkrevd"),
        ("school_days", "-1", "mellom 0 og 10000"),
        ("days_documented", "70", "Flere fraværsdager enn skoledager"),
        ("hours_documented", "400", "Flere fraværstimer enn undervisningstimer"),
        ("digital_access", "kanskje", "Ikke et gyldig valg"),
    ],
)
def test_every_invalid_field_gets_a_norwegian_error_and_nothing_is_saved(
    client: FlaskClient, db_session: OrmSession, world: World, field: str, value: str, message: str
) -> None:
    sign_in(client, world.school)
    before = db_session.scalar(sa.select(sa.func.count(Referral.id)))
    data = referral_form(**{field: value})
    if field == "guardians-0-name":
        data = {k: v for k, v in data.items() if not k.startswith("guardians-")}
    response = client.post("/referrals/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'value="Nora"' in page or field == "first_name"  # what was typed is kept
    assert db_session.scalar(sa.select(sa.func.count(Referral.id))) == before


def test_a_second_referral_for_the_same_pupil_points_to_the_first(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    sign_in(client, world.school)
    client.post("/referrals/new", data=referral_form())
    first = newest_referral(db_session)
    response = client.post("/referrals/new", data=referral_form(first_name="Annen"))
    assert response.status_code == 400
    assert f'href="/referrals/{first.id}"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/referrals/{id}"),
        ("GET", "/referrals/{id}/edit"),
        ("POST", "/referrals/{id}/edit"),
        ("POST", "/referrals/{id}/consent"),
        ("POST", "/referrals/{id}/status/withdrawn"),
    ],
)
def test_bestum_cannot_see_or_change_a_smestad_referral(
    client: FlaskClient, db_session: OrmSession, world: World, method: str, path: str
) -> None:
    referral = f.ReferralFactory(pupil=f.PupilFactory(school=world.smestad), status=S.DRAFT)
    sign_in(client, world.school)
    response = client.open(path.format(id=referral.id), method=method, data=referral_form())
    assert response.status_code == 404
    db_session.refresh(referral)
    assert referral.status is S.DRAFT


def test_two_people_saving_the_same_referral_second_is_told_and_keeps_input(
    app: Any, db_session: OrmSession, world: World
) -> None:
    referral = f.ReferralFactory(pupil=f.PupilFactory(school=world.bestum), status=S.NEEDS_INFO)
    f.GuardianFactory(pupil=referral.pupil)
    db_session.commit()
    first, second = app.test_client(), app.test_client()
    sign_in(first, world.school)
    sign_in(second, world.coordinator)
    first_form = first.get(f"/referrals/{referral.id}/edit").get_data(as_text=True)
    second_form = second.get(f"/referrals/{referral.id}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', first_form)
    assert version is not None
    assert version.group(1) in second_form

    saved = first.post(
        f"/referrals/{referral.id}/edit",
        data=referral_form(version=version.group(1), worry_text="Første lagring."),
    )
    assert saved.status_code == 302
    stale = second.post(
        f"/referrals/{referral.id}/edit",
        data=referral_form(version=version.group(1), worry_text="Andre lagring."),
    )
    page = stale.get_data(as_text=True)
    assert stale.status_code == 400
    assert "endret" in page
    assert "Andre lagring." in page  # nothing typed is lost
    db_session.refresh(referral)
    assert referral.worry_text == "Første lagring."


def test_coordinator_queue_filters_by_school_and_age_band(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    from datetime import date

    young = f.ReferralFactory(
        pupil=f.PupilFactory(school=world.bestum, last_name="Ung", birth_date=date(2017, 3, 1))
    )
    old = f.ReferralFactory(
        pupil=f.PupilFactory(school=world.smestad, last_name="Eldre", birth_date=date(2014, 3, 1))
    )
    sign_in(client, world.coordinator)
    by_school = client.get(f"/referrals/?school={world.bestum.id}").get_data(as_text=True)
    assert young.pupil.full_name in by_school
    assert old.pupil.full_name not in by_school
    by_age = client.get("/referrals/?age=11-13&status=submitted").get_data(as_text=True)
    assert old.pupil.full_name in by_age
    assert young.pupil.full_name not in by_age
    assert client.get("/referrals/?age=x&school=abc&term=%00&page=-4").status_code == 200


def test_coordinator_shares_the_worry_with_facilitators_and_takes_it_back(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    sign_in(client, world.coordinator)
    client.post(f"/referrals/{world.referral.id}/share-worry")
    db_session.refresh(world.referral)
    assert world.referral.worry_shared is True
    client.post(f"/referrals/{world.referral.id}/share-worry")
    db_session.refresh(world.referral)
    assert world.referral.worry_shared is False


def test_a_coordinator_of_another_district_cannot_share_the_worry(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    sign_in(client, world.coordinator_other)
    assert client.post(f"/referrals/{world.referral.id}/share-worry").status_code == 404
    db_session.refresh(world.referral)
    assert world.referral.worry_shared is False
