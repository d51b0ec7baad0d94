"""Access matrix rows for sessions and calendars."""

from tests.routes import Routes

ROUTES: Routes = {
    "scheduling.session_detail": (
        "GET",
        lambda w: f"/sessions/{w.session.id}",
        (302, 403, 200, 200, 403, 403),
    ),
}
