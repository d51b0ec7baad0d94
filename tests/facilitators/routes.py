"""Access matrix rows for the workload list, profiles, unavailability and staffing a group."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from mestring.extensions import db
from mestring.scheduling.enums import UnavailabilityReason
from mestring.scheduling.models import Unavailability
from tests.routes import Routes

if TYPE_CHECKING:
    from tests.conftest import World

ONLY_COORDINATOR = (302, 403, 403, 200, 403, 403)
STAFF_OK = (302, 403, 200, 200, 403, 403)


def unavailability_url(world: World) -> str:
    item = Unavailability(
        user=world.facilitator,
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 5),
        reason=UnavailabilityReason.COURSE,
    )
    db.session.add(item)
    db.session.flush()
    return f"/facilitators/{world.facilitator.id}/unavailability/{item.id}/delete"


def assignment_url(world: World) -> str:
    assignment = world.group.facilitators[0]
    return f"/groups/{world.group.id}/facilitators/{assignment.id}/remove"


ROUTES: Routes = {
    "facilitators.index": ("GET", lambda w: "/facilitators/", ONLY_COORDINATOR),
    "facilitators.me": ("GET", lambda w: "/facilitators/me", (302, 403, 302, 403, 403, 403)),
    # The world's facilitator: their own profile, and one of the coordinator's district.
    "facilitators.profile": ("GET", lambda w: f"/facilitators/{w.facilitator.id}", STAFF_OK),
    # An empty form: the dates are missing.
    "facilitators.add_unavailability_view": (
        "POST",
        lambda w: f"/facilitators/{w.facilitator.id}/unavailability",
        (302, 403, 400, 400, 403, 403),
    ),
    "facilitators.delete_unavailability_view": (
        "POST",
        unavailability_url,
        (302, 403, 302, 302, 403, 403),
    ),
    "facilitators.assign": (
        "GET",
        lambda w: f"/groups/{w.group.id}/facilitators",
        ONLY_COORDINATOR,
    ),
    "facilitators.remove": ("POST", assignment_url, (302, 403, 403, 302, 403, 403)),
}
