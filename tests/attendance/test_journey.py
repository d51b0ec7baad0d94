"""Journey in a browser: the coordinator staffs a group with PPT and school health, the PPT
facilitator sees the next session on the start page and records attendance on a tablet
(768 px wide, no sideways scrolling, axe-checked), and the coordinator sees the flag for the
pupil who missed twice."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from playwright.sync_api import Page, expect, sync_playwright
from werkzeug.serving import make_server

from mestring import create_app
from mestring.core.time import now_utc
from mestring.demo import load_demo
from mestring.extensions import db, limiter
from mestring.groups.enums import GroupStatus, SessionMode
from mestring.models import Group, GroupMembership, Referral, Session, Term, Venue
from mestring.referrals.enums import ReferralStatus

# Skips this module unless Debian's Chromium is installed, and on the PostgreSQL pass.
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, assert_accessible, sign_in
from tests.conftest import app_config

pytestmark = pytest.mark.browser

GROUP = "Skøyen 8–10 år"


def add_unstaffed_group() -> tuple[str, list[str]]:
    """A running group with three pupils, two sessions held last week, one tomorrow, and no
    facilitators yet."""
    now = now_utc()
    running = db.session.scalar(sa.select(Group).where(Group.status == GroupStatus.RUNNING))
    term = db.session.get(Term, running.term_id)
    venue = db.session.scalar(sa.select(Venue).limit(1))
    waiting = db.session.scalars(
        sa.select(Referral).where(Referral.status == ReferralStatus.ACCEPTED).limit(3)
    ).all()
    group = Group(
        district_id=running.district_id,
        term=term,
        template=running.template,
        name=GROUP,
        status=GroupStatus.RUNNING,
        venue=venue,
        video_link="https://whereby.com/skoyen",
        starts_on=(now - timedelta(days=8)).date(),
    )
    for referral in waiting:
        referral.status = ReferralStatus.PLACED
        group.memberships.append(GroupMembership(referral=referral, pupil_id=referral.pupil_id))
    for number, days in enumerate((-8, -1, 1), start=1):
        starts = (now + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
        group.sessions.append(
            Session(
                position=number,
                title=f"Samling {number}",
                mode=SessionMode.PHYSICAL,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=90),
                venue=venue,
            )
        )
    db.session.add(group)
    db.session.flush()
    return GROUP, [r.pupil.full_name for r in waiting]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    folder = tmp_path_factory.mktemp("walk")
    os.environ["MESTRING_INSTANCE_PATH"] = str(folder)
    app = create_app(
        app_config(f"sqlite:///{folder / 'walk.sqlite'}", WTF_CSRF_ENABLED=True, TESTING=False)
    )
    with app.app_context():
        upgrade()
        load_demo(db.session, now=now_utc())
        _name, pupils = add_unstaffed_group()
        db.session.commit()
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", pupils
    httpd.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def open_page(server: tuple[str, list[str]]) -> Iterator[Any]:
    limiter.reset()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

        def new(width: int = 1280, height: int = 900) -> Page:
            context = browser.new_context(
                base_url=server[0], viewport={"width": width, "height": height}, locale="nb-NO"
            )
            return context.new_page()

        yield new
        browser.close()


def no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_staff_a_group_record_attendance_on_a_tablet_and_see_the_flag(
    open_page: Any, server: tuple[str, list[str]]
) -> None:
    pupils = server[1]
    coordinator = open_page()
    sign_in(coordinator, "koordinator@demo.no")
    coordinator.goto("/groups/")
    coordinator.get_by_role("link", name=GROUP).click()
    expect(coordinator.locator("[data-warning=few_facilitators]")).to_be_visible()
    coordinator.get_by_role("link", name="Tildel kursledere").click()
    assert_accessible(coordinator)
    coordinator.locator("#user").select_option(label="Ingrid Solberg")
    coordinator.get_by_label("Hovedkursleder", exact=True).check()
    coordinator.get_by_role("button", name="Tildel").click()
    coordinator.locator("#user").select_option(label="Marte Lie")
    coordinator.get_by_role("button", name="Tildel").click()
    expect(coordinator.get_by_text("Marte Lie").first).to_be_visible()
    coordinator.get_by_role("link", name=GROUP).first.click()
    expect(coordinator.locator("[data-warning=few_facilitators]")).to_have_count(0)
    expect(coordinator.locator("[data-warning=missing_service]")).to_have_count(1)

    tablet = open_page(768, 1024)
    sign_in(tablet, "ppt@demo.no")
    expect(tablet.get_by_text(GROUP).first).to_be_visible()
    expect(tablet.locator("[data-missing-session]")).to_have_count(2)
    no_horizontal_scroll(tablet)
    assert_accessible(tablet)
    for status in ("Ikke møtt", "Meldt forfall"):
        tablet.get_by_role("link", name="Registrer oppmøte").first.click()
        rows = tablet.locator(".mestring-attendance__row")
        for index in range(rows.count()):
            choice = status if index == 0 else "Til stede"
            rows.nth(index).get_by_text(choice, exact=True).click()
        no_horizontal_scroll(tablet)
        assert_accessible(tablet)
        tablet.get_by_role("button", name="Lagre oppmøte").click()
        expect(tablet.locator(".mestring-alert").first).to_be_visible()
        tablet.goto("/")
    expect(tablet.locator("[data-missing-session]")).to_have_count(0)

    coordinator.goto("/")
    expect(coordinator.get_by_role("link", name=pupils[0])).to_be_visible()
    assert_accessible(coordinator)
