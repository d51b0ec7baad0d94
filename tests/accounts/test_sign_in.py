"""Sign-in, sign-out, password change, CSRF and cookie flags."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring import create_app
from mestring.audit.models import AuditEvent
from mestring.extensions import limiter
from tests.conftest import World, app_config, sign_in
from tests.factories import PASSWORD
from tests.text import without_csrf_tokens


def test_sign_in_shows_the_start_page_of_the_role(client: FlaskClient, world: World) -> None:
    sign_in(client, world.coordinator)
    page = client.get("/").get_data(as_text=True)
    assert world.coordinator.name in page


def test_wrong_password_is_refused_in_norwegian_and_audited(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    response = client.post("/login", data={"email": world.school.email, "password": "feil"})
    assert response.status_code == 200
    assert "Feil e-postadresse eller passord." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    failed = db_session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "sign_in_failed"))
    assert [event.details["email"] for event in failed] == [world.school.email]


def test_email_is_matched_without_case_or_spaces(client: FlaskClient, world: World) -> None:
    response = client.post(
        "/login", data={"email": f"  {world.school.email.upper()} ", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_inactive_user_cannot_sign_in(client: FlaskClient, world: World) -> None:
    world.school.active = False
    response = client.post("/login", data={"email": world.school.email, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_next_goes_to_a_page_of_this_site_only(client: FlaskClient, world: World) -> None:
    data = {"email": world.school.email, "password": PASSWORD}
    response = client.post("/login", data={**data, "next": "/referrals/"})
    assert response.headers["Location"] == "/referrals/"
    client.post("/logout")
    response = client.post("/login", data={**data, "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_anonymous_visitor_is_sent_to_sign_in_with_next(client: FlaskClient, world: World) -> None:
    response = client.get("/referrals/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_sign_out_needs_post_and_ends_the_session(client: FlaskClient, world: World) -> None:
    sign_in(client, world.school)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_signs_out_other_browsers(
    app: Flask, client: FlaskClient, world: World
) -> None:
    other_browser = app.test_client()
    sign_in(client, world.school)
    sign_in(other_browser, world.school)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a new long passphrase",
            "confirm_password": "a new long passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_browser.get("/").status_code == 302
    client.post("/logout")
    sign_in(client, world.school, password="a new long passphrase")


def test_password_change_with_wrong_current_password_is_refused(
    client: FlaskClient, world: World
) -> None:
    sign_in(client, world.school)
    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong",
            "new_password": "a new long passphrase",
            "confirm_password": "a new long passphrase",
        },
    )
    assert response.status_code == 400
    assert "Nåværende passord er feil." in response.get_data(as_text=True)


def test_passwords_are_hashed_with_argon2id(world: World) -> None:
    assert world.school.password_hash.startswith("$argon2id$")


def test_session_cookie_is_httponly_and_samesite(client: FlaskClient, world: World) -> None:
    response = client.post("/login", data={"email": world.school.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.fixture
def csrf_client(database_url: str, db_session: OrmSession) -> FlaskClient:
    app = create_app(app_config(database_url, WTF_CSRF_ENABLED=True))
    return app.test_client()


def test_form_posted_without_csrf_token_is_refused(csrf_client: FlaskClient, world: World) -> None:
    response = csrf_client.post("/login", data={"email": world.school.email, "password": PASSWORD})
    assert response.status_code == 400
    assert csrf_client.get("/").status_code == 302


def test_form_posted_with_csrf_token_is_accepted(csrf_client: FlaskClient, world: World) -> None:
    page = csrf_client.get("/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match is not None
    response = csrf_client.post(
        "/login",
        data={"email": world.school.email, "password": PASSWORD, "csrf_token": match.group(1)},
    )
    assert response.status_code == 302


def test_sign_in_attempts_are_rate_limited_per_address(client: FlaskClient) -> None:
    statuses = [
        client.post("/login", data={"email": f"x{n}@example.no", "password": "x"}).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def _failed_sign_in(client: FlaskClient, n: int, forwarded_for: str) -> int:
    """A failed sign-in through a proxy at 10.9.9.9 that forwards the client's address."""
    return client.post(
        "/login",
        data={"email": f"x{n}@example.no", "password": "x"},
        headers={"X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": "10.9.9.9"},
    ).status_code


def test_forwarded_addresses_are_ignored_unless_a_proxy_is_trusted(client: FlaskClient) -> None:
    statuses = [_failed_sign_in(client, n, f"192.0.2.{n}") for n in range(11)]
    assert statuses == [200] * 10 + [429]


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(
    database_url: str, db_session: OrmSession
) -> None:
    """Limits and the audit log go by the client's address, not the proxy's that all share."""
    client = create_app(app_config(database_url, TRUSTED_PROXIES=1)).test_client()
    limiter.reset()
    statuses = [_failed_sign_in(client, n, "192.0.2.1") for n in range(11)]
    assert statuses == [200] * 10 + [429]
    assert _failed_sign_in(client, 11, "192.0.2.2") == 200
    addresses = db_session.scalars(
        sa.select(AuditEvent.ip_address).where(AuditEvent.action == "sign_in_failed")
    )
    assert Counter(addresses) == {"192.0.2.1": 10, "192.0.2.2": 1}


def test_sign_in_attempts_are_rate_limited_per_account(client: FlaskClient, world: World) -> None:
    """Five tries a minute per e-mail, from any address; the answer is the same whether the
    account exists or not, and the right password does not get through the limit either."""
    answers = {}
    for email in (world.school.email, "nobody@example.no"):
        statuses = [
            client.post(
                "/login",
                data={"email": email, "password": "wrong"},
                environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
            ).status_code
            for n in range(6)
        ]
        assert statuses == [200] * 5 + [429]
        answers[email] = client.post(
            "/login",
            data={"email": email, "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "10.0.1.1"},
        )
    assert answers[world.school.email].status_code == 429
    # The pages are the same but for the CSRF token, which is signed with the time.
    known, unknown = (
        without_csrf_tokens(answers[email].get_data(as_text=True))
        for email in (world.school.email, "nobody@example.no")
    )
    assert known == unknown
