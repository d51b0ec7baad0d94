"""The app, one clean database state per test, and a small world with a user of each role."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy.orm import Session as OrmSession

from mestring import create_app
from mestring.accounts.enums import Role, ServiceKind
from mestring.demo import FIRST_NAMES, LAST_NAMES
from mestring.extensions import db, limiter
from mestring.models import Group, Pupil, Referral, School, Session, User
from tests import factories as f

POSTGRES_URL = os.environ.get("MESTRING_TEST_DATABASE_URL", "")
NO_POSTGRES = "MESTRING_TEST_DATABASE_URL is not set: the PostgreSQL tests need a server"

requires_postgres = pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)

# Every pupil name the suite uses: the demo's, the factories' and the forms' in the tests.
PUPIL_NAMES = re.compile(
    r"\b(?:"
    + "|".join(sorted({*FIRST_NAMES, *LAST_NAMES, "Nora", "Berg", "Tiril", "Testesen"}))
    + r"|Elev\d+)\b"
)


class LogRecords(logging.Handler):
    """Keeps every log message of the run, formatted as it would be written."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="session", autouse=True)
def no_pupil_names_in_logs() -> Iterator[None]:
    """Logs never carry a pupil's name: checked over everything the whole suite logs."""
    records, root = LogRecords(), logging.getLogger()
    level = root.level
    root.addHandler(records)
    root.setLevel(logging.INFO)
    yield
    root.removeHandler(records)
    root.setLevel(level)
    leaked = [message for message in records.messages if PUPIL_NAMES.search(message)]
    assert leaked == [], leaked[:5]


def reset_postgres(url: str) -> None:
    """An empty public schema, so that migrations build everything from nothing."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def app_config(database_url: str, **overrides: object) -> dict[str, object]:
    """Test configuration; CSRF is off unless a test turns it on."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        **overrides,
    }


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if POSTGRES_URL:
        reset_postgres(POSTGRES_URL)
        return POSTGRES_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app for the session, its schema built by the migrations."""
    os.environ["MESTRING_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))
    app = create_app(app_config(database_url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield app
    with app.app_context():
        db.engine.dispose()


class TestSession(sa.orm.scoped_session[OrmSession]):
    """The test's session, shared with the requests it makes; only the test may close it."""

    def remove(self) -> None:
        pass


@pytest.fixture
def db_session(app: Flask) -> Iterator[OrmSession]:
    """Each test runs in an outer transaction that is rolled back; commits become savepoints.

    No app context stays pushed during the test, so every request gets its own (and its own
    ``g``, where Flask-Login keeps the signed-in user).
    """
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    session = TestSession(
        sa.orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    )
    db.session = session
    try:
        yield session  # type: ignore[misc]
    finally:
        session.close()
        db.session = original
        outer.rollback()
        connection.close()


@pytest.fixture
def client(app: Flask, db_session: OrmSession) -> FlaskClient:
    limiter.reset()
    return app.test_client()


@dataclass
class World:
    """Bydel Ullern with Bestum and Smestad, another district, and a user of each role."""

    bestum: School
    smestad: School
    other_school: School
    school: User
    school_smestad: User
    facilitator: User
    facilitator_unassigned: User
    coordinator: User
    coordinator_other: User
    analyst: User
    admin: User
    pupil: Pupil
    referral: Referral
    smestad_pupil: Pupil
    smestad_referral: Referral
    other_pupil: Pupil
    group: Group
    session: Session

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def world(db_session: OrmSession) -> World:
    ullern = f.DistrictFactory(name="Bydel Ullern")
    frogner = f.DistrictFactory(name="Bydel Frogner")
    bestum = f.SchoolFactory(district=ullern, name="Bestum skole")
    smestad = f.SchoolFactory(district=ullern, name="Smestad skole")
    other_school = f.SchoolFactory(district=frogner, name="Uranienborg skole")
    ppt = f.ServiceFactory(district=ullern, kind=ServiceKind.PPT, name="PPT Ullern")
    health = f.ServiceFactory(
        district=ullern, kind=ServiceKind.SCHOOL_HEALTH, name="Skolehelsetjenesten"
    )

    facilitator = f.UserFactory(
        role=Role.FACILITATOR, district=ullern, service=ppt, email="ppt@example.no"
    )
    referral = f.ReferralFactory(pupil=f.PupilFactory(school=bestum), status="placed")
    smestad_referral = f.ReferralFactory(pupil=f.PupilFactory(school=smestad))
    other_referral = f.ReferralFactory(pupil=f.PupilFactory(school=other_school))
    group = f.GroupFactory(district=ullern)
    f.MembershipFactory(group=group, referral=referral)
    f.AssignmentFactory(group=group, user=facilitator)
    session = f.SessionFactory(group=group)

    return World(
        bestum=bestum,
        smestad=smestad,
        other_school=other_school,
        school=f.UserFactory(role=Role.SCHOOL, district=ullern, school=bestum),
        school_smestad=f.UserFactory(role=Role.SCHOOL, district=ullern, school=smestad),
        facilitator=facilitator,
        facilitator_unassigned=f.UserFactory(
            role=Role.FACILITATOR, district=ullern, service=health
        ),
        coordinator=f.UserFactory(role=Role.COORDINATOR, district=ullern),
        coordinator_other=f.UserFactory(role=Role.COORDINATOR, district=frogner),
        analyst=f.UserFactory(role=Role.ANALYST, district=ullern),
        admin=f.UserFactory(role=Role.ADMIN, district=None),
        pupil=referral.pupil,
        referral=referral,
        smestad_pupil=smestad_referral.pupil,
        smestad_referral=smestad_referral,
        other_pupil=other_referral.pupil,
        group=group,
        session=session,
    )


def sign_in(client: FlaskClient, user: User, password: str = f.PASSWORD) -> None:
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
