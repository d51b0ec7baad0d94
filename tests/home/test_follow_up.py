"""The coordinator's pupils to follow up are cached per district, and every committed change
to what they are found from shows at once."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring.groups.enums import GroupStatus
from mestring.home import views
from mestring.scheduling.models import Session
from tests.attendance.conftest import past_sessions
from tests.conftest import World, sign_in


def record(client: FlaskClient, world: World, session: Session, status: str) -> None:
    data = {f"status_{world.pupil.id}": status}
    assert client.post(f"/sessions/{session.id}/attendance", data=data).status_code == 302


def test_the_follow_up_list_is_cached_and_follows_every_change(
    client: FlaskClient, world: World, db_session: OrmSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    found: list[int | None] = []

    def district_flags(db: Any, district_id: int | None) -> Any:
        found.append(district_id)
        return flags(db, district_id)

    flags = views.district_flags
    monkeypatch.setattr(views, "district_flags", district_flags)
    world.group.status = GroupStatus.RUNNING
    sessions = past_sessions(world.group, 4)
    db_session.commit()
    facilitator = client.application.test_client()
    sign_in(facilitator, world.facilitator)
    for session, status in zip(sessions, ("present", "present", "absent", "excused"), strict=True):
        record(facilitator, world, session, status)
    sign_in(client, world.coordinator)
    start = client.get("/").get_data(as_text=True)
    assert world.pupil.full_name in start and 'data-flag="missed_in_a_row"' in start
    assert 'data-flag="missed_in_a_row"' in client.get("/").get_data(as_text=True)
    assert len(found) == 1, "the second visit is served from the cache"

    world.pupil.first_name = "Omdøpt"
    db_session.commit()
    assert "Omdøpt" in client.get("/").get_data(as_text=True)

    for session in sessions[2:]:
        record(facilitator, world, session, "present")
    start = client.get("/").get_data(as_text=True)
    assert "Omdøpt" not in start and 'data-flag="missed_in_a_row"' not in start
    assert len(found) == 3
