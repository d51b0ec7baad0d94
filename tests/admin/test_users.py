"""Admins create accounts, change role and scope; a new user sets a password from a link."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring.accounts.enums import Role
from mestring.accounts.models import PasswordSetupToken, User
from mestring.audit.models import AuditEvent
from tests.conftest import World, sign_in

NEW_PASSWORD = "Lysejordet har nytt tak"


def create(client: FlaskClient, world: World, **overrides: str) -> tuple[int, str]:
    data = {
        "name": "Nora Nærvær",
        "email": "Nora.Naervaer@Example.no",
        "role": "school",
        "district": str(world.bestum.district_id),
        "school": str(world.bestum.id),
        "service": "",
        **overrides,
    }
    response = client.post("/admin/users/new", data=data)
    return response.status_code, response.get_data(as_text=True)


def setup_path(page: str) -> str:
    match = re.search(r'value="http://localhost(/account/setup/[^"]+)"', page)
    assert match is not None, page
    return match.group(1)


def test_admin_creates_a_user_who_sets_a_password_once(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    sign_in(client, world.admin)
    status, page = create(client, world)
    assert status == 200
    path = setup_path(page)
    user = db_session.scalars(sa.select(User).where(User.email == "nora.naervaer@example.no")).one()
    assert (user.role, user.school_id, user.district_id) == (
        Role.SCHOOL,
        world.bestum.id,
        world.bestum.district_id,
    )
    token = path.rsplit("/", 1)[1]
    stored = db_session.scalars(sa.select(PasswordSetupToken)).one()
    assert token not in stored.token_hash
    client.post("/logout")

    # No password works before the link is used.
    refused = client.post("/login", data={"email": user.email, "password": "!unusable"})
    assert refused.status_code == 200
    assert client.get(path).status_code == 200
    weak = client.post(path, data={"new_password": "nora.naervaer1", "confirm_password": "x"})
    assert weak.status_code == 400
    done = client.post(path, data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert done.headers["Location"] == "/login"
    assert client.get(path).status_code == 404
    sign_in(client, user, password=NEW_PASSWORD)
    actions = set(db_session.scalars(sa.select(AuditEvent.action)))
    assert {"create_user", "set_password"} <= actions


def test_an_expired_or_replaced_link_does_not_work(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    sign_in(client, world.admin)
    first = setup_path(create(client, world)[1])
    user = db_session.scalars(sa.select(User).where(User.email == "nora.naervaer@example.no")).one()
    second = setup_path(client.post(f"/admin/users/{user.id}/setup-link").get_data(as_text=True))
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    setup = db_session.scalars(sa.select(PasswordSetupToken)).one()
    setup.expires_at = setup.created_at - timedelta(seconds=1)
    db_session.flush()
    assert client.get(second).status_code == 404


def test_a_role_without_its_scope_is_refused(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    sign_in(client, world.admin)
    for overrides in (
        {"school": ""},
        {"role": "facilitator", "school": ""},
        {"role": "coordinator", "district": ""},
        {"school": str(world.other_school.id)},
        {"email": world.coordinator.email},
        {"role": "superuser"},
    ):
        status, _page = create(client, world, **overrides)
        assert status == 400, overrides
    count = db_session.scalar(sa.select(sa.func.count()).where(User.name == "Nora Nærvær"))
    assert count == 0


def test_changing_role_and_scope_signs_the_user_out(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    token = world.school.session_token
    sign_in(client, world.admin)
    response = client.post(
        f"/admin/users/{world.school.id}",
        data={
            "name": world.school.name,
            "email": world.school.email,
            "role": "coordinator",
            "district": str(world.bestum.district_id),
            "school": str(world.bestum.id),
            "service": "",
        },
    )
    assert response.status_code == 302
    db_session.refresh(world.school)
    assert (world.school.role, world.school.school_id) == (Role.COORDINATOR, None)
    assert world.school.session_token != token


def test_the_user_page_offers_the_account_actions(client: FlaskClient, world: World) -> None:
    sign_in(client, world.admin)
    page = client.get(f"/admin/users/{world.school.id}").get_data(as_text=True)
    for action in ("setup-link", "sign-out", "deactivate"):
        assert f"/admin/users/{world.school.id}/{action}" in page
    own = client.get(f"/admin/users/{world.admin.id}").get_data(as_text=True)
    assert f"/admin/users/{world.admin.id}/deactivate" not in own
