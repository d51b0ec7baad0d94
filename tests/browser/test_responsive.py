"""Every page of the journeys at 360 px wide (a small phone): the page body never scrolls
sideways; wide tables scroll inside their own container. Also the accessibility statement,
open to visitors, linked from every page's footer and checked with axe."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from mestring.extensions import db
from mestring.groups.enums import GroupStatus
from mestring.models import Group, Referral, Session
from mestring.scheduling.enums import SessionStatus
from tests.browser.conftest import assert_accessible, sign_in
from tests.text import nb

PHONE = 360

OVERFLOW = """() => ({
  page: document.documentElement.scrollWidth - window.innerWidth,
  tables: [...document.querySelectorAll(".mestring-table-scroll")].map(
    (box) => box.getBoundingClientRect().right - window.innerWidth),
})"""

# What sticks out past the right edge, to say which element to fix.
WIDEST = """() => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1
    && !el.closest(".mestring-table-scroll"))
  .slice(0, 5)
  .map((el) => el.tagName.toLowerCase() + "." + [...el.classList].join("."))"""


def ids(app: Flask) -> dict[str, int]:
    with app.app_context():
        group = db.session.scalar(sa.select(Group).where(Group.status == GroupStatus.RUNNING))
        assert group is not None
        session = db.session.scalar(
            sa.select(Session)
            .where(Session.group_id == group.id, Session.status == SessionStatus.PLANNED)
            .order_by(Session.starts_at)
            .limit(1)
        )
        held = db.session.scalar(
            sa.select(Session)
            .where(Session.group_id == group.id, Session.status == SessionStatus.HELD)
            .limit(1)
        )
        referral = db.session.scalar(sa.select(Referral).order_by(Referral.id).limit(1))
        assert session is not None and held is not None and referral is not None
        return {
            "group": group.id,
            "session": session.id,
            "held": held.id,
            "referral": referral.id,
            "pupil": referral.pupil_id,
        }


def pages_by_person(i: dict[str, int]) -> dict[str | None, list[str]]:
    return {
        None: ["/login", "/tilgjengelighet"],
        "skole.bestum@demo.no": ["/", "/referrals/", "/referrals/new", "/outcomes/measurements"],
        "koordinator@demo.no": [
            "/",
            "/referrals/",
            f"/referrals/{i['referral']}",
            "/groups/",
            "/groups/composer",
            f"/groups/{i['group']}",
            f"/groups/{i['group']}/plan",
            f"/groups/{i['group']}/facilitators",
            f"/groups/{i['group']}/attendance",
            f"/sessions/{i['session']}",
            f"/sessions/{i['session']}/edit",
            "/facilitators/",
            "/calendar/week",
            "/calendar/month",
            "/outcomes/measurements",
            "/outcomes/import",
            "/outcomes/",
            f"/pupils/{i['pupil']}",
            "/account",
        ],
        "ppt@demo.no": ["/", f"/sessions/{i['held']}/attendance", "/facilitators/me"],
        "analytiker@demo.no": ["/", "/outcomes/"],
    }


def overflow(page: Page) -> list[str]:
    measured = page.evaluate(OVERFLOW)
    if measured["page"] <= 0 and all(right <= 1 for right in measured["tables"]):
        return []
    return [f"{page.url}: {measured} {page.evaluate(WIDEST)}"]


def test_no_page_scrolls_sideways_at_360_px(new_page: Any, live_app: Flask) -> None:
    problems: list[str] = []
    for person, paths in pages_by_person(ids(live_app)).items():
        page = new_page(PHONE, 740)
        if person:
            sign_in(page, person)
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.ok, path
            problems += overflow(page)
    assert not problems, "\n".join(problems)


def test_a_wide_table_scrolls_in_its_own_box(new_page: Any) -> None:
    page = new_page(PHONE, 740)
    sign_in(page, "koordinator@demo.no")
    page.goto("/outcomes/")
    box = page.locator(".mestring-table-scroll").first
    assert box.evaluate("(el) => el.scrollWidth > el.clientWidth")  # wider than the phone
    assert box.evaluate("(el) => getComputedStyle(el).overflowX") == "auto"
    box.focus()  # a keyboard user scrolls it with the arrow keys
    page.keyboard.press("ArrowRight")
    expect(box).to_be_focused()
    page.wait_for_function("(el) => el.scrollLeft > 0", arg=box.element_handle())
    assert page.evaluate("window.scrollX") == 0


def test_the_accessibility_statement_is_public_and_linked(new_page: Any) -> None:
    page = new_page()
    page.goto("/login")
    page.get_by_role("contentinfo").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/tilgjengelighet$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("WCAG 2.1")).to_be_visible()
    assert_accessible(page)
    sign_in(page, "analytiker@demo.no")
    page.get_by_role("contentinfo").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/tilgjengelighet$"))
    expect(page.get_by_role("button", name=nb("Sign out"))).to_be_visible()
