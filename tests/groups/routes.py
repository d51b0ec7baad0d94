"""Access matrix rows for groups, the composer, course templates and keep-apart pairs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mestring.extensions import db
from mestring.groups.enums import SessionMode
from mestring.groups.models import CourseTemplate, KeepApartPair, TemplateSession
from tests.routes import Routes

if TYPE_CHECKING:
    from tests.conftest import World

ONLY_COORDINATOR = (302, 403, 403, 200, 403, 403)
COORDINATOR_POST_REDIRECTS = (302, 403, 403, 302, 403, 403)
COORDINATOR_POST_INVALID = (302, 403, 403, 400, 403, 403)


def own_template(world: World) -> CourseTemplate:
    """A course template owned by Ullern (world.coordinator's district), with one session."""
    template = CourseTemplate(
        district_id=world.coordinator.district_id,
        name="Ullerns kursmal",
        sessions=[
            TemplateSession(position=1, title="Første", mode=SessionMode.PHYSICAL),
            TemplateSession(position=2, title="Andre", mode=SessionMode.DIGITAL),
        ],
    )
    db.session.add(template)
    db.session.flush()
    return template


def template_session_url(world: World, action: str) -> str:
    template = own_template(world)
    return f"/groups/templates/{template.id}/sessions/{template.sessions[0].id}/{action}"


def pair_url(world: World) -> str:
    low, high = sorted((world.pupil.id, world.smestad_pupil.id))
    pair = KeepApartPair(district_id=world.coordinator.district_id, pupil_a_id=low, pupil_b_id=high)
    db.session.add(pair)
    db.session.flush()
    return f"/groups/keep-apart/{pair.id}/delete"


def membership_url(world: World) -> str:
    membership = world.group.memberships[0]
    return f"/groups/{world.group.id}/members/{membership.id}/remove"


ROUTES: Routes = {
    "groups.index": ("GET", lambda w: "/groups/", (302, 403, 200, 200, 403, 403)),
    "groups.detail": ("GET", lambda w: f"/groups/{w.group.id}", (302, 403, 200, 200, 403, 403)),
    "groups.new": ("GET", lambda w: "/groups/new", ONLY_COORDINATOR),
    "groups.edit": ("GET", lambda w: f"/groups/{w.group.id}/edit", ONLY_COORDINATOR),
    "groups.change_status_view": (
        "POST",
        lambda w: f"/groups/{w.group.id}/status",
        COORDINATOR_POST_REDIRECTS,
    ),
    "groups.place": ("POST", lambda w: f"/groups/{w.group.id}/members", COORDINATOR_POST_INVALID),
    "groups.remove_member_view": ("POST", membership_url, COORDINATOR_POST_INVALID),
    "groups.composer": ("GET", lambda w: "/groups/composer", ONLY_COORDINATOR),
    "groups.templates": ("GET", lambda w: "/groups/templates", ONLY_COORDINATOR),
    "groups.template_detail": (
        "GET",
        lambda w: f"/groups/templates/{w.group.template_id}",
        ONLY_COORDINATOR,
    ),
    "groups.copy_template": (
        "POST",
        lambda w: f"/groups/templates/{w.group.template_id}/copy",
        COORDINATOR_POST_REDIRECTS,
    ),
    "groups.edit_template": (
        "GET",
        lambda w: f"/groups/templates/{own_template(w).id}/edit",
        ONLY_COORDINATOR,
    ),
    "groups.add_template_session_view": (
        "GET",
        lambda w: f"/groups/templates/{own_template(w).id}/sessions/new",
        ONLY_COORDINATOR,
    ),
    "groups.edit_template_session": (
        "GET",
        lambda w: template_session_url(w, "edit"),
        ONLY_COORDINATOR,
    ),
    "groups.move_template_session_view": (
        "POST",
        lambda w: template_session_url(w, "move"),
        COORDINATOR_POST_REDIRECTS,
    ),
    "groups.delete_template_session_view": (
        "POST",
        lambda w: template_session_url(w, "delete"),
        COORDINATOR_POST_REDIRECTS,
    ),
    "groups.keep_apart": ("GET", lambda w: "/groups/keep-apart", ONLY_COORDINATOR),
    "groups.delete_keep_apart_view": ("POST", pair_url, COORDINATOR_POST_REDIRECTS),
}
