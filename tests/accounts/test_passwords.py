"""The password policy: 12 characters or more, not common, not the e-mail address."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from mestring.accounts.passwords import common_passwords, password_problems
from tests.conftest import World, sign_in
from tests.factories import PASSWORD


@pytest.mark.parametrize(
    "password",
    [
        "kort",
        "elleve tegn",
        "passwordpassword",
        "Password1234",
        "kari.nordmann 2027",
        "KARI.NORDMANN",
    ],
)
def test_weak_passwords_are_refused(password: str) -> None:
    assert password_problems(password, email="kari.nordmann@example.no")


@pytest.mark.parametrize("password", ["blå fjell og grønn te", "Trikken går til Lilleaker"])
def test_long_unusual_passwords_pass(password: str) -> None:
    assert password_problems(password, email="kari.nordmann@example.no") == []


def test_the_list_of_common_passwords_is_shipped() -> None:
    assert len(common_passwords()) > 100
    assert "qwertyuiopasdfgh" in common_passwords()


@pytest.mark.parametrize("new", ["short pass", "passwordpassword", "user-mail-{n}-x"])
def test_change_password_keeps_the_old_one_when_the_new_is_weak(
    client: FlaskClient, world: World, new: str
) -> None:
    local_part = world.school.email.split("@")[0]
    new = new.replace("user-mail-{n}", local_part)
    old_hash = world.school.password_hash
    sign_in(client, world.school)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert response.status_code == 400
    assert world.school.password_hash == old_hash
