"""Each demo account signs in and sees the start page of its role, filled with demo data."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring.core.time import now_utc
from mestring.demo import DEMO_PASSWORD, load_demo
from mestring.models import Pupil, Referral, School

# A text each start page shows only when its list holds demo data.
START_PAGES = {
    "admin@demo.no": "koordinator@demo.no",
    "koordinator@demo.no": "Venter på vurdering",
    "analytiker@demo.no": "Resultater per semester",
    "ppt@demo.no": "Dine neste samlinger",
    "helse@demo.no": "Dine neste samlinger",
    "larer@demo.no": "Dine neste samlinger",
}


@pytest.fixture
def demo(db_session: OrmSession) -> None:
    load_demo(db_session, now=now_utc())
    db_session.commit()


def sign_in_as(client: FlaskClient, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("email", sorted(START_PAGES))
def test_demo_account_sees_its_start_page(client: FlaskClient, demo: None, email: str) -> None:
    sign_in_as(client, email)
    page = client.get("/")
    assert page.status_code == 200
    assert START_PAGES[email] in page.get_data(as_text=True)


def referred_names(db: OrmSession, school_name: str) -> set[str]:
    stmt = (
        sa.select(Pupil.last_name)
        .join(Referral, Referral.pupil_id == Pupil.id)
        .join(School, School.id == Referral.school_id)
        .where(School.name.startswith(school_name))
    )
    return set(db.scalars(stmt))


@pytest.mark.parametrize(
    ("email", "own", "other"),
    [("skole.bestum@demo.no", "Bestum", "Smestad"), ("skole.smestad@demo.no", "Smestad", "Bestum")],
)
def test_school_sees_its_own_referrals_only(
    client: FlaskClient, demo: None, db_session: OrmSession, email: str, own: str, other: str
) -> None:
    own_names = referred_names(db_session, own)
    other_names = referred_names(db_session, other) - own_names
    sign_in_as(client, email)
    for url in ("/", "/referrals/?page=1"):
        page = client.get(url).get_data(as_text=True)
        assert any(name in page for name in own_names), url
        assert not any(name in page for name in other_names), url


def test_analyst_start_page_names_no_pupil(
    client: FlaskClient, demo: None, db_session: OrmSession
) -> None:
    sign_in_as(client, "analytiker@demo.no")
    page = client.get("/").get_data(as_text=True)
    for pupil in db_session.scalars(sa.select(Pupil)):
        assert pupil.last_name not in page
