"""Access matrix rows for referrals and the pupil page."""

from tests.routes import Routes

ROUTES: Routes = {
    "referrals.index": ("GET", lambda w: "/referrals/", (302, 200, 403, 200, 403, 403)),
    "referrals.detail": (
        "GET",
        lambda w: f"/referrals/{w.referral.id}",
        (302, 200, 403, 200, 403, 403),
    ),
    "pupils.detail": ("GET", lambda w: f"/pupils/{w.pupil.id}", (302, 200, 200, 200, 403, 403)),
}
