"""Access matrix rows for outcomes: absence entry and import, measurements, dashboard, exports."""

from tests.routes import Routes

# Roles: anonymous, school, facilitator, coordinator, analyst, admin.
ROUTES: Routes = {
    "outcomes.index": ("GET", lambda w: "/outcomes/", (302, 403, 403, 200, 200, 403)),
    "outcomes.export_csv": (
        "GET",
        lambda w: "/outcomes/export.csv",
        (302, 403, 403, 200, 200, 403),
    ),
    "outcomes.export_xlsx": (
        "GET",
        lambda w: "/outcomes/export.xlsx",
        (302, 403, 403, 200, 200, 403),
    ),
    "outcomes.outstanding": (
        "GET",
        lambda w: "/outcomes/measurements",
        (302, 200, 403, 200, 403, 403),
    ),
    # The world's pupil is a placed Bestum pupil: Bestum's school user and the coordinator.
    "outcomes.enter": (
        "GET",
        lambda w: f"/outcomes/pupils/{w.pupil.id}/absence/baseline",
        (302, 200, 403, 200, 403, 403),
    ),
    "outcomes.import_absence": (
        "GET",
        lambda w: "/outcomes/import",
        (302, 200, 403, 200, 403, 403),
    ),
    # An empty confirmation is a bad request for those allowed to confirm at all.
    "outcomes.confirm_import": (
        "POST",
        lambda w: "/outcomes/import/confirm",
        (302, 400, 403, 400, 403, 403),
    ),
    "outcomes.import_sample": (
        "GET",
        lambda w: "/outcomes/import/sample.csv",
        (302, 200, 403, 200, 403, 403),
    ),
}
