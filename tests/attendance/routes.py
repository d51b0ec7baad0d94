"""Access matrix rows for recording attendance and a group's attendance page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tests import factories as f
from tests.routes import Routes

if TYPE_CHECKING:
    from tests.conftest import World

STAFF_OK = (302, 403, 200, 200, 403, 403)


def past_session_url(world: World) -> str:
    """A session of the world's group that has been held (October 2026)."""
    session = f.SessionFactory(
        group=world.group, starts_at=datetime(2026, 10, 6, 12, 0, tzinfo=UTC)
    )
    return f"/sessions/{session.id}/attendance"


ROUTES: Routes = {
    "attendance.record": ("GET", past_session_url, STAFF_OK),
    "attendance.group_overview": ("GET", lambda w: f"/groups/{w.group.id}/attendance", STAFF_OK),
}
