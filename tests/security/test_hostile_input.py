"""Forms posted with hostile and malformed values never crash and never store a live script.

Hypothesis mixes very long strings, control characters and NUL bytes (PostgreSQL refuses NUL,
SQLite takes it), right-to-left marks, HTML and script, SQL metacharacters, wrong types, dates
out of range and extra fields such as ``role`` or ``school_id`` that must change nothing.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session as OrmSession

from mestring.accounts.enums import Role
from mestring.extensions import limiter
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Referral
from tests.conftest import World
from tests.factories import PASSWORD
from tests.referrals.conftest import referral_form
from tests.security.conftest import enter_as

SCRIPT = '<script>alert("mestring")</script>'
IMAGE = "<img src=x onerror=alert(1)>"
LIVE_MARKUP = (SCRIPT, IMAGE)

HOSTILE_VALUES = [
    SCRIPT,
    IMAGE,
    '"><svg onload=alert(1)>',
    "'; DROP TABLE pupils; --",
    '" OR 1=1 --',
    "%' OR '1'='1",
    "\u202eevil\u202c",
    "\u200f\u200e\u061c",
    "\x00",
    "a\x00b",
    "\x1b[31m\x07\x08",
    "\r\n\r\nSet-Cookie: x=1",
    "{{ 7*7 }}{% raw %}",
    "%s%n%x",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "true",
    "[]",
    "{}",
    "0001-01-01",
    "9999-12-31",
    "2016-02-30",
    "31.12.2016",
    "",
    " ",
]

hostile = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.text(max_size=30),
    st.text(min_size=1, max_size=3).map(lambda text: text * 5000),
)

# Fields no form has: they must be ignored.
EXTRA_FIELDS = ["role", "school_id", "status", "pupil_id", "district_id", "id", "active"]
EXTRA_VALUES = {
    "role": "admin",
    "school_id": "999",
    "status": "placed",
    "pupil_id": "1",
    "district_id": "999",
    "id": "1",
    "active": "y",
}

HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def overrides(fields: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Some fields with hostile values, and perhaps extra fields."""
    return st.tuples(
        st.dictionaries(st.sampled_from(fields), hostile, max_size=6),
        st.lists(st.sampled_from(EXTRA_FIELDS), max_size=3, unique=True),
    ).map(lambda pair: {**pair[0], **{name: EXTRA_VALUES[name] for name in pair[1]}})


def assert_no_live_markup(page: str) -> None:
    for markup in LIVE_MARKUP:
        assert markup not in page


REFERRAL_FIELDS = [*referral_form(), "guardians-1-name", "guardians-1-email", "version"]


@HYPOTHESIS
@given(changes=overrides(REFERRAL_FIELDS))
def test_referral_form_survives_hostile_input(
    client: FlaskClient, db_session: OrmSession, world: World, changes: dict[str, Any]
) -> None:
    enter_as(client, db_session, world.school)
    # A new pupil each time, so that valid posts are not refused as duplicates.
    data = referral_form(pupil_ref=None, first_name=f"Hyp{db_session.info.setdefault('n', 0)}")
    db_session.info["n"] += 1
    response = client.post("/referrals/new", data={**data, **changes})
    assert response.status_code in {302, 400}, response.status_code
    assert_no_live_markup(response.get_data(as_text=True))
    if response.status_code == 302:
        referral = db_session.scalars(sa.select(Referral).order_by(Referral.id.desc())).first()
        assert referral is not None
        assert (referral.school_id, referral.status) == (world.bestum.id, ReferralStatus.DRAFT)
        assert_no_live_markup(client.get(response.headers["Location"]).get_data(as_text=True))
    db_session.refresh(world.school)
    assert (world.school.role, world.school.school_id) == (Role.SCHOOL, world.bestum.id)


@HYPOTHESIS
@given(changes=overrides(["email", "password", "next"]))
def test_login_form_survives_hostile_input(
    client: FlaskClient, db_session: OrmSession, world: World, changes: dict[str, Any]
) -> None:
    limiter.reset()
    enter_as(client, db_session, None)
    response = client.post("/login", data={"email": "x@example.no", "password": "x", **changes})
    assert response.status_code in {200, 302, 400}, response.status_code
    assert_no_live_markup(response.get_data(as_text=True))
    assert client.get("/").status_code == 302


@HYPOTHESIS
@given(changes=overrides(["current_password", "new_password", "confirm_password"]))
def test_password_form_survives_hostile_input(
    client: FlaskClient, db_session: OrmSession, world: World, changes: dict[str, Any]
) -> None:
    enter_as(client, db_session, world.school)
    old_hash = world.school.password_hash
    data = {"current_password": "wrong", "new_password": "x", "confirm_password": "y", **changes}
    response = client.post("/account/password", data=data)
    assert response.status_code == 400, response.status_code
    assert_no_live_markup(response.get_data(as_text=True))
    db_session.refresh(world.school)
    assert (world.school.password_hash, world.school.role) == (old_hash, Role.SCHOOL)
    assert world.school.active


def test_a_script_in_free_text_is_shown_as_text(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    enter_as(client, db_session, world.school)
    data = referral_form(first_name=SCRIPT, worry_text=IMAGE, pupil_ref=None)
    response = client.post("/referrals/new", data=data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert_no_live_markup(page)
    assert "&lt;script&gt;" in page
    assert PASSWORD not in page
