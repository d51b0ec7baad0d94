"""Access matrix rows for administration: accounts and the audit log."""

from tests.routes import Routes

ADMIN_OK = (302, 403, 403, 403, 403, 200)
ADMIN_REDIRECTS = (302, 403, 403, 403, 403, 302)

ROUTES: Routes = {
    "admin.users": ("GET", lambda w: "/admin/users", ADMIN_OK),
    "admin.user_new": ("GET", lambda w: "/admin/users/new", ADMIN_OK),
    "admin.user_edit": ("GET", lambda w: f"/admin/users/{w.school.id}", ADMIN_OK),
    "admin.user_deactivate": (
        "POST",
        lambda w: f"/admin/users/{w.school.id}/deactivate",
        ADMIN_REDIRECTS,
    ),
    "admin.user_activate": (
        "POST",
        lambda w: f"/admin/users/{w.school.id}/activate",
        ADMIN_REDIRECTS,
    ),
    "admin.user_sign_out": (
        "POST",
        lambda w: f"/admin/users/{w.school.id}/sign-out",
        ADMIN_REDIRECTS,
    ),
    # The one-time link is shown on the answer to the POST itself.
    "admin.user_setup_link": ("POST", lambda w: f"/admin/users/{w.school.id}/setup-link", ADMIN_OK),
    "admin.audit": ("GET", lambda w: "/admin/audit?action=sign_in", ADMIN_OK),
}
