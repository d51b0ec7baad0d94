"""Objects outside a user's scope answer 404, so that ids cannot be probed."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import World, sign_in
from tests.text import without_csrf_tokens


def test_bestum_user_gets_404_for_a_smestad_pupil(client: FlaskClient, world: World) -> None:
    sign_in(client, world.school)
    assert client.get(f"/pupils/{world.pupil.id}").status_code == 200
    response = client.get(f"/pupils/{world.smestad_pupil.id}")
    assert response.status_code == 404
    assert world.smestad_pupil.first_name not in response.get_data(as_text=True)


def test_school_user_gets_404_for_another_schools_referral(
    client: FlaskClient, world: World
) -> None:
    sign_in(client, world.school)
    assert client.get(f"/referrals/{world.smestad_referral.id}").status_code == 404


def test_school_list_holds_only_own_school(client: FlaskClient, world: World) -> None:
    sign_in(client, world.school)
    page = client.get("/referrals/").get_data(as_text=True)
    assert world.pupil.first_name in page
    assert world.smestad_pupil.first_name not in page


@pytest.mark.parametrize("path", ["pupils", "referrals"])
def test_coordinator_of_another_district_gets_404(
    client: FlaskClient, world: World, path: str
) -> None:
    sign_in(client, world.coordinator_other)
    target = world.pupil.id if path == "pupils" else world.referral.id
    assert client.get(f"/{path}/{target}").status_code == 404


def test_coordinator_sees_every_school_of_own_district_only(
    client: FlaskClient, world: World
) -> None:
    sign_in(client, world.coordinator)
    assert client.get(f"/pupils/{world.smestad_pupil.id}").status_code == 200
    assert client.get(f"/pupils/{world.other_pupil.id}").status_code == 404


@pytest.mark.parametrize("url", ["/groups/{group}", "/sessions/{session}", "/pupils/{pupil}"])
def test_facilitator_of_another_group_gets_404(client: FlaskClient, world: World, url: str) -> None:
    target = url.format(group=world.group.id, session=world.session.id, pupil=world.pupil.id)
    sign_in(client, world.facilitator_unassigned)
    assert client.get(target).status_code == 404
    client.post("/logout")
    sign_in(client, world.facilitator)
    assert client.get(target).status_code == 200


def test_missing_object_and_foreign_object_look_the_same(client: FlaskClient, world: World) -> None:
    sign_in(client, world.school)
    foreign_url = f"/pupils/{world.smestad_pupil.id}"
    foreign = client.get(foreign_url)
    missing = client.get("/pupils/999999")
    assert foreign.status_code == missing.status_code == 404
    # The pages differ only in the address the language switch returns to (and in the CSRF
    # tokens, which carry the time).
    assert without_csrf_tokens(foreign.get_data(as_text=True)).replace(
        foreign_url, ""
    ) == without_csrf_tokens(missing.get_data(as_text=True)).replace("/pupils/999999", "")
