"""Access matrix rows for administration."""

from tests.routes import Routes

ROUTES: Routes = {
    "admin.users": ("GET", lambda w: "/admin/users", (302, 403, 403, 403, 403, 200)),
}
