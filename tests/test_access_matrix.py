"""Every URL rule with the status each role must get; a route missing here fails the suite."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import World, sign_in

ROLES = ("anonymous", "school", "facilitator", "coordinator", "analyst", "admin")

# For each endpoint: method, a URL built from the world, and the status per role in ROLES order.
# 302 for an anonymous visitor is the redirect to the sign-in page.
MATRIX: dict[str, tuple[str, Callable[[World], str], tuple[int, ...]]] = {
    "accounts.login": ("GET", lambda w: "/login", (200, 302, 302, 302, 302, 302)),
    "accounts.logout": ("POST", lambda w: "/logout", (302, 302, 302, 302, 302, 302)),
    "accounts.account": ("GET", lambda w: "/account", (302, 200, 200, 200, 200, 200)),
    "accounts.password": ("POST", lambda w: "/account/password", (302, 400, 400, 400, 400, 400)),
    "accounts.set_language": ("POST", lambda w: "/language", (302, 302, 302, 302, 302, 302)),
    "home.index": ("GET", lambda w: "/", (302, 200, 200, 200, 200, 200)),
    "referrals.index": ("GET", lambda w: "/referrals/", (302, 200, 403, 200, 403, 403)),
    "referrals.detail": (
        "GET",
        lambda w: f"/referrals/{w.referral.id}",
        (302, 200, 403, 200, 403, 403),
    ),
    "pupils.detail": ("GET", lambda w: f"/pupils/{w.pupil.id}", (302, 200, 200, 200, 403, 403)),
    "groups.index": ("GET", lambda w: "/groups/", (302, 403, 200, 200, 403, 403)),
    "groups.detail": ("GET", lambda w: f"/groups/{w.group.id}", (302, 403, 200, 200, 403, 403)),
    "scheduling.session_detail": (
        "GET",
        lambda w: f"/sessions/{w.session.id}",
        (302, 403, 200, 200, 403, 403),
    ),
    "outcomes.index": ("GET", lambda w: "/outcomes/", (302, 403, 403, 200, 200, 403)),
    "admin.users": ("GET", lambda w: "/admin/users", (302, 403, 403, 403, 403, 200)),
}


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints == set(MATRIX)


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_route_answers_each_role_as_listed(
    client: FlaskClient, world: World, endpoint: str, role: str
) -> None:
    method, url, expected = MATRIX[endpoint]
    user = world.user(role)
    if user is not None:
        sign_in(client, user)
    response = client.open(url(world), method=method)
    assert response.status_code == expected[ROLES.index(role)], (endpoint, role)
    if role == "anonymous" and response.status_code == 302 and endpoint != "accounts.set_language":
        assert response.headers["Location"].startswith("/login")
