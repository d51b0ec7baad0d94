"""Sessions done right: renewed at sign-in, no remember-me, idle timeout, and every way out
(sign-out, admin's sign-out everywhere, deactivation) makes copies of the cookie useless."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from mestring.accounts.views import LAST_SEEN_KEY
from tests.conftest import World, sign_in


def copy_of_session(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a stolen copy of ``client``'s session cookie."""
    cookie = client.get_cookie("mestring_session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("mestring_session", cookie.value)
    return thief


def test_sign_in_starts_a_new_session_without_remember_me(
    client: FlaskClient, world: World
) -> None:
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    response = client.post("/login", data={"email": world.school.email, "password": "x" * 3})
    assert response.status_code == 200
    sign_in(client, world.school)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert isinstance(session[LAST_SEEN_KEY], int)
    cookies = client.post("/logout").headers.getlist("Set-Cookie")
    assert not any("remember_token" in c and "Expires=Thu, 01 Jan 1970" not in c for c in cookies)


def test_sign_out_makes_a_copied_cookie_useless(
    app: Flask, client: FlaskClient, world: World
) -> None:
    sign_in(client, world.school)
    thief = copy_of_session(app, client)
    assert thief.get("/").status_code == 200
    client.post("/logout")
    assert thief.get("/").status_code == 302


def test_a_session_idle_too_long_is_signed_out(client: FlaskClient, world: World) -> None:
    sign_in(client, world.school)
    with client.session_transaction() as session:
        session[LAST_SEEN_KEY] -= 8 * 3600 + 1
    response = client.get("/referrals/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert client.get("/").status_code == 302


def test_activity_keeps_the_session_alive(client: FlaskClient, world: World) -> None:
    sign_in(client, world.school)
    with client.session_transaction() as session:
        session[LAST_SEEN_KEY] -= 8 * 3600 - 60
        stale = session[LAST_SEEN_KEY]
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        assert session[LAST_SEEN_KEY] > stale + 8 * 3600 - 120
    assert client.get("/").status_code == 200


def test_admin_signs_a_user_out_everywhere(app: Flask, client: FlaskClient, world: World) -> None:
    user_browser = app.test_client()
    sign_in(user_browser, world.school)
    sign_in(client, world.admin)
    response = client.post(f"/admin/users/{world.school.id}/sign-out")
    assert response.status_code == 302
    assert user_browser.get("/").status_code == 302
    sign_in(user_browser, world.school)


def test_deactivation_signs_out_and_blocks_sign_in(
    app: Flask, client: FlaskClient, world: World
) -> None:
    user_browser = app.test_client()
    sign_in(user_browser, world.school)
    sign_in(client, world.admin)
    assert client.post(f"/admin/users/{world.school.id}/deactivate").status_code == 302
    assert user_browser.get("/").status_code == 302
    refused = user_browser.post(
        "/login", data={"email": world.school.email, "password": "correct horse battery"}
    )
    assert refused.status_code == 200
    assert client.post(f"/admin/users/{world.school.id}/activate").status_code == 302
    sign_in(user_browser, world.school)


def test_admin_cannot_deactivate_themselves(client: FlaskClient, world: World) -> None:
    sign_in(client, world.admin)
    client.post(f"/admin/users/{world.admin.id}/deactivate")
    assert world.admin.active
    assert client.get("/").status_code == 200
