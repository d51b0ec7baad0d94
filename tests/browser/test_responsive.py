"""Every page of the journeys at 360 px wide (a small phone), also as met halfway through a task
(forms shown with their errors, an import's row report, a move that asks to confirm conflicts):
the page body never scrolls sideways; wide tables scroll inside their own container. Also the
accessibility statement, open to visitors, linked from every page's footer and checked with axe."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from mestring.core.time import to_oslo, today_oslo
from mestring.extensions import db
from mestring.groups.enums import GroupStatus
from mestring.models import Group, GroupMembership, Referral, Session
from mestring.outcomes.importing import HEADER
from mestring.scheduling.enums import SessionStatus
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_import_journey import csv_file
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
        member = db.session.scalar(
            sa.select(GroupMembership).where(GroupMembership.group_id == group.id).limit(1)
        )
        assert session is not None and held is not None and referral is not None
        assert member is not None
        return {
            "group": group.id,
            "session": session.id,
            "held": held.id,
            "referral": referral.id,
            "pupil": referral.pupil_id,
            "member": member.pupil_id,
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
    # Measured once the web fonts are in: a fallback font sets the text wider for a moment.
    page.evaluate("async () => { await document.fonts.ready; }")
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


def forms_by_person(i: dict[str, int]) -> dict[str | None, list[str]]:
    """Forms that, sent with their fields emptied, come back with errors (and save nothing)."""
    return {
        None: ["/login"],
        "skole.bestum@demo.no": ["/referrals/new"],
        "koordinator@demo.no": [
            "/groups/new",
            "/groups/keep-apart",
            f"/sessions/{i['session']}/edit",
            f"/outcomes/pupils/{i['member']}/absence/baseline",
            "/outcomes/import",
        ],
        "admin@demo.no": ["/admin/users/new", "/closed-periods/new"],
    }


def send_emptied(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, path
    form = page.locator("main form.mestring-form[method=post]").first
    fields = form.locator(
        "input[type=text], input[type=email], input[type=number], input[type=date], "
        "input[type=time], input[type=url], textarea"
    )
    for index in range(fields.count()):
        fields.nth(index).fill("")
    form.locator(".mestring-actions button[type=submit]").first.click()
    expect(page.locator(".mestring-error-summary").first).to_be_visible()


def test_forms_with_errors_fit_360_px(new_page: Any, live_app: Flask) -> None:
    problems: list[str] = []
    for person, paths in forms_by_person(ids(live_app)).items():
        page = new_page(PHONE, 740)
        if person:
            sign_in(page, person)
        for path in paths:
            send_emptied(page, path)
            problems += overflow(page)
            assert_accessible(page)
    assert not problems, "\n".join(problems)


def test_an_import_row_report_fits_360_px(new_page: Any, live_app: Flask) -> None:
    with live_app.app_context():
        pupil = db.session.scalar(
            sa.select(Referral).where(Referral.pupil.has()).order_by(Referral.id).limit(1)
        )
        assert pupil is not None
        school, pupil_ref = pupil.school.name, pupil.pupil.pupil_ref
    end = today_oslo()
    start = end.replace(day=1)
    rows = [
        f"{pupil_ref},baseline,{start},{end},55,275,4,4,10,5,6",
        f"{pupil_ref},after,{start},{end},50,250,1,1,4,2,1",
        f"no-such-pupil-at-the-school,post,{end},{start},-1,x,1,1,4,2,1",
    ]
    assert len(HEADER) == 11
    page = new_page(PHONE, 740)
    sign_in(page, "koordinator@demo.no")
    page.goto("/outcomes/import")
    page.get_by_role("combobox", name=re.compile(f"^{nb('School')}")).select_option(label=school)
    page.get_by_label(nb("CSV file")).set_input_files(csv_file(*rows))
    page.get_by_role("button", name=nb("Check the file")).click()
    report = page.get_by_role("table", name=nb("Rows of the file"))
    expect(report.get_by_role("row")).to_have_count(4)
    expect(page.get_by_role("alert").filter(has_text=re.compile(r"\bav 3\b"))).to_be_visible()
    assert overflow(page) == []
    assert_accessible(page)


def test_a_move_that_asks_to_confirm_conflicts_fits_360_px(new_page: Any, live_app: Flask) -> None:
    i = ids(live_app)
    with live_app.app_context():
        session = db.session.get(Session, i["session"])
        assert session is not None
        starts, ends = to_oslo(session.starts_at), to_oslo(session.ends_at)
    national_day = starts.date().replace(month=5, day=17)
    if national_day <= today_oslo():
        national_day = national_day.replace(year=national_day.year + 1)
    page = new_page(PHONE, 740)
    sign_in(page, "koordinator@demo.no")
    page.goto(f"/sessions/{i['session']}/edit")
    page.get_by_label(nb("Date")).fill(national_day.isoformat())
    page.get_by_label(nb("Starts")).fill(starts.strftime("%H:%M"))
    page.get_by_label(nb("Ends")).fill(ends.strftime("%H:%M"))
    page.get_by_role("button", name=nb("Save change")).click()
    warning = page.get_by_role("status").filter(has_text=nb("The change causes conflicts"))
    expect(warning.locator("[data-conflict=public_holiday]")).to_be_visible()
    expect(page.get_by_label(nb("Save even though the change causes conflicts"))).to_be_visible()
    assert overflow(page) == []
    assert_accessible(page)


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
