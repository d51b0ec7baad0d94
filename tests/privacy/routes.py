"""Access matrix rows for consent withdrawal and the access export."""

from tests.routes import Routes

ROUTES: Routes = {
    # The school and the coordinator withdraw, then land on the pupil page.
    "privacy.withdraw": (
        "POST",
        lambda w: f"/pupils/{w.pupil.id}/withdraw-consent",
        (302, 302, 403, 302, 403, 403),
    ),
    "privacy.export_json": (
        "GET",
        lambda w: f"/pupils/{w.pupil.id}/export.json",
        (302, 403, 403, 200, 403, 403),
    ),
    "privacy.export_page": (
        "GET",
        lambda w: f"/pupils/{w.pupil.id}/export",
        (302, 403, 403, 200, 403, 403),
    ),
}
