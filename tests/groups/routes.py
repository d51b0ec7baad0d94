"""Access matrix rows for groups."""

from tests.routes import Routes

ROUTES: Routes = {
    "groups.index": ("GET", lambda w: "/groups/", (302, 403, 200, 200, 403, 403)),
    "groups.detail": ("GET", lambda w: f"/groups/{w.group.id}", (302, 403, 200, 200, 403, 403)),
}
