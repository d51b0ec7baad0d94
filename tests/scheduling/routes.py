"""Access matrix rows for sessions, plans, calendars, feeds and closed periods."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from mestring.extensions import db
from mestring.scheduling.enums import ClosedPeriodKind
from mestring.scheduling.models import ClosedPeriod, SessionSubstitute
from tests.routes import Routes

if TYPE_CHECKING:
    from tests.conftest import World

STAFF_OK = (302, 403, 200, 200, 403, 403)
ADMIN_OK = (302, 403, 403, 403, 403, 200)


def closed_period_of(world: World) -> int:
    """A closed period of the world's district (the World has none of its own)."""
    period = ClosedPeriod(
        district_id=world.group.district_id,
        kind=ClosedPeriodKind.WINTER,
        name="Vinterferie 2027",
        starts_on=date(2027, 2, 22),
        ends_on=date(2027, 2, 26),
    )
    db.session.add(period)
    db.session.flush()
    return period.id


def substitute_url(world: World) -> str:
    """The world's session with the unassigned facilitator standing in for the assigned one."""
    row = SessionSubstitute(
        session=world.session, replaced=world.facilitator, substitute=world.facilitator_unassigned
    )
    db.session.add(row)
    db.session.flush()
    return f"/sessions/{world.session.id}/substitutes/{row.id}/remove"


ROUTES: Routes = {
    "scheduling.session_detail": ("GET", lambda w: f"/sessions/{w.session.id}", STAFF_OK),
    "scheduling.session_edit": ("GET", lambda w: f"/sessions/{w.session.id}/edit", STAFF_OK),
    # An empty form: the reason is missing.
    "scheduling.session_cancel": (
        "POST",
        lambda w: f"/sessions/{w.session.id}/cancel",
        (302, 403, 400, 400, 403, 403),
    ),
    # Only the coordinator; an empty form lacks the choices.
    "scheduling.substitute_set": (
        "POST",
        lambda w: f"/sessions/{w.session.id}/substitutes",
        (302, 403, 403, 400, 403, 403),
    ),
    # Without the version the coordinator is sent back to the session with a message.
    "scheduling.substitute_remove": ("POST", substitute_url, (302, 403, 403, 302, 403, 403)),
    "scheduling.session_ics": ("GET", lambda w: f"/sessions/{w.session.id}.ics", STAFF_OK),
    "scheduling.group_plan": ("GET", lambda w: f"/groups/{w.group.id}/plan", STAFF_OK),
    # Only the coordinator generates; an empty form lacks the start date.
    "scheduling.generate_group_plan": (
        "POST",
        lambda w: f"/groups/{w.group.id}/plan/generate",
        (302, 403, 403, 400, 403, 403),
    ),
    "scheduling.group_plan_ics": ("GET", lambda w: f"/groups/{w.group.id}/plan.ics", STAFF_OK),
    "scheduling.calendar_week": ("GET", lambda w: "/calendar/week?week=2027-W05", STAFF_OK),
    "scheduling.calendar_month": ("GET", lambda w: "/calendar/month?month=2027-02", STAFF_OK),
    # The token is the only key: a wrong one is 404 whoever asks.
    "scheduling.calendar_feed": (
        "GET",
        lambda w: "/calendar/feed/not-a-real-token-0123456789abcdef.ics",
        (404, 404, 404, 404, 404, 404),
    ),
    "scheduling.feed_link": ("POST", lambda w: "/calendar/feed-link", STAFF_OK),
    "scheduling.feed_link_revoke": (
        "POST",
        lambda w: "/calendar/feed-link/revoke",
        (302, 403, 302, 302, 403, 403),
    ),
    "scheduling.closed_periods": ("GET", lambda w: "/closed-periods/", ADMIN_OK),
    "scheduling.closed_period_new": ("GET", lambda w: "/closed-periods/new", ADMIN_OK),
    "scheduling.closed_period_edit": (
        "GET",
        lambda w: f"/closed-periods/{closed_period_of(w)}/edit",
        ADMIN_OK,
    ),
    "scheduling.closed_period_delete": (
        "POST",
        lambda w: f"/closed-periods/{closed_period_of(w)}/delete",
        (302, 403, 403, 403, 403, 302),
    ),
}
