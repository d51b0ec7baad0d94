"""Logs never carry a pupil's name: not from pages, forms, failed sign-ins or database errors."""

from __future__ import annotations

import logging

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from tests.conftest import World
from tests.referrals.conftest import referral_form
from tests.security.conftest import enter_as


@pytest.fixture
def logging_on(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """INFO from everything, SQL statements included; requested before the database session,
    whose connection decides at its start whether it logs."""
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    return caplog


def test_a_working_day_logs_no_pupil_names(
    logging_on: pytest.LogCaptureFixture, client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    names = [world.pupil.first_name, world.smestad_pupil.first_name, "Nora", "Berg"]
    enter_as(client, db_session, world.school)
    client.get(f"/pupils/{world.pupil.id}")
    client.get(f"/referrals/{world.referral.id}")
    client.get(f"/pupils/{world.smestad_pupil.id}")  # refused: audited and logged, no name
    client.post("/referrals/new", data=referral_form())
    client.post("/referrals/new", data=referral_form())  # a duplicate: refused
    client.post("/referrals/new", data=referral_form(first_name="Nora\x00", grade="x"))
    client.post("/login", data={"email": "Nora.Berg@example.no", "password": "Nora Berg"})
    enter_as(client, db_session, world.coordinator)
    client.get(f"/pupils/{world.pupil.id}/export.json")
    client.post(f"/pupils/{world.smestad_pupil.id}/withdraw-consent")
    client.get("/referrals/?status=submitted")
    logged = "\n".join(record.getMessage() for record in logging_on.records)
    assert "INSERT INTO pupils" in logged, "no SQL was logged: the scan would prove nothing"
    for name in names:
        assert name not in logged
