"""Access matrix rows for outcomes."""

from tests.routes import Routes

ROUTES: Routes = {
    "outcomes.index": ("GET", lambda w: "/outcomes/", (302, 403, 403, 200, 200, 403)),
}
