"""Every main page of every role runs at most 15 SQL statements, however much data there is,
and the statements each page is known to run.

The demo is loaded, each page is fetched and its statements counted; then the district's
history is doubled and more (generated groups, sessions, attendance, absence and a queue), and
no page may run one statement more.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring.accounts.models import District
from mestring.core.time import now_utc
from mestring.demo import DEMO_PASSWORD, DISTRICT_NAME, load_demo
from mestring.generator import extend_district, generate
from mestring.referrals.models import Referral
from tests.perf.pages import Page, main_pages
from tests.statements import counting

MAX_QUERIES = 15
# Each page's statements on the demo's data, on a first request (the outcome figures not yet
# cached): a page that runs one more than it did is a regression to find, not to absorb.
STATEMENTS = {
    "school: start": 2,
    "school: referral list": 4,
    "school: referral": 4,
    "school: pupil": 7,
    "facilitator: start": 5,
    "facilitator: group list": 3,
    "facilitator: group": 6,
    "facilitator: group plan": 5,
    "facilitator: calendar week": 2,
    "facilitator: calendar month": 2,
    "facilitator: calendar feed": 3,
    "coordinator: start": 4,
    "coordinator: referral list": 4,
    "coordinator: referral": 4,
    "coordinator: pupil": 7,
    "coordinator: group list": 3,
    "coordinator: group": 7,
    "coordinator: group plan": 5,
    "coordinator: composer": 3,
    "coordinator: calendar week": 3,
    "coordinator: calendar month": 3,
    "coordinator: facilitators": 4,
    "coordinator: outcomes": 14,
    "coordinator: outcomes filtered": 11,
    "analyst: start": 5,
    "analyst: outcomes": 8,
    "analyst: outcomes filtered": 8,
    "analyst: export csv": 10,
    "analyst: export xlsx": 10,
    "admin: start": 2,
    "admin: users": 3,
}


def _clients(app: Flask, pages: list[Page]) -> dict[str, FlaskClient]:
    clients = {"": app.test_client()}
    for email in {page.email for page in pages if page.email}:
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        clients[email] = client
    return clients


def _counts(
    session: OrmSession, clients: dict[str, FlaskClient], pages: list[Page]
) -> dict[str, tuple[int, list[str]]]:
    counts = {}
    for page in pages:
        session.expire_all()  # as a new request would find it: nothing loaded yet
        with counting(session) as statements:
            response = clients[page.email].get(page.url)
        assert response.status_code == 200, (page.name, response.status_code)
        counts[page.name] = (len(statements), statements)
    return counts


def test_main_pages_run_few_queries_that_do_not_grow_with_data(
    app: Flask, client: FlaskClient, db_session: OrmSession
) -> None:
    now = now_utc()
    load_demo(db_session, now=now)
    pages = main_pages(db_session, DISTRICT_NAME)
    db_session.commit()
    referrals_before = db_session.scalar(sa.select(sa.func.count(Referral.id)))
    clients = _clients(app, pages)

    small = _counts(db_session, clients, pages)
    too_many = {name: n for name, (n, _) in small.items() if n > MAX_QUERIES}
    assert not too_many, too_many
    assert {name: n for name, (n, _) in small.items()} == STATEMENTS

    extend_district(db_session, district_name=DISTRICT_NAME, seed=7, now=now, terms=4, groups=2)
    db_session.commit()
    referrals_after = db_session.scalar(sa.select(sa.func.count(Referral.id)))
    assert referrals_after >= 2 * referrals_before

    doubled = _counts(db_session, clients, pages)
    grown = {
        name: (small[name][0], n, statements)
        for name, (n, statements) in doubled.items()
        if n > small[name][0]
    }
    assert not grown, {name: (before, after) for name, (before, after, _) in grown.items()}


def test_generate_small_is_the_demo(db_session: OrmSession) -> None:
    assert generate(db_session, scale="small", seed=1, now=now_utc()) == {}
    assert db_session.scalar(sa.select(District.id).where(District.name == DISTRICT_NAME))
