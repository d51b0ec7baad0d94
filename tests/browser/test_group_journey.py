"""Journey 2: the coordinator composes a group from the waitlist, generates its plan from the
hybrid template, staffs it with PPT and school health, and is warned when a session is moved
onto the slot of another group led by the same people. Every page on the way is checked with axe."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect

from mestring.core.time import now_utc, to_oslo
from mestring.demo import TEMPLATE_HYBRID
from mestring.extensions import db
from mestring.groups.enums import GroupStatus
from mestring.models import Group, Session
from mestring.scheduling.enums import SessionStatus
from tests.browser.conftest import assert_accessible, sign_in
from tests.text import nb

GROUP = "Nettleik 8–10 år"


def running_groups_next_slot(app: Flask) -> tuple[str, str, str]:
    """Day, start and end (Oslo time) of the running group's next planned session, as the
    coordinator would read them off its plan."""
    with app.app_context():
        session = db.session.scalar(
            sa.select(Session)
            .join(Group)
            .where(
                Group.status == GroupStatus.RUNNING,
                Session.status == SessionStatus.PLANNED,
                Session.starts_at > now_utc(),
            )
            .order_by(Session.starts_at)
            .limit(1)
        )
        assert session is not None
        starts, ends = to_oslo(session.starts_at), to_oslo(session.ends_at)
    return starts.date().isoformat(), starts.strftime("%H:%M"), ends.strftime("%H:%M")


def test_compose_plan_staff_and_see_a_conflict(new_page: Any, live_app: Flask) -> None:
    page = new_page()
    sign_in(page, "koordinator@demo.no")
    assert_accessible(page)

    page.get_by_role("navigation", name=nb("Main menu")).get_by_role(
        "link", name=nb("Groups")
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name=nb("Composer")).click()
    assert_accessible(page)
    page.get_by_label(nb("Course template"), exact=True).select_option(label=TEMPLATE_HYBRID)
    page.get_by_role("button", name=nb("Show proposals")).click()
    assert_accessible(page)

    proposal = page.locator(".mestring-proposal").first
    proposal.get_by_text(nb("Create a group from this proposal")).click()
    name = proposal.get_by_role("textbox", name=re.compile(f"^{nb('Name')}"))
    name.fill("")
    proposal.get_by_role("button", name=nb("Create the group and place the pupils")).click()
    expect(page.locator(".mestring-error-summary")).to_be_visible()  # no name: nothing created
    assert_accessible(page)

    name.fill(GROUP)
    template = proposal.get_by_role("combobox", name=re.compile(f"^{nb('Course template')}"))
    template.select_option(label=TEMPLATE_HYBRID)
    proposal.get_by_role("button", name=nb("Create the group and place the pupils")).click()
    expect(page.get_by_text(nb("The group is created and its pupils are placed."))).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(GROUP)
    assert_accessible(page)

    page.get_by_role("link", name=nb("Open the session plan")).click()
    expect(page.get_by_text(nb("No sessions have been planned yet."))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=nb("Generate plan")).click()
    expect(page.get_by_text("Planen har")).to_be_visible()
    expect(page.get_by_role("link", name=nb("Edit")).first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=GROUP).first.click()
    page.get_by_role("link", name=nb("Assign facilitators")).click()
    assert_accessible(page)
    page.locator("#user").select_option(label="Ingrid Solberg")
    page.get_by_label(nb("Lead"), exact=True).check()
    page.get_by_role("button", name=nb("Assign")).click()
    page.locator("#user").select_option(label="Marte Lie")
    page.get_by_role("button", name=nb("Assign")).click()
    leading = page.get_by_role("table", name=nb("Facilitators of the group"))
    expect(leading.get_by_role("rowheader", name="Ingrid Solberg")).to_be_visible()
    expect(leading.get_by_role("rowheader", name="Marte Lie")).to_be_visible()
    assert_accessible(page)

    day, starts, ends = running_groups_next_slot(live_app)
    page.get_by_role("link", name=GROUP).first.click()
    page.get_by_role("link", name=nb("Open the session plan")).click()
    page.get_by_role("link", name=nb("Edit")).first.click()
    assert_accessible(page)
    page.get_by_label(nb("Date")).fill(day)
    page.get_by_label(nb("Starts")).fill(starts)
    page.get_by_label(nb("Ends")).fill(ends)
    page.get_by_role("button", name=nb("Save change")).click()
    expect(
        page.locator(".mestring-error-summary")
    ).to_be_visible()  # a physical session needs a room
    assert_accessible(page)
    page.get_by_label(nb("Room")).select_option(index=1)
    page.get_by_role("button", name=nb("Save change")).click()
    warning = page.get_by_role("status").filter(has_text=nb("The change causes conflicts"))
    expect(warning).to_be_visible()
    expect(warning.locator("[data-conflict=facilitator_busy]").first).to_be_visible()
    expect(page.get_by_label(nb("Save even though the change causes conflicts"))).to_be_visible()
    assert_accessible(page)
