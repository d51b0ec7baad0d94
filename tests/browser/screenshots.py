"""Screenshots of real pages for the README: the demo programme, served and photographed.

Run with `make screenshots`; it writes docs/screenshots/*.png. Needs Debian's Chromium.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from mestring import create_app
from mestring.core.time import now_utc
from mestring.demo import DEMO_PASSWORD, load_demo
from mestring.extensions import db
from mestring.groups.enums import GroupStatus
from mestring.models import Group, Referral, Session
from mestring.referrals.enums import ReferralStatus
from mestring.scheduling.enums import SessionStatus
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TABLET = {"width": 768, "height": 1024}
DESKTOP = {"width": 1280, "height": 900}


def running_group() -> int:
    return db.session.scalars(
        sa.select(Group.id).where(Group.status == GroupStatus.RUNNING)
    ).first()


def submitted_referral() -> int:
    stmt = sa.select(Referral.id).where(Referral.status == ReferralStatus.SUBMITTED)
    return db.session.scalars(stmt).first()


def last_held_session() -> int:
    stmt = (
        sa.select(Session.id)
        .where(Session.status == SessionStatus.HELD, Session.guardians_attend.is_(False))
        .order_by(Session.starts_at.desc())
    )
    return db.session.scalars(stmt).first()


# name, account, path (from the demo data), viewport
SHOTS: list[tuple[str, str, Callable[[], str], dict[str, int]]] = [
    ("start-coordinator", "koordinator@demo.no", lambda: "/", DESKTOP),
    ("referral", "koordinator@demo.no", lambda: f"/referrals/{submitted_referral()}", DESKTOP),
    ("group-plan", "koordinator@demo.no", lambda: f"/groups/{running_group()}/plan", DESKTOP),
    (
        "attendance-tablet",
        "ppt@demo.no",
        lambda: f"/sessions/{last_held_session()}/attendance",
        TABLET,
    ),
    ("outcomes", "analytiker@demo.no", lambda: "/outcomes/", DESKTOP),
]


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="mestring-shots-"))
    os.environ["MESTRING_INSTANCE_PATH"] = str(folder)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.sqlite'}"})
    with app.app_context():
        upgrade()
        load_demo(db.session, now=now_utc())
        db.session.commit()
        paths = [(name, account, path(), viewport) for name, account, path, viewport in SHOTS]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name, account, path, viewport in paths:
            context = browser.new_context(base_url=base, viewport=viewport, reduced_motion="reduce")
            page = context.new_page()
            page.goto("/login")
            page.get_by_label("E-postadresse").fill(account)
            page.get_by_label("Passord").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Logg inn").click()
            page.wait_for_url("**/")
            page.goto(path)
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
