"""Withdrawal from the pupil and referral pages, and the audited access export."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring.audit.models import AuditEvent
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Pupil, Referral
from tests.conftest import World, sign_in
from tests.privacy.conftest import FIRST, LAST, Identified


def events(db: OrmSession, action: str) -> list[AuditEvent]:
    return list(db.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_school_withdraws_consent_from_the_pupil_page(
    client: FlaskClient, db_session: OrmSession, world: World, identified: Identified
) -> None:
    sign_in(client, world.school)
    page = client.get(f"/pupils/{identified.pupil.id}").get_data(as_text=True)
    action = f"/pupils/{identified.pupil.id}/withdraw-consent"
    assert action in page
    response = client.post(action)
    assert response.headers["Location"] == f"/pupils/{identified.pupil.id}"
    db_session.expire_all()
    pupil = db_session.get(Pupil, identified.pupil.id)
    assert pupil.anonymised_at is not None
    assert db_session.get(Referral, identified.referral.id).status == ReferralStatus.WITHDRAWN
    [event] = events(db_session, "withdraw_consent")
    assert (event.actor_id, event.pupil_id) == (world.school.id, pupil.id)
    after = client.get(f"/pupils/{pupil.id}").get_data(as_text=True)
    assert FIRST not in after
    assert LAST not in after
    assert action not in after


def test_the_referral_page_offers_withdrawal(
    client: FlaskClient, world: World, identified: Identified
) -> None:
    sign_in(client, world.coordinator)
    page = client.get(f"/referrals/{identified.referral.id}").get_data(as_text=True)
    assert f"/pupils/{identified.pupil.id}/withdraw-consent" in page


def test_withdrawal_outside_scope_is_404_and_audited(
    client: FlaskClient, db_session: OrmSession, world: World, identified: Identified
) -> None:
    sign_in(client, world.coordinator_other)
    response = client.post(f"/pupils/{identified.pupil.id}/withdraw-consent")
    assert response.status_code == 404
    db_session.expire_all()
    assert db_session.get(Pupil, identified.pupil.id).anonymised_at is None
    [event] = events(db_session, "access_denied")
    assert (event.actor_id, event.object_type, event.pupil_id) == (
        world.coordinator_other.id,
        "pupils",
        identified.pupil.id,
    )
    assert event.details["status"] == 404


def test_coordinator_exports_everything_as_json(
    client: FlaskClient, db_session: OrmSession, world: World, identified: Identified
) -> None:
    sign_in(client, world.coordinator)
    response = client.get(f"/pupils/{identified.pupil.id}/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert (data["pupil"]["first_name"], data["pupil"]["birth_date"]) == (FIRST, "2016-09-23")
    assert [g["email"] for g in data["guardians"]] == ["guri.q@example.no"]
    [referral] = data["referrals"]
    assert referral["worry_text"] == f"{FIRST} er mye borte."
    assert referral["consents"][0]["method"] == "verbal"
    assert referral["history"][-1]["to"] == "placed"
    assert [m["group"] for m in data["groups"]] == [world.group.name]
    assert [a["status"] for a in data["attendance"]] == ["present"]
    assert data["absence_records"][0]["day_absence_percent"] == "12.7"
    [event] = events(db_session, "export_pupil")
    assert (event.pupil_id, event.details) == (identified.pupil.id, {"format": "json"})


def test_coordinator_reads_the_printable_export(
    client: FlaskClient, db_session: OrmSession, world: World, identified: Identified
) -> None:
    sign_in(client, world.coordinator)
    pupil_page = client.get(f"/pupils/{identified.pupil.id}").get_data(as_text=True)
    assert f"/pupils/{identified.pupil.id}/export" in pupil_page
    page = client.get(f"/pupils/{identified.pupil.id}/export").get_data(as_text=True)
    for text in (FIRST, LAST, "guri.q@example.no", "Nøtteallergi", world.group.name):
        assert text in page
    [event] = events(db_session, "export_pupil")
    assert event.details == {"format": "html"}


def test_export_is_for_the_district_coordinator_only(
    client: FlaskClient, world: World, identified: Identified
) -> None:
    sign_in(client, world.school)
    assert f"/pupils/{identified.pupil.id}/export" not in client.get(
        f"/pupils/{identified.pupil.id}"
    ).get_data(as_text=True)
    assert client.get(f"/pupils/{identified.pupil.id}/export.json").status_code == 403
    client.post("/logout")
    sign_in(client, world.coordinator_other)
    assert client.get(f"/pupils/{identified.pupil.id}/export.json").status_code == 404
