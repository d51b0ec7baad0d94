"""Every URL rule with the status each role must get; a route missing here fails the suite."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.accounts.routes import ROUTES as ACCOUNTS
from tests.admin.routes import ROUTES as ADMIN
from tests.attendance.routes import ROUTES as ATTENDANCE
from tests.conftest import World, sign_in
from tests.facilitators.routes import ROUTES as FACILITATORS
from tests.groups.routes import ROUTES as GROUPS
from tests.outcomes.routes import ROUTES as OUTCOMES
from tests.privacy.routes import ROUTES as PRIVACY
from tests.referrals.routes import ROUTES as REFERRALS
from tests.routes import ROLES, Routes
from tests.scheduling.routes import ROUTES as SCHEDULING

MATRIX: Routes = {
    **ACCOUNTS,
    **REFERRALS,
    **GROUPS,
    **SCHEDULING,
    **FACILITATORS,
    **ATTENDANCE,
    **OUTCOMES,
    **PRIVACY,
    **ADMIN,
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
