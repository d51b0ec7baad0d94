"""GET changes nothing, POST needs a CSRF token, and `next` never leads off the site."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from tests.conftest import World
from tests.routes import ROLES
from tests.security.conftest import changed_tables, enter_as, snapshot
from tests.test_access_matrix import MATRIX

GET_ROUTES = sorted(endpoint for endpoint, (method, *_rest) in MATRIX.items() if method == "GET")
POST_ROUTES = sorted(endpoint for endpoint, (method, *_rest) in MATRIX.items() if method == "POST")


@pytest.mark.parametrize("endpoint", GET_ROUTES)
def test_get_changes_nothing_for_any_role(
    client: FlaskClient, db_session: OrmSession, world: World, endpoint: str
) -> None:
    _method, url, _expected = MATRIX[endpoint]
    address = url(world)
    for role in ROLES:
        enter_as(client, db_session, world.user(role))
        before = snapshot(db_session)
        response = client.get(address)
        assert response.status_code < 500, (endpoint, role)
        assert changed_tables(before, snapshot(db_session)) == [], (endpoint, role)


def entitled_role(expected: tuple[int, ...]) -> str:
    """A role the route serves (not refused), so that only the missing token can stop it."""
    return next(
        (role for role, status in zip(ROLES, expected, strict=True) if status not in {403, 404}),
        "anonymous",
    )


@pytest.mark.parametrize("endpoint", POST_ROUTES)
def test_post_without_csrf_token_is_refused(
    csrf_client: FlaskClient, db_session: OrmSession, world: World, endpoint: str
) -> None:
    _method, url, expected = MATRIX[endpoint]
    address = url(world)
    enter_as(csrf_client, db_session, world.user(entitled_role(expected)))
    before = snapshot(db_session)
    response = csrf_client.post(address, data={"comment": "x", "next": "/"})
    assert response.status_code == 400, endpoint
    assert changed_tables(before, snapshot(db_session)) == []


HOSTILE_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http:evil.example",
    " //evil.example",
    "/\t/evil.example",
    "/%0d%0aSet-Cookie:x=1",
    "\x00//evil.example",
]


def stays_on_site(location: str) -> bool:
    parts = urlsplit(location)
    return (
        not parts.scheme
        and not parts.netloc
        and location.startswith("/")
        and not location.startswith(("//", "/\\"))
        and not any(ord(char) < 32 for char in location)
    )


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_next_never_leads_off_the_site(client: FlaskClient, world: World, target: str) -> None:
    response = client.post(
        "/login",
        data={"email": world.school.email, "password": "correct horse battery", "next": target},
    )
    # A NUL byte is refused by the form itself: the page answers, no redirect at all.
    if response.status_code != 200:
        assert stays_on_site(response.headers["Location"]), response.headers["Location"]
    language = client.post("/language", data={"language": "en", "next": target})
    assert stays_on_site(language.headers["Location"]), language.headers["Location"]


def test_next_in_the_sign_in_page_is_escaped(client: FlaskClient) -> None:
    page = client.get('/login?next="><script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
