"""Access matrix rows for referrals and the pupil page."""

from tests.routes import Routes

ROUTES: Routes = {
    "referrals.index": ("GET", lambda w: "/referrals/", (302, 200, 403, 200, 403, 403)),
    "referrals.new": ("GET", lambda w: "/referrals/new", (302, 200, 403, 403, 403, 403)),
    "referrals.detail": (
        "GET",
        lambda w: f"/referrals/{w.referral.id}",
        (302, 200, 403, 200, 403, 403),
    ),
    # The world's referral is placed: only the coordinator may still correct it.
    "referrals.edit": (
        "GET",
        lambda w: f"/referrals/{w.referral.id}/edit",
        (302, 404, 403, 200, 403, 403),
    ),
    "referrals.consent": (
        "POST",
        lambda w: f"/referrals/{w.referral.id}/consent",
        (302, 400, 403, 400, 403, 403),
    ),
    "referrals.status": (
        "POST",
        lambda w: f"/referrals/{w.referral.id}/status/completed",
        (302, 302, 403, 302, 403, 403),
    ),
    "referrals.share_worry_view": (
        "POST",
        lambda w: f"/referrals/{w.referral.id}/share-worry",
        (302, 403, 403, 302, 403, 403),
    ),
    "pupils.detail": ("GET", lambda w: f"/pupils/{w.pupil.id}", (302, 200, 200, 200, 403, 403)),
}
